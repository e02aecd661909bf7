// Plots drawn on <canvas> by hand: numeric fields over the record position (deleted and
// filtered-out ranges shaded, the marks and the current frame as lines on a second canvas, so
// moving the frame redraws one line, not 20,000 points) and histograms.

export const SERIES_COLORS = ["#3fa9ff", "#ff9f2e", "#2f9e57", "#c678dd", "#e5c07b", "#56b6c2"];
const DELETED = "#e5484d40";
const EXCLUDED = "#9aa6b833";

function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return { width, height, ratio };
}

// A range of `values` that ignores nulls; [-1, 1] at least for fields that look like controls.
function extent(columns) {
  let low = Infinity, high = -Infinity;
  for (const values of columns) {
    for (const v of values) {
      if (v === null) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  if (low === Infinity) return [0, 1];
  if (low === high) return [low - 1, high + 1];
  return [low, high];
}

export class LinePlot {
  // base, marks: two stacked canvases of the same size; onPick(position) on click/drag.
  constructor(base, marks, onPick) {
    this.base = base;
    this.marks = marks;
    this.series = [];
    this.count = 0;
    this.shaded = [];
    const pick = (event) => {
      const box = marks.getBoundingClientRect();
      const fraction = (event.clientX - box.left) / box.width;
      onPick(Math.round(Math.max(0, Math.min(1, fraction)) * (this.count - 1)));
    };
    marks.addEventListener("pointerdown", (event) => {
      marks.setPointerCapture(event.pointerId);
      pick(event);
    });
    marks.addEventListener("pointermove", (event) => { if (event.buttons) pick(event); });
  }

  // series: [{name, values, color}]; shaded: [{from, to, color}] over positions.
  setData(count, series, shaded) {
    this.count = count;
    this.series = series;
    this.shaded = shaded;
    this.draw();
  }

  draw() {
    const { width, height, ratio } = fit(this.base);
    const context = this.base.getContext("2d");
    context.clearRect(0, 0, width, height);
    if (!this.count) return;
    const x = (position) => (position / Math.max(1, this.count - 1)) * width;
    for (const shade of this.shaded) {
      context.fillStyle = shade.color;
      context.fillRect(x(shade.from), 0, Math.max(ratio, x(shade.to + 1) - x(shade.from)), height);
    }
    const [low, high] = extent(this.series.map((s) => s.values));
    const pad = 6 * ratio;
    const y = (v) => pad + (1 - (v - low) / (high - low)) * (height - 2 * pad);
    context.strokeStyle = "#ffffff22";
    context.beginPath();
    if (low < 0 && high > 0) { context.moveTo(0, y(0)); context.lineTo(width, y(0)); }
    context.stroke();
    for (const s of this.series) drawSeries(context, s, width, this.count, y, ratio);
    context.fillStyle = "#9aa6b8";
    context.font = `${11 * ratio}px system-ui`;
    context.fillText(String(+high.toFixed(3)), 4 * ratio, 12 * ratio);
    context.fillText(String(+low.toFixed(3)), 4 * ratio, height - 4 * ratio);
  }

  // The current frame and the left/right marks (positions or null).
  drawMarks(current, left, right) {
    const { width, height, ratio } = fit(this.marks);
    const context = this.marks.getContext("2d");
    context.clearRect(0, 0, width, height);
    if (this.count < 1) return;
    const x = (position) => (position / Math.max(1, this.count - 1)) * width;
    if (left !== null && right !== null) {
      context.fillStyle = "#3fa9ff22";
      const a = Math.min(left, right), b = Math.max(left, right);
      context.fillRect(x(a), 0, Math.max(ratio, x(b) - x(a)), height);
    }
    for (const [position, color] of [[left, "#3fa9ff"], [right, "#3fa9ff"], [current, "#ffffff"]]) {
      if (position === null) continue;
      context.fillStyle = color;
      context.fillRect(x(position) - ratio, 0, 2 * ratio, height);
    }
  }
}

// One min/max vertical stroke per pixel column: 20,000 points cost `width` strokes.
function drawSeries(context, { values, color }, width, count, y, ratio) {
  context.strokeStyle = color;
  context.lineWidth = ratio;
  context.beginPath();
  const columns = Math.min(width, count);
  let started = false;
  for (let column = 0; column < columns; column++) {
    const from = Math.floor((column * count) / columns);
    const to = Math.max(from + 1, Math.floor(((column + 1) * count) / columns));
    let low = Infinity, high = -Infinity;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v === null) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    if (low === Infinity) { started = false; continue; }
    const px = (column / Math.max(1, columns - 1)) * width;
    if (started) context.lineTo(px, y(high)); else context.moveTo(px, y(high));
    context.lineTo(px, y(low) + ratio * 0.5);
    started = true;
  }
  context.stroke();
}

// A histogram of `values` (nulls and the records `skip(position)` names left out); `kept`,
// when given, is drawn over it in the series colour (the records the filter keeps).
export function drawHistogram(canvas, name, values, color, skip, kept, bins = 40) {
  const { width, height, ratio } = fit(canvas);
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, width, height);
  const [low, high] = extent([values]);
  const all = new Array(bins).fill(0), used = new Array(bins).fill(0);
  values.forEach((v, position) => {
    if (v === null || skip(position)) return;
    const bin = Math.min(bins - 1, Math.floor(((v - low) / (high - low)) * bins));
    all[bin] += 1;
    if (!kept || kept(position)) used[bin] += 1;
  });
  const top = Math.max(1, ...all);
  const bottom = height - 14 * ratio, barWidth = width / bins;
  all.forEach((n, bin) => {
    context.fillStyle = "#9aa6b855";
    context.fillRect(bin * barWidth, bottom - (n / top) * (bottom - 16 * ratio), barWidth - ratio, (n / top) * (bottom - 16 * ratio));
    context.fillStyle = color;
    const h = (used[bin] / top) * (bottom - 16 * ratio);
    context.fillRect(bin * barWidth, bottom - h, barWidth - ratio, h);
  });
  context.fillStyle = "#e6ebf2";
  context.font = `${11 * ratio}px system-ui`;
  context.textAlign = "left";
  context.fillText(name, 4 * ratio, 12 * ratio);
  context.fillStyle = "#9aa6b8";
  context.fillText(String(+low.toFixed(3)), 2 * ratio, height - 2 * ratio);
  context.textAlign = "right";
  context.fillText(String(+high.toFixed(3)), width - 2 * ratio, height - 2 * ratio);
}

export { DELETED, EXCLUDED };
