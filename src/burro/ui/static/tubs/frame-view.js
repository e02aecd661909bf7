// A tub frame on a <canvas> with steering/throttle drawn over it — the recorded values and,
// when given, a pilot's — reusable by other screens (the Pilot Arena):
//
//   import { FrameView } from "./tubs/frame-view.js";
//   const view = new FrameView(canvas);
//   view.show(url, [{ angle: 0.2, throttle: 0.5, color: "#2f9e57", label: "user" },
//                   { angle: 0.1, throttle: 0.4, color: "#ff9f2e", label: "pilot" }]);
//   view.prefetch([nextUrl, ...]);      // load ahead (playback)
//   view.onPaint = (url) => {};         // after each paint
//
// Images are loaded at most PARALLEL at a time; the frame asked for last always goes first
// (while scrubbing, frames passed over are never waited for) and decoded images are kept
// (an LRU of `cacheSize`), so stepping back and forth paints without a request.

const PARALLEL = 4;
const KEPT_WHILE_SCRUBBING = 3;

export const USER_COLOR = "#2f9e57";
export const PILOT_COLOR = "#ff9f2e";

export class FrameView {
  constructor(canvas, { cacheSize = 600 } = {}) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.cacheSize = cacheSize;
    this.cache = new Map(); // url -> {image, ready, failed, aborted, seq, overlays, tag}
    this.inFlight = 0;
    this.wanted = null;
    this.seq = 0; // each show() is newer than the last
    this.paintedSeq = 0;
    this.queue = [];
    this.onPaint = null; // (tag) after each paint
  }

  // Show `url` with `overlays`; `tag` comes back in onPaint. While scrubbing, a frame asked
  // for earlier that arrives first is painted (newer than what is on the canvas) rather than
  // nothing until the slider stops.
  show(url, overlays = [], tag = null) {
    this.wanted = url;
    const seq = ++this.seq;
    let entry = this.cache.get(url);
    if (entry && (entry.ready || entry.failed)) {
      this.touch(url, entry);
      Object.assign(entry, { seq, overlays, tag });
      this.paint(entry);
      return;
    }
    if (entry) { Object.assign(entry, { seq, overlays, tag, shown: true }); return; }
    this.cancelPassedOver();
    entry = this.start(url, true);
    if (entry) Object.assign(entry, { seq, overlays, tag });
  }

  // Redraw the shown frame with other overlays (a pilot's values arrived).
  setOverlays(overlays) {
    const entry = this.cache.get(this.wanted);
    if (!entry) return;
    entry.overlays = overlays;
    if (entry.ready || entry.failed) this.paint(entry);
  }

  prefetch(urls) {
    this.queue = urls.filter((url) => !this.cache.has(url));
    this.pump();
  }

  touch(url, entry) {
    this.cache.delete(url);
    this.cache.set(url, entry);
  }

  // Of the frames asked for while scrubbing and still loading, the oldest (nearly there)
  // stay; the others were passed over.
  cancelPassedOver() {
    const loading = [...this.cache].filter(([, e]) => e.shown && !e.ready && !e.failed);
    loading.sort((a, b) => a[1].seq - b[1].seq);
    for (const [url, entry] of loading.slice(KEPT_WHILE_SCRUBBING)) {
      entry.aborted = true; // its slot is freed here, whenever its promise settles
      entry.controller.abort();
      this.inFlight -= 1;
      this.cache.delete(url);
    }
  }

  start(url, shown = false) {
    // Beyond PARALLEL loads, pump() starts `wanted` first when one finishes; frames to show
    // get slots of their own so that prefetching never delays them.
    if (this.inFlight >= PARALLEL + (shown ? KEPT_WHILE_SCRUBBING + 1 : 0)) return null;
    // fetch + createImageBitmap: decoded off the main thread as soon as the bytes are in
    // (an <img>'s decode() waits for the next rendering frame), and truly cancellable.
    const controller = new AbortController();
    const entry = { image: null, controller, ready: false, failed: false, aborted: false, shown,
                    seq: 0, overlays: [], tag: null };
    this.cache.set(url, entry);
    this.inFlight += 1;
    fetch(url, { signal: controller.signal })
      .then((response) => { if (!response.ok) throw new Error(response.statusText); return response.blob(); })
      .then((blob) => createImageBitmap(blob))
      .then((bitmap) => { entry.image = bitmap; entry.ready = true; },
            () => { entry.failed = true; })
      .finally(() => {
        if (entry.aborted) return;
        this.inFlight -= 1;
        if (entry.seq > this.paintedSeq) this.paint(entry);
        this.evict();
        this.pump();
      });
    return entry;
  }

  pump() {
    if (this.wanted && !this.cache.has(this.wanted)) {
      const entry = this.start(this.wanted, true);
      if (entry) Object.assign(entry, { seq: this.seq });
    }
    while (this.inFlight < PARALLEL && this.queue.length) {
      const url = this.queue.shift();
      if (!this.cache.has(url)) this.start(url);
    }
  }

  evict() {
    for (const [url, entry] of this.cache) {
      if (this.cache.size <= this.cacheSize) break;
      if (url !== this.wanted && (entry.ready || entry.failed)) {
        if (entry.image) entry.image.close();
        this.cache.delete(url);
      }
    }
  }

  paint(entry) {
    const { canvas, context } = this;
    const width = canvas.width, height = canvas.height;
    context.fillStyle = "#000";
    context.fillRect(0, 0, width, height);
    if (entry.ready) {
      context.imageSmoothingEnabled = true;
      context.drawImage(entry.image, 0, 0, width, height);
    } else {
      context.fillStyle = "#e5484d";
      context.font = `${Math.round(height / 14)}px system-ui`;
      context.textAlign = "center";
      context.fillText("image missing", width / 2, height / 2);
    }
    entry.overlays.forEach((overlay, slot) => drawControls(context, width, height, overlay, slot));
    this.paintedSeq = entry.seq;
    if (this.onPaint) this.onPaint(entry.tag);
  }
}

// Steering as a line from the bottom centre (left/right by the angle, longer with more
// throttle) and two bars along the bottom: angle (centred) and throttle.
export function drawControls(context, width, height, { angle, throttle, color, label }, slot = 0) {
  const unit = Math.min(width, height);
  context.save();
  context.lineCap = "round";
  if (Number.isFinite(angle)) {
    const length = unit * (0.25 + 0.45 * Math.min(1, Math.abs(Number.isFinite(throttle) ? throttle : 0)));
    const direction = (angle * Math.PI) / 4; // ±1 → ±45°
    const x0 = width / 2, y0 = height;
    context.strokeStyle = color;
    context.lineWidth = Math.max(3, unit / 45);
    context.beginPath();
    context.moveTo(x0, y0);
    context.lineTo(x0 + Math.sin(direction) * length, y0 - Math.cos(direction) * length);
    context.stroke();
  }
  const barHeight = Math.max(5, unit / 30);
  const y = height - barHeight * (2.4 * slot + 1.2);
  bar(context, width * 0.05, y, width * 0.4, barHeight, angle, color);
  bar(context, width * 0.55, y, width * 0.4, barHeight, throttle, color);
  if (label) {
    context.fillStyle = color;
    context.font = `${Math.round(barHeight * 1.6)}px system-ui`;
    context.textAlign = "left";
    context.fillText(label, width * 0.05, y - barHeight * 0.3);
  }
  context.restore();
}

function bar(context, x, y, width, height, value, color) {
  context.fillStyle = "#000a";
  context.fillRect(x, y, width, height);
  if (!Number.isFinite(value)) return;
  const middle = x + width / 2;
  const end = middle + (Math.max(-1, Math.min(1, value)) * width) / 2;
  context.fillStyle = color;
  context.fillRect(Math.min(middle, end), y, Math.abs(end - middle), height);
  context.fillStyle = "#fff8";
  context.fillRect(middle - 0.5, y, 1, height);
}
