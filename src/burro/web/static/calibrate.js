// The calibrate page: the five PWM values of the PWM_STEERING_THROTTLE drivetrain, set live
// on /wsCalibrate with +/- 10 steppers, steering and throttle tests, Save to myconfig.py.
"use strict";

(() => {
  const { ReconnectingSocket, clamp, withToken } = burroCommon;
  const byId = (id) => document.getElementById(id);
  byId("drive_link").href = withToken("/drive");
  const STEERING = [["STEERING_LEFT_PWM", "full left"], ["STEERING_RIGHT_PWM", "full right"]];
  const THROTTLE = [["THROTTLE_FORWARD_PWM", "full forward"],
    ["THROTTLE_STOPPED_PWM", "stopped"], ["THROTTLE_REVERSE_PWM", "full reverse"]];
  const STEP = 10;
  const RESEND_MS = 100;  // a test keeps sending: the server's dead-man stops a quiet one

  const inputs = {};
  let command = null;     // the {throttle} a test holds
  let commandEnds = 0;
  let commandTimer = null;

  function log(line) {
    const area = byId("log");
    const time = new Date().toLocaleTimeString();
    area.value += `${time} ${line}\n`;
    area.scrollTop = area.scrollHeight;
  }

  const socket = new ReconnectingSocket("/wsCalibrate", {
    onOpen() {
      const pill = byId("connection");
      pill.className = "pill pill-on";
      pill.textContent = "connected";
      log("connected");
    },
    onMessage(message) {
      if (message.config) showConfig(message);
      if (message.saved) log(`saved into ${message.saved}`);
      if (message.error) log(`error: ${message.error}`);
    },
    onClose(retryIn) {
      const pill = byId("connection");
      pill.className = "pill pill-off";
      pill.textContent = `offline, retrying in ${retryIn.toFixed(1)} s`;
      endCommand();
    },
  });

  function showConfig(message) {
    for (const [key, value] of Object.entries(message.config)) {
      if (key in inputs && document.activeElement !== inputs[key]) inputs[key].value = value;
    }
    const live = message.live ? "values apply live" :
      "this drivetrain does not take values live: Save writes them for the next start";
    byId("drivetrain").textContent = `drivetrain: ${message.drivetrain} (${live})`;
    for (const input of Object.values(inputs)) input.disabled = false;
  }

  function sendValue(key) {
    const value = Math.round(Number(inputs[key].value));
    if (!Number.isFinite(value)) return;
    socket.send({ config: { [key]: value } });
    log(`${key} = ${value}`);
  }

  function addRow(container, key, meaning) {
    const row = document.createElement("div");
    row.className = "pwm-row";
    const name = document.createElement("span");
    name.className = "pwm-name";
    name.textContent = `${key} (${meaning})`;
    const input = document.createElement("input");
    input.type = "number";
    input.step = "1";
    input.id = key;
    input.disabled = true;
    input.addEventListener("change", () => sendValue(key));
    inputs[key] = input;
    const stepper = (label, delta) => {
      const button = document.createElement("button");
      button.textContent = label;
      button.setAttribute("aria-label", `${key} ${label}`);
      button.addEventListener("click", () => {
        input.value = String(Math.round(Number(input.value) || 0) + delta);
        sendValue(key);
      });
      return button;
    };
    row.append(name, stepper(`−${STEP}`, -STEP), input, stepper(`+${STEP}`, STEP));
    container.append(row);
  }
  STEERING.forEach(([key, meaning]) => addRow(byId("steering_rows"), key, meaning));
  THROTTLE.forEach(([key, meaning]) => addRow(byId("throttle_rows"), key, meaning));

  // A throttle test holds its command, resending it, until its time is up.
  function holdCommand(message, seconds) {
    endCommand(false);
    command = message;
    commandEnds = performance.now() + seconds * 1000;
    socket.send(command);
    commandTimer = window.setInterval(() => {
      if (performance.now() >= commandEnds) endCommand();
      else socket.send(command);
    }, RESEND_MS);
  }

  function endCommand(sendStop = true) {
    window.clearInterval(commandTimer);
    commandTimer = null;
    if (sendStop && command) {
      socket.send({ throttle: 0 });
      log("throttle 0");
    }
    command = null;
  }

  for (const button of document.querySelectorAll("[data-angle]")) {
    button.addEventListener("click", () => {
      const angle = Number(button.dataset.angle);
      endCommand();
      socket.send({ angle });
      log(`angle ${angle}`);
    });
  }

  function throttleTest(sign) {
    const throttle = sign * clamp(Number(byId("test_throttle").value) || 0, 0, 1);
    const seconds = clamp(Number(byId("test_seconds").value) || 1, 0.2, 10);
    log(`throttle ${throttle} for ${seconds} s`);
    holdCommand({ throttle }, seconds);
  }
  byId("forward_button").addEventListener("click", () => throttleTest(1));
  byId("reverse_button").addEventListener("click", () => throttleTest(-1));
  byId("stop_button").addEventListener("click", () => {
    endCommand(false);
    socket.send({ throttle: 0 });
    log("stop: throttle 0");
  });
  byId("save_button").addEventListener("click", () => {
    socket.send({ save: true });
    log("saving…");
  });
})();
