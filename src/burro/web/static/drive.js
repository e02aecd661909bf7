// The drive page: what the user does becomes drive messages on /wsDrive (docs/web.md);
// what the car reports (/wsDrive pushes, /wsTelemetry) is shown by drive-view.js.
"use strict";

(() => {
  const { ReconnectingSocket, clamp, withToken } = burroCommon;
  const { Keyboard, Joystick, Gamepad, Tilt } = burroInputs;
  const view = burroDriveView;

  const MODES = ["user", "local_angle", "local"];
  const TICK_MS = 50;        // inputs are read 20 times a second
  const HEARTBEAT_MS = 100;  // the driver's full state at least this often (the contract)

  const state = {
    mode: "user",
    recording: false,
    maxThrottle: 1,
    throttleMode: "user",  // "user" | "constant" (throttle = Max Throttle while driving)
    angle: 0,              // what the page sends
    throttle: 0,
    source: null,          // the input that drives: "joystick" | "keyboard" | "gamepad"
    stopped: false,        // after Stop Car / a dead-man stop: throttle 0 until a fresh input
    stopRearmed: false,
    paused: false,         // the tab is hidden: nothing is sent, the server's dead-man trips
  };
  const car = { connected: false, driver: { you: false, who: null }, hello: null };
  let lastSent = 0;
  let lastSentState = "";

  // -- the connection --------------------------------------------------------------------
  const drive = new ReconnectingSocket("/wsDrive", {
    onOpen() {
      car.connected = true;
      drive.send({ hello: { client: browserName(navigator.userAgent) } });
      view.connection(true);
    },
    onMessage: onDriveMessage,
    onClose(retryIn) {
      car.connected = false;
      car.driver = { you: false, who: null };
      releaseInputs();
      view.connection(false, retryIn);
      view.driver(car.driver);
      view.controls(state, car);
    },
  });

  // "Chrome 150 on Android": what the other browsers see as the driver's name.
  function browserName(agent) {
    const browsers = [["Edge", /Edg\/(\d+)/], ["Opera", /OPR\/(\d+)/],
      ["Firefox", /(?:Firefox|FxiOS)\/(\d+)/], ["Chrome", /(?:Chrome|CriOS)\/(\d+)/],
      ["Safari", /Version\/(\d+).*Safari/]];
    const systems = [["Android", /Android/], ["iPhone", /iPhone/], ["iPad", /iPad/],
      ["Windows", /Windows/], ["ChromeOS", /CrOS/], ["macOS", /Mac OS X/], ["Linux", /Linux/]];
    const found = browsers.find(([, pattern]) => pattern.test(agent));
    const system = systems.find(([, pattern]) => pattern.test(agent));
    const browser = found ? `${found[0]} ${agent.match(found[1])[1]}` : "a browser";
    return system ? `${browser} on ${system[0]}` : browser;
  }

  function onDriveMessage(message) {
    if ("driveMode" in message && MODES.includes(message.driveMode)) {
      state.mode = message.driveMode;
    }
    if ("recording" in message) state.recording = Boolean(message.recording);
    if ("num_records" in message) view.recordCount(message.num_records);
    if ("driver" in message) {
      car.driver = message.driver;
      view.driver(car.driver);
    }
    if ("stopped" in message) {  // mode and recording follow in the car's own pushes
      holdThrottle();
      view.stopped(message.stopped);
    }
    if ("error" in message) view.message(message.error);
    if ("erased" in message) view.message(`erased ${message.erased} records`);
    view.controls(state, car);
  }

  new ReconnectingSocket("/wsTelemetry", {
    onMessage(message) {
      if (message.hello) {
        car.hello = message.hello;
        view.hello(message.hello);
        view.driver(car.driver);
      }
      if (message.telemetry) onTelemetry(message.telemetry);
    },
  });

  function onTelemetry(telemetry) {
    // A watcher follows the car; the driver's own state leads (also while its first
    // message is on the way and the car has not yet said it drives).
    const claiming = performance.now() - lastSent < 1000;
    if (!car.driver.you && !claiming) {
      if (MODES.includes(telemetry.mode)) state.mode = telemetry.mode;
      state.recording = Boolean(telemetry.recording);
    }
    view.telemetry(telemetry, car.driver.you);
    view.controls(state, car);
  }

  // The page may send control fields while it drives or while nobody does.
  function maySend() {
    const expertDrives = Boolean(car.hello && car.hello.expert_drives);
    return car.connected && !state.paused && !expertDrives &&
      (car.driver.you || car.driver.who === null);
  }

  function mayAsk() {  // behaviour and erase: also while the simulator's expert drives
    const expertDrives = Boolean(car.hello && car.hello.expert_drives);
    return car.connected && !state.paused &&
      (expertDrives || car.driver.you || car.driver.who === null);
  }

  function fullState() {
    return { angle: state.angle, throttle: state.throttle, drive_mode: state.mode,
      recording: state.recording };
  }

  function sendState() {
    if (!maySend()) return;
    const message = fullState();
    drive.send(message);
    lastSent = performance.now();
    lastSentState = JSON.stringify(message);
  }

  // -- inputs ----------------------------------------------------------------------------
  const actions = { stop: stopCar, record: toggleRecording, mode: cycleMode };
  const keyboard = new Keyboard(actions);
  const joystick = new Joystick(document.getElementById("joystick"),
    document.getElementById("knob"));
  const gamepad = new Gamepad(actions, (name) => view.gamepad(name));
  const tilt = new Tilt();

  function releaseInputs() {
    keyboard.release();
    joystick.release();
  }

  function limitedThrottle(throttle, active) {
    if (state.throttleMode === "constant") return active ? state.maxThrottle : 0;
    return clamp(throttle, -state.maxThrottle, state.maxThrottle);
  }

  // The joystick wins over the keys, the keys over the pad; tilt (when on) steers.
  function readInputs(seconds) {
    const sources = [["joystick", joystick.read()], ["keyboard", keyboard.read(seconds)],
      ["gamepad", gamepad.read()]];
    const held = sources.find(([, reading]) => reading.active);
    const [source, reading] = held || [null, { angle: 0, throttle: 0, active: false }];
    const angle = tilt.enabled ? tilt.angle() : reading.angle;
    const pressed = sources.some(([, each]) => each.pressed);
    return { source, angle, throttle: reading.throttle, active: reading.active, pressed };
  }

  // A stop holds the throttle at 0 until the user lets go and drives again.
  function applyStop(reading) {
    if (!state.stopped) return false;
    if (!reading.active) state.stopRearmed = true;
    else if (state.stopRearmed || reading.pressed) state.stopped = false;
    return state.stopped;
  }

  let lastTick = performance.now();
  function tick() {
    const now = performance.now();
    const reading = readInputs((now - lastTick) / 1000);
    lastTick = now;
    const held = applyStop(reading);
    state.source = reading.source;
    state.angle = round(clamp(reading.angle, -1, 1));
    state.throttle = held ? 0 : round(limitedThrottle(reading.throttle, reading.active));
    const changed = JSON.stringify(fullState()) !== lastSentState;
    if ((changed && reading.active) || (car.driver.you && (changed ||
        now - lastSent >= HEARTBEAT_MS - TICK_MS / 2))) {
      sendState();
    }
    view.inputs(state, car.driver.you || reading.active);
  }
  window.setInterval(tick, TICK_MS);

  function round(value) {
    return Math.round(value * 1000) / 1000;
  }

  document.addEventListener("visibilitychange", () => {
    state.paused = document.visibilityState === "hidden";
    releaseInputs();
    view.paused(state.paused);
  });

  // -- actions ---------------------------------------------------------------------------
  // After any stop (this page's, another browser's, a pad's, the dead-man): throttle 0 until
  // the user lets go of everything and drives again. Keys stay down (a held key would come
  // back with the keyboard's auto-repeat); the joystick lets go, so a finger must lift.
  function holdThrottle() {
    joystick.release();
    keyboard.forgetPresses();
    state.angle = 0;
    state.throttle = 0;
    state.stopped = true;
    state.stopRearmed = false;
  }

  function stopCar() {
    holdThrottle();
    state.mode = "user";  // what the car does on a stop; its pushes confirm it
    state.recording = false;
    drive.send({ stop: true });  // any client may stop the car, also a watcher
    view.controls(state, car);
  }

  function toggleRecording() {
    state.recording = !state.recording;
    sendState();
    view.controls(state, car);
  }

  function setMode(mode) {
    state.mode = mode;
    sendState();
    view.controls(state, car);
  }

  function cycleMode() {
    setMode(MODES[(MODES.indexOf(state.mode) + 1) % MODES.length]);
  }

  function sendControl(message) {
    if (maySend()) drive.send(message);
  }

  const byId = (id) => document.getElementById(id);
  byId("stop_button").addEventListener("click", stopCar);
  byId("record_button").addEventListener("click", toggleRecording);
  byId("take_control").addEventListener("click", () => drive.send({ take_control: true }));
  function ask(message) {
    if (mayAsk()) drive.send(message);
  }

  byId("erase_button").addEventListener("click", () => ask({ erase_last: true }));
  view.onBehavior((index) => ask({ behavior: index }));

  // Selects give the keyboard back after a choice, so the arrows drive again.
  function onSelect(id, apply) {
    const select = byId(id);
    select.addEventListener("change", () => {
      apply(select.value);
      select.blur();
    });
  }
  onSelect("mode_select", setMode);
  onSelect("max_throttle_select", (value) => {
    state.maxThrottle = Number(value);
    view.controls(state, car);
  });
  onSelect("throttle_mode_select", (value) => {
    state.throttleMode = value;
    view.controls(state, car);
  });

  const tiltToggle = byId("tilt_toggle");
  tiltToggle.disabled = !Tilt.available();
  tiltToggle.addEventListener("change", async () => {
    if (!tiltToggle.checked) {
      tilt.disable();
      return;
    }
    try {
      await tilt.enable();
    } catch (error) {
      tiltToggle.checked = false;
      view.message(String(error.message || error));
    }
  });

  view.video(withToken("/video"));
  byId("calibrate_link").href = withToken("/calibrate");
  view.controls(state, car);

  // For the browser tests and the curious: the page's state, read-only by convention.
  window.burroDrive = { state, car };
})();
