// The page's drive inputs. Each source answers read(seconds) with
// {angle, throttle, active, pressed}: angle and throttle in [-1, 1] before the page's throttle
// limits, active while its user holds it (a key down, the joystick touched, a pad stick out of
// its dead zone), pressed when a new press began since the last read (a release and a press
// quicker than one read still count as a fresh command). Tilt only steers: Tilt.angle().
"use strict";

const burroInputs = (() => {
  const { clamp } = burroCommon;

  // Arrows / WASD: hold to drive, release returns to 0 / centre. Held values ramp up so a
  // tap gives a small correction and a hold gives full lock / full throttle.
  const STEER_KEYS = { ArrowLeft: -1, KeyA: -1, ArrowRight: 1, KeyD: 1 };
  const THROTTLE_KEYS = { ArrowUp: 1, KeyW: 1, ArrowDown: -1, KeyS: -1 };
  const ANGLE_RATE = 4;     // full lock in 0.25 s
  const THROTTLE_RATE = 2;  // full throttle in 0.5 s

  function isTyping(target) {
    return target instanceof HTMLInputElement && target.type !== "checkbox" &&
      target.type !== "radio" || target instanceof HTMLTextAreaElement;
  }

  class Keyboard {
    // actions: {stop(), record(), mode()} for space, r and m.
    constructor(actions) {
      this.down = new Set();
      this.tapped = new Set();  // pressed since the last read: a quick tap still counts
      this.pressed = false;
      this.angle = 0;
      this.throttle = 0;
      this.actions = actions;
      document.addEventListener("keydown", (event) => this.onKeyDown(event));
      document.addEventListener("keyup", (event) => this.onKeyUp(event));
      window.addEventListener("blur", () => this.release());
    }

    onKeyDown(event) {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const code = event.code;
      if (code in STEER_KEYS || code in THROTTLE_KEYS) {
        if (!this.down.has(code)) this.pressed = true;  // not the keyboard's auto-repeat
        this.down.add(code);
        this.tapped.add(code);
      } else if (code === "Space") {
        if (!event.repeat) this.actions.stop();
      } else if (event.key === "r" || event.key === "R") {
        if (!event.repeat) this.actions.record();
      } else if (event.key === "m" || event.key === "M") {
        if (!event.repeat) this.actions.mode();
      } else {
        return;
      }
      event.preventDefault();  // arrows must not scroll the page or change a select
    }

    // A focused button or checkbox acts on a space / enter keyup: not while the page drives.
    onKeyUp(event) {
      this.down.delete(event.code);
      if (!isTyping(event.target) && (event.code === "Space" || event.code in STEER_KEYS ||
          event.code in THROTTLE_KEYS)) {
        event.preventDefault();
      }
    }

    direction(table, codes) {
      let sum = 0;
      for (const code of codes) sum += table[code] || 0;
      return clamp(sum, -1, 1);
    }

    static ramp(value, target, step) {
      if (target === 0 || Math.sign(value) !== Math.sign(target)) value = 0;
      return target > 0 ? Math.min(target, value + step) : Math.max(target, value - step);
    }

    read(seconds) {
      const codes = new Set([...this.down, ...this.tapped]);
      this.tapped.clear();
      this.angle = Keyboard.ramp(this.angle, this.direction(STEER_KEYS, codes),
        ANGLE_RATE * seconds);
      this.throttle = Keyboard.ramp(this.throttle, this.direction(THROTTLE_KEYS, codes),
        THROTTLE_RATE * seconds);
      const pressed = this.pressed;
      this.pressed = false;
      return { angle: this.angle, throttle: this.throttle, active: codes.size > 0, pressed };
    }

    // Presses so far are not fresh commands (a stop came after them).
    forgetPresses() {
      this.pressed = false;
    }

    release() {
      this.down.clear();
      this.tapped.clear();
      this.pressed = false;
      this.angle = 0;
      this.throttle = 0;
    }
  }

  // A fixed round pad: drag the knob; x steers, y (up = forward) throttles. Pointer Events
  // cover mouse, touch and pen alike; the pointer is captured so a drag that leaves the
  // pad keeps driving until it lifts.
  class Joystick {
    constructor(zone, knob) {
      this.zone = zone;
      this.knob = knob;
      this.pointer = null;
      this.angle = 0;
      this.throttle = 0;
      zone.addEventListener("pointerdown", (event) => this.onDown(event));
      zone.addEventListener("pointermove", (event) => this.onMove(event));
      for (const name of ["pointerup", "pointercancel", "lostpointercapture"]) {
        zone.addEventListener(name, (event) => this.onUp(event));
      }
    }

    onDown(event) {
      if (this.pointer !== null) return;
      this.pointer = event.pointerId;
      this.pressed = true;
      this.zone.setPointerCapture(event.pointerId);
      this.zone.classList.add("held");
      this.onMove(event);
      event.preventDefault();
    }

    onMove(event) {
      if (event.pointerId !== this.pointer) return;
      const box = this.zone.getBoundingClientRect();
      const radius = box.width / 2;
      let x = (event.clientX - box.left - radius) / radius;
      let y = (event.clientY - box.top - box.height / 2) / radius;
      const length = Math.hypot(x, y);
      if (length > 1) {
        x /= length;
        y /= length;
      }
      this.angle = x;
      this.throttle = -y;
      this.knob.style.transform = `translate(${x * 50}%, ${y * 50}%)`;
    }

    onUp(event) {
      if (event.pointerId !== this.pointer) return;
      this.release();
    }

    release() {
      this.pointer = null;
      this.pressed = false;
      this.angle = 0;
      this.throttle = 0;
      this.zone.classList.remove("held");
      this.knob.style.transform = "";
    }

    read() {
      const pressed = Boolean(this.pressed);
      this.pressed = false;
      return { angle: this.angle, throttle: this.throttle, active: this.pointer !== null,
        pressed };
    }
  }

  // The first connected pad (Gamepad API, polled). Standard mapping: left stick up/down
  // throttles, right stick left/right steers (left stick on a pad with two axes only);
  // A / cross toggles recording, B / circle is Stop Car, Y / triangle cycles the mode.
  const BUTTON_ACTIONS = { 0: "record", 1: "stop", 3: "mode" };

  function deadZone(value, zone) {
    if (typeof value !== "number" || Math.abs(value) < zone) return 0;
    return Math.sign(value) * (Math.abs(value) - zone) / (1 - zone);
  }

  class Gamepad {
    constructor(actions, onChange) {
      this.actions = actions;
      this.onChange = onChange;
      this.buttonsDown = {};
      this.name = null;
      this.wasActive = false;
      window.addEventListener("gamepadconnected", () => this.poll());
      window.addEventListener("gamepaddisconnected", () => this.poll());
    }

    pad() {
      if (!navigator.getGamepads) return null;
      for (const pad of navigator.getGamepads()) if (pad && pad.connected) return pad;
      return null;
    }

    poll() {
      const pad = this.pad();
      const name = pad ? pad.id : null;
      if (name !== this.name) {
        this.name = name;
        this.onChange(name);
      }
      return pad;
    }

    read() {
      const pad = this.poll();
      if (pad === null) return { angle: 0, throttle: 0, active: false, pressed: false };
      for (const [index, action] of Object.entries(BUTTON_ACTIONS)) {
        const down = Boolean(pad.buttons[index] && pad.buttons[index].pressed);
        if (down && !this.buttonsDown[index]) this.actions[action]();
        this.buttonsDown[index] = down;
      }
      const steerAxis = pad.axes.length >= 4 ? 2 : 0;
      const angle = deadZone(pad.axes[steerAxis], 0.05);
      const throttle = -deadZone(pad.axes[1], 0.15);
      const active = angle !== 0 || throttle !== 0;
      const pressed = active && !this.wasActive;
      this.wasActive = active;
      return { angle, throttle, active, pressed };
    }
  }

  // Phone tilt steering (DeviceOrientation): the phone held like a wheel steers, relative
  // to how it was held when tilt was switched on; full lock at 30 degrees. Throttle still
  // comes from the joystick / keys / pad (or Constant throttle while one of them is held).
  const FULL_LOCK_DEGREES = 30;
  const TILT_DEAD_ZONE_DEGREES = 3;

  class Tilt {
    constructor() {
      this.enabled = false;
      this.zero = null;
      this.degrees = 0;
      window.addEventListener("deviceorientation", (event) => this.onOrientation(event));
    }

    static available() {
      return "DeviceOrientationEvent" in window;
    }

    // Must run inside a click handler: iOS asks the user for permission there.
    async enable() {
      if (!window.isSecureContext) {
        throw new Error("tilt steering needs the page on https:// or localhost: browsers " +
          "give the motion sensors only to secure pages");
      }
      const request = window.DeviceOrientationEvent &&
        window.DeviceOrientationEvent.requestPermission;
      if (typeof request === "function") {
        const answer = await request.call(window.DeviceOrientationEvent);
        if (answer !== "granted") throw new Error("motion sensors: permission " + answer);
      }
      this.zero = null;
      this.enabled = true;
    }

    disable() {
      this.enabled = false;
    }

    // In landscape the wheel turns about the screen's long axis (beta), in portrait gamma.
    static steeringDegrees(event) {
      const turn = (screen.orientation && screen.orientation.angle) || window.orientation || 0;
      if (turn === 90) return -event.beta;
      if (turn === -90 || turn === 270) return event.beta;
      return event.gamma;
    }

    onOrientation(event) {
      if (event.beta === null || event.gamma === null) return;
      const degrees = Tilt.steeringDegrees(event);
      if (this.zero === null) this.zero = degrees;
      this.degrees = degrees - this.zero;
    }

    // The steering angle; tilt never throttles, so it never counts as an active input.
    angle() {
      if (!this.enabled) return 0;
      const angle = deadZone(this.degrees / FULL_LOCK_DEGREES, TILT_DEAD_ZONE_DEGREES /
        FULL_LOCK_DEGREES);
      return clamp(angle, -1, 1);
    }
  }

  return { Keyboard, Joystick, Gamepad, Tilt };
})();
