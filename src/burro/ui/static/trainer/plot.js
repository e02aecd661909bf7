// Loss curves on a canvas: loss and val_loss per epoch, the best epoch marked.

const COLOURS = { loss: "#3fa9ff", val_loss: "#ff9f2e" };

export function drawLoss(canvas, history, { best = null, maxEpochs = null } = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 480;
  const height = canvas.clientHeight || 220;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = "12px system-ui, sans-serif";
  const names = ["loss", "val_loss"].filter((name) => (history[name] || []).length);
  const values = names.flatMap((name) => history[name]).filter(Number.isFinite);
  const pad = { left: 52, right: 12, top: 22, bottom: 28 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  g.strokeStyle = "#2c374b";
  g.strokeRect(pad.left, pad.top, plotW, plotH);
  g.fillStyle = "#9aa6b8";
  if (!values.length) {
    g.fillText("no epoch has ended yet", pad.left + 10, pad.top + 20);
    canvas.dataset.points = "0";
    return;
  }
  const epochs = Math.max(...names.map((name) => history[name].length), maxEpochs || 0, 2);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < 1e-9) { high += 0.5 * (Math.abs(high) || 1); low -= 0.5 * (Math.abs(low) || 1); }
  low = Math.max(0, low - 0.05 * (high - low));
  const x = (epoch) => pad.left + (plotW * (epoch - 1)) / (epochs - 1);
  const y = (value) => pad.top + plotH * (1 - (value - low) / (high - low));
  for (let i = 0; i <= 4; i++) {
    const value = low + ((high - low) * i) / 4;
    g.fillText(value.toPrecision(3), 4, y(value) + 4);
    g.beginPath(); g.moveTo(pad.left, y(value)); g.lineTo(pad.left + plotW, y(value));
    g.strokeStyle = "#222c3d"; g.stroke();
  }
  const step = Math.max(1, Math.ceil(epochs / 10));
  for (let epoch = 1; epoch <= epochs; epoch += step) {
    g.fillText(String(epoch), x(epoch) - 3, height - pad.bottom + 16);
  }
  g.fillText("epoch", pad.left + plotW - 34, height - 4);
  if (best) {
    g.strokeStyle = "#2f9e57"; g.setLineDash([4, 4]);
    g.beginPath(); g.moveTo(x(best), pad.top); g.lineTo(x(best), pad.top + plotH); g.stroke();
    g.setLineDash([]);
    g.fillStyle = "#2f9e57";
    const label = `best ${best}`;
    const right = x(best) + 4 + g.measureText(label).width > pad.left + plotW;
    g.fillText(label, right ? x(best) - 4 - g.measureText(label).width : x(best) + 4, pad.top + 14);
  }
  let points = 0;
  names.forEach((name, i) => {
    const series = history[name];
    g.strokeStyle = g.fillStyle = COLOURS[name];
    g.lineWidth = 2;
    g.beginPath();
    series.forEach((value, index) => {
      if (!Number.isFinite(value)) return;
      const px = x(index + 1), py = y(value);
      if (index === 0) g.moveTo(px, py); else g.lineTo(px, py);
      points += 1;
    });
    g.stroke();
    series.forEach((value, index) => {
      if (Number.isFinite(value)) { g.beginPath(); g.arc(x(index + 1), y(value), 3, 0, 7); g.fill(); }
    });
    const legendX = pad.left + plotW - 150 + 75 * i;
    g.fillRect(legendX, 8, 14, 3);
    g.fillText(name, legendX + 18, 14);
  });
  g.lineWidth = 1;
  canvas.dataset.points = String(points);
}
