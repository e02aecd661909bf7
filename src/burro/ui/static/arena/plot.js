// A small line plot on a canvas: the recorded series and each pilot's over the positions.

export const SERIES_COLOURS = ["#ff9f2e", "#3fa9ff", "#d66bff", "#ffd23f"];

export function linePlot(canvas, { title, positions, recorded, pilots, low = -1, high = 1 }) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  const left = 34, right = 8, top = 18, bottom = 16;
  context.clearRect(0, 0, width, height);
  context.fillStyle = "#0d131d";
  context.fillRect(0, 0, width, height);
  context.font = "11px system-ui, sans-serif";
  context.fillStyle = "#9aa6b8";
  context.fillText(title, left, 12);
  const first = positions[0], last = positions[positions.length - 1];
  const x = (p) => left + ((p - first) / Math.max(1, last - first)) * (width - left - right);
  const y = (v) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
  context.strokeStyle = "#2c374b";
  context.lineWidth = 1;
  for (const v of [low, (low + high) / 2, high]) {
    context.beginPath(); context.moveTo(left, y(v)); context.lineTo(width - right, y(v));
    context.stroke();
    context.fillText(v.toFixed(1), 4, y(v) + 4);
  }
  context.fillText(String(first), left, height - 3);
  context.fillText(String(last), width - right - 30, height - 3);
  const line = (values, colour, lineWidth) => {
    context.strokeStyle = colour;
    context.lineWidth = lineWidth;
    context.beginPath();
    values.forEach((v, i) => {
      const clamped = Math.max(low, Math.min(high, v));
      if (i === 0) context.moveTo(x(positions[i]), y(clamped));
      else context.lineTo(x(positions[i]), y(clamped));
    });
    context.stroke();
  };
  line(recorded, "#2f9e57", 2);
  pilots.forEach((values, i) => line(values, SERIES_COLOURS[i % SERIES_COLOURS.length], 1.2));
}
