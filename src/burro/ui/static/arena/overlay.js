// Steering/throttle drawn over a frame: a line from the bottom centre, turned by the angle
// (-1..1 → ±60°) and as long as the throttle (0..1 → most of the height; reverse points down).
// The arena's own small module (the Tub Manager may have its own; the lead may unify them).

export const COLOURS = { recorded: "#2f9e57", pilot: "#ff9f2e" };
const MAX_TURN = Math.PI / 3;

export function drawControls(context, width, height, angle, throttle, colour) {
  if (!Number.isFinite(angle) || !Number.isFinite(throttle)) return;
  const turn = Math.max(-1, Math.min(1, angle)) * MAX_TURN;
  const length = Math.max(-1, Math.min(1, throttle)) * height * 0.8;
  const x0 = width / 2, y0 = height - 2;
  context.save();
  context.strokeStyle = colour;
  context.lineWidth = Math.max(2, width / 80);
  context.lineCap = "round";
  context.beginPath();
  context.moveTo(x0, y0);
  context.lineTo(x0 + Math.sin(turn) * length, y0 - Math.cos(turn) * length);
  context.stroke();
  context.restore();
}

// The frame (an <img> already loaded) scaled into the canvas, the recorded controls and,
// when given, the pilot's.
export function drawFrame(canvas, image, recorded, pilot, colour = COLOURS.pilot) {
  const height = Math.round(canvas.width * image.naturalHeight / Math.max(1, image.naturalWidth));
  if (height && canvas.height !== height) canvas.height = height;  // the frame's own shape
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (recorded) drawControls(context, canvas.width, canvas.height, recorded.angle,
                             recorded.throttle, COLOURS.recorded);
  if (pilot && !pilot.error) drawControls(context, canvas.width, canvas.height, pilot.angle,
                                          pilot.throttle, colour);
}
