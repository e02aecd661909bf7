// What the drive page shows: connection, driver, controls, telemetry, the bars and the
// steering drawn over the camera image. drive.js calls these; nothing here sends.
"use strict";

const burroDriveView = (() => {
  const { fixed } = burroCommon;
  const byId = (id) => document.getElementById(id);
  const MAX_THROTTLES = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
  const LOCAL_MODES = ["local_angle", "local"];

  const shown = { user: { angle: 0, throttle: 0 }, pilot: null };  // drawn and barred
  let recordCount = null;
  let messageTimer = null;
  let stoppedTimer = null;
  let behaviorHandler = () => {};
  let expertDrives = false;  // SIM_EXPERT_AS_USER: the page only watches

  for (const value of MAX_THROTTLES) {
    const option = new Option(`${Math.round(value * 100)} %`, String(value));
    byId("max_throttle_select").add(option);
  }

  function text(id, value) {
    const element = byId(id);
    if (element.textContent !== value) element.textContent = value;
  }

  function connection(open, retryIn) {
    const pill = byId("connection");
    pill.className = "pill " + (open ? "pill-on" : "pill-off");
    pill.textContent = open ? "connected" : `offline, retrying in ${fixed(retryIn, 1)} s`;
    document.body.classList.toggle("offline", !open);
    if (!open) {  // what the car last said is no longer true
      shown.user = { angle: 0, throttle: 0 };
      shown.pilot = null;
      updateBars();
    }
  }

  function driver(who) {
    let line = "nobody drives: touch a control to drive";
    if (expertDrives) line = "the simulator's expert drives; you watch (Stop Car ends the drive)";
    else if (who.you) line = "you drive";
    else if (who.who) line = `${who.who} drives; you watch`;
    text("driver", line);
    byId("driver").title = line;  // the line is cut to one line on a narrow screen
    byId("take_control").hidden = expertDrives || who.you || !who.who;
    document.body.classList.toggle("watching", isWatching(who));
  }

  function isWatching(who) {
    return expertDrives || (!who.you && Boolean(who.who));
  }

  function controls(state, car) {
    byId("mode_select").value = state.mode;
    byId("max_throttle_select").value = String(state.maxThrottle);
    byId("throttle_mode_select").value = state.throttleMode;
    byId("throttle_mode_select").options[1].text =
      `Constant (${Math.round(state.maxThrottle * 100)} %)`;
    const record = byId("record_button");
    record.classList.toggle("on", state.recording);
    const count = recordCount === null ? "" : ` (${recordCount})`;
    text("record_button", (state.recording ? "Stop Recording" : "Start Recording") + count);
    const watching = isWatching(car.driver);
    const controlsOff = watching || !car.connected;
    for (const id of ["mode_select", "record_button"]) byId(id).disabled = controlsOff;
    // While the simulator's expert drives, the page may still switch behaviours and erase.
    const askingOff = !car.connected || (watching && !expertDrives);
    byId("erase_button").disabled = askingOff;
    for (const button of byId("behavior_buttons").children) button.disabled = askingOff;
  }

  function hello(info) {
    const seconds = info.rate_hz ? info.erase_n / info.rate_hz : null;
    const duration = seconds === null ? "" :
      `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s `;
    text("erase_button", `Erase last ${duration}(${info.erase_n} records)`);
    byId("erase_button").hidden = !info.erase_n;  // 0: the car keeps no tub to erase from
    expertDrives = Boolean(info.expert_drives);
    const field = byId("behavior_field");
    field.hidden = !info.behaviors;
    const buttons = byId("behavior_buttons");
    buttons.replaceChildren();
    (info.behaviors || []).forEach((label, index) => {
      const button = document.createElement("button");
      button.textContent = label;
      button.dataset.index = String(index);
      button.addEventListener("click", () => behaviorHandler(index));
      buttons.append(button);
    });
  }

  function onBehavior(handler) {
    behaviorHandler = handler;
  }

  function telemetry(t, driving) {
    const loop = t.loop || {};
    text("t_loop", `${fixed(loop.hz, 1)} Hz, ${loop.ticks ?? "–"} ticks`);
    text("t_late", `${fixed(loop.late_pct, 1)} % (${loop.late ?? "–"} ticks)`);
    text("t_pilot", t.pilot ? `angle ${fixed(t.pilot.angle, 2)}, throttle ` +
      `${fixed(t.pilot.throttle, 2)}, ${fixed(t.pilot.latency_ms, 1)} ms` : "none");
    if (t.tub) {
      const name = String(t.tub.path || "").split("/").pop();
      text("t_tub", `${name}: ${t.tub.num_records ?? "–"} records`);
      recordCount = t.tub.num_records ?? recordCount;
    } else {
      text("t_tub", "none");
    }
    text("t_behavior", t.behavior ? `${t.behavior.label} (${t.behavior.state})` : "–");
    for (const button of byId("behavior_buttons").children) {
      button.classList.toggle("on", t.behavior && Number(button.dataset.index) ===
        t.behavior.state);
    }
    const sim = t.sim;
    text("t_sim", sim ? `lap ${sim.lap ?? "–"}${sim.laps ? "/" + sim.laps : ""}, cte ` +
      `${fixed(sim.cte, 2)}, speed ${fixed(sim.speed, 2)}` : "–");
    text("t_viewers", `${t.viewers ?? "–"}` + (t.bad_messages ? `, ${t.bad_messages} bad ` +
      "messages" : ""));
    text("value_out", t.out ? `angle ${fixed(t.out.angle, 2)}, throttle ` +
      `${fixed(t.out.throttle, 2)}` : "–");
    if (!driving && t.user) shown.user = t.user;
    shown.pilot = LOCAL_MODES.includes(t.mode) ? t.pilot : null;
    if (!driving) updateBars();
  }

  function recordCountPush(count) {
    recordCount = count;
  }

  // own: the page drives (or is about to): its own values, else the driver's from telemetry.
  function inputs(state, own) {
    if (own) shown.user = { angle: state.angle, throttle: state.throttle };
    const source = state.stopped ? "stopped: let go, then drive again" :
      state.source ? `driving with the ${state.source}` :
        "drag the joystick, or use the arrow keys / WASD";
    text("input_source", source);
    updateBars();
  }

  function setBar(id, value) {
    const fill = byId(id);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      fill.style.width = "0";
      return;
    }
    const half = Math.min(1, Math.abs(value)) * 50;
    fill.style.left = `${value < 0 ? 50 - half : 50}%`;
    fill.style.width = `${half}%`;
  }

  function updateBars() {
    const { user, pilot } = shown;
    setBar("bar_user_angle", user.angle);
    setBar("bar_user_throttle", user.throttle);
    setBar("bar_pilot_angle", pilot ? pilot.angle : null);
    setBar("bar_pilot_throttle", pilot ? pilot.throttle : null);
    text("value_angle", fixed(user.angle, 2));
    text("value_throttle", fixed(user.throttle, 2));
    window.requestAnimationFrame(drawOverlay);
  }

  // -- the steering over the camera image -----------------------------------------------
  const canvas = byId("overlay");
  const COLOURS = { user: "#3fa9ff", pilot: "#ff9f1c" };

  function drawOverlay() {
    const box = canvas.getBoundingClientRect();
    const scale = window.devicePixelRatio || 1;
    const width = Math.round(box.width * scale);
    const height = Math.round(box.height * scale);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    if (shown.pilot) drawPath(context, shown.pilot, COLOURS.pilot, width, height, scale);
    drawPath(context, shown.user, COLOURS.user, width, height, scale);
  }

  // A curve from the bottom centre: it bends with the angle and grows with the throttle
  // (dashed when reversing).
  function drawPath(context, controls, colour, width, height, scale) {
    const angle = Number(controls.angle) || 0;
    const throttle = Number(controls.throttle) || 0;
    const length = height * (0.2 + 0.55 * Math.min(1, Math.abs(throttle)));
    const startX = width / 2;
    const startY = height - 4 * scale;
    const endX = startX + angle * Math.min(length * 0.8, width * 0.45);
    const endY = startY - length * Math.cos(angle * 0.7);
    context.save();
    context.strokeStyle = colour;
    context.lineWidth = 5 * scale;
    context.lineCap = "round";
    context.setLineDash(throttle < 0 ? [10 * scale, 8 * scale] : []);
    context.shadowColor = "rgba(0, 0, 0, 0.6)";
    context.shadowBlur = 3 * scale;
    context.beginPath();
    context.moveTo(startX, startY);
    context.quadraticCurveTo(startX, startY - length * 0.6, endX, endY);
    context.stroke();
    context.beginPath();
    context.arc(endX, endY, 6 * scale, 0, 2 * Math.PI);
    context.fillStyle = colour;
    context.fill();
    context.restore();
  }
  window.addEventListener("resize", () => window.requestAnimationFrame(drawOverlay));

  // -- banners, messages, video ---------------------------------------------------------
  function message(line) {
    text("message", line);
    window.clearTimeout(messageTimer);
    messageTimer = window.setTimeout(() => text("message", ""), 5000);
  }

  function stopped(reason) {
    const banner = byId("stopped");
    banner.textContent = `Stopped: ${reason}`;
    banner.hidden = false;
    window.clearTimeout(stoppedTimer);
    stoppedTimer = window.setTimeout(() => { banner.hidden = true; }, 4000);
  }

  function paused(isPaused) {
    if (isPaused) stopped("page hidden, nothing sent");
  }

  function gamepad(name) {
    text("gamepad_state", name ? `gamepad: ${name.slice(0, 60)}` :
      "no gamepad (press a button on one to connect it)");
  }

  // The MJPEG stream ends when the car restarts or the network drops: load it again.
  function video(url) {
    const image = byId("video");
    image.addEventListener("error", () => {
      window.setTimeout(() => { image.src = `${url}${url.includes("?") ? "&" : "?"}` +
        `retry=${Date.now()}`; }, 2000);
    });
    image.addEventListener("load", () => window.requestAnimationFrame(drawOverlay));
    image.src = url;
  }

  return { connection, driver, controls, hello, onBehavior, telemetry, inputs, message,
    stopped, paused, gamepad, video, recordCount: recordCountPush };
})();
