"""JoystickController: a physical pad on the Linux joystick API as the car's user controller,
together with the web page (docs/joystick.md)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts._values import finite
from burro.parts.joystick.controls import controls_lines, unmapped_reason
from burro.parts.joystick.device import DeviceLost, JoystickDevice, JsEvent
from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS, controller_map
from burro.parts.joystick.pad import THROTTLE_STEP, PadState

log = logging.getLogger("burro.parts.joystick")

MODES = ("user", "local_angle", "local")
POLL_S = 0.05  # how long the reader waits for records before it checks for silence / shutdown
ACTIVE_S = 1.0  # the pad keeps control this long after its last use (CONTRACT: 1 s)
RETRY_S = 1.0
KEYS_IN = ["user/angle", "user/throttle", "user/mode", "recording", "user/stop"]


@PARTS.register("JoystickController")
class JoystickController:
    """Inputs and outputs `user/angle, user/throttle, user/mode, recording, user/stop`
    (threaded: `update()` reads the pad, `run_threaded()` never waits).

    Who wins: while the pad is active (a stick outside JOYSTICK_DEADZONE, constant throttle,
    or a control used within the last second) its angle and throttle replace the inputs
    (the web page's); otherwise those pass through. Mode and recording: the last change
    wins — a change in the inputs is adopted, a change made on the pad goes out. A stop
    (`user/stop` True in the inputs, or the pad's e-stop) gives angle 0, throttle 0, mode
    user, recording off and `user/stop` True on that tick; the pad's throttle then stays 0
    until its stick is back in the dead zone.

    A pad that is unplugged, out of range or (while its throttle is on) silent for
    JOYSTICK_SILENCE_TIMEOUT seconds: throttle 0, mode user, recording off and one warning;
    the device is opened again every second and the pad drives again when it is back. A
    device file that does not exist yet is waited for the same way.

    Hooks the car sets: `erase_last_n()` (the tub writer's), `behavior` (`next_state()`),
    `ai_launch` (`enable_ai_launch()`); `controls_lines()` is the controls table.
    """

    threaded = True
    inputs = KEYS_IN
    outputs = KEYS_IN

    keys = (
        Key("USE_JOYSTICK_AS_DEFAULT", t.BOOL, True,
            "Drive with a physical pad (as `manage.py drive --js`) beside the web page."),
        Key("CONTROLLER_TYPE", t.STR, "xbox",
            lambda: f"Pad map: {', '.join(CONTROLLER_MAPS.names())} (docs/joystick.md)."),
        Key("JOYSTICK_DEVICE_FILE", t.STR, "/dev/input/js0", "The pad's joystick device file."),
        Key("JOYSTICK_MAX_THROTTLE", t.FLOAT, 0.5,
            "Throttle at full stick, 0..1 (the max throttle buttons change it while driving)."),
        Key("JOYSTICK_STEERING_SCALE", t.FLOAT, 1.0, "Steering = stick position times this."),
        Key("JOYSTICK_THROTTLE_DIR", t.FLOAT, -1.0,
            "-1.0: pushing the throttle stick up drives forward (most pads report up as -1)."),
        Key("JOYSTICK_DEADZONE", t.NON_NEGATIVE_FLOAT, 0.01,
            "Stick positions within this of centre count as 0 (raise it if a resting stick "
            "keeps the pad in control)."),
        Key("JOYSTICK_CUSTOM_MAP", t.STR, "myjoystick.json",
            "CONTROLLER_TYPE custom: the map `burro createjs` wrote, relative to CAR_PATH."),
        Key("JOYSTICK_SILENCE_TIMEOUT", t.NON_NEGATIVE_FLOAT, 2.0,
            "Seconds without events while the pad's throttle is on before it counts as "
            "lost (0 = never)."),
    )

    def __init__(self, controller_map: ControllerMap, device_file: str = "/dev/input/js0", *,
                 max_throttle: float = 0.5, steering_scale: float = 1.0,
                 throttle_dir: float = -1.0, dead_zone: float = 0.01,
                 auto_record_on_throttle: bool = True, erase_count: int = 100,
                 ai_launch_button: str | None = "R2", silence_timeout: float = 2.0,
                 retry_seconds: float = RETRY_S, active_seconds: float = ACTIVE_S,
                 device_name: str | None = None, axis_codes: list[int] | None = None,
                 button_codes: list[int] | None = None):
        _check_settings(max_throttle, steering_scale, throttle_dir, dead_zone)
        self.map = controller_map
        self.device = JoystickDevice(device_file, device_name, axis_codes, button_codes)
        self.pad = PadState(max_throttle=max_throttle, steering_scale=steering_scale,
                            throttle_dir=throttle_dir, dead_zone=dead_zone,
                            auto_record_on_throttle=auto_record_on_throttle,
                            inverted=controller_map.inverted, steering=controller_map.steering,
                            throttle=controller_map.throttle)
        self.erase_count = erase_count
        self.ai_launch_button = ai_launch_button
        self.silence_timeout = float(silence_timeout)
        self.retry_seconds = float(retry_seconds)
        self.active_seconds = float(active_seconds)
        self.erase_last_n: Callable[[], Any] | None = None
        self.behavior: Any = None
        self.ai_launch: Any = None
        self.connected = False
        self.events_seen = 0  # records read from the device, init ones included
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._codes: tuple[list[int], list[int]] = controller_map.default_layout()
        self._hats_down: set[str] = set()
        self._last_event = time.monotonic()
        self._silent = False
        self._unavailable_warned = False
        self._was_lost = False
        self._reported: set[str] = set()
        self._last_out: tuple = (None, None, None)  # mode, recording, stop of the last tick

    @classmethod
    def from_config(cls, cfg) -> JoystickController:
        return cls(controller_map(cfg.CONTROLLER_TYPE, cfg), cfg.JOYSTICK_DEVICE_FILE,
                   max_throttle=cfg.JOYSTICK_MAX_THROTTLE,
                   steering_scale=cfg.JOYSTICK_STEERING_SCALE,
                   throttle_dir=cfg.JOYSTICK_THROTTLE_DIR, dead_zone=cfg.JOYSTICK_DEADZONE,
                   auto_record_on_throttle=cfg.AUTO_RECORD_ON_THROTTLE,
                   erase_count=cfg.ERASE_LAST_N_RECORDS,
                   ai_launch_button=cfg.AI_LAUNCH_ENABLE_BUTTON,
                   silence_timeout=cfg.JOYSTICK_SILENCE_TIMEOUT)

    # ----- the loop's side -------------------------------------------------------------------

    def run_threaded(self, angle=None, throttle=None, mode=None, recording=None, stop=None):
        now = time.monotonic()
        pad = self.pad
        with self._lock:
            last_mode, last_recording, last_stop = self._last_out
            stop_in = bool(stop) and not last_stop  # not our own stop coming back
            if mode in MODES and mode != last_mode and not pad.mode_changed:
                pad.mode = mode
            if recording is not None and bool(recording) != last_recording \
                    and not pad.recording_changed:
                pad.recording = bool(recording)
            if stop_in:
                pad.stopped()
            stopping = stop_in or pad.stop_requested
            pad.mode_changed = pad.recording_changed = pad.stop_requested = False
            if stopping:
                angle, throttle = 0.0, 0.0
            elif pad.active(now, self.active_seconds):
                angle, throttle = pad.angle, pad.throttle
            self._last_out = (pad.mode, pad.recording, stopping)
            return angle, throttle, pad.mode, pad.recording, stopping

    def controls_lines(self) -> list[str]:
        """The start-up table: each control and what it does (hooks as set now)."""
        return controls_lines(self)

    def action_for(self, control: str) -> str | None:
        """The action of a control now: the behaviour and launch hooks take their buttons."""
        if control == self.map.behavior_control and self.behavior is not None:
            return "behavior_next"
        if control == self.ai_launch_button and self.ai_launch is not None:
            return "ai_launch"
        return self.map.actions.get(control)

    def shutdown(self) -> None:
        self._stopping.set()

    # ----- the reader thread -----------------------------------------------------------------

    def update(self) -> None:
        device = self.device
        try:
            while not self._stopping.is_set():
                if not device.is_open and not self._open():
                    self._stopping.wait(self.retry_seconds)
                    continue
                try:
                    if device.wait(POLL_S):
                        self._handle_all(device.read_events())
                    self._check_silence()
                except DeviceLost as lost:
                    device.close()
                    self._lose(str(lost))
                    self._stopping.wait(self.retry_seconds)
        finally:
            device.close()

    def _open(self) -> bool:
        device = self.device
        try:
            device.open()
        except OSError as error:
            if not self._unavailable_warned:
                self._unavailable_warned = True
                log.warning("joystick: %s — retrying every %g s; the web page drives meanwhile",
                            _unavailable(device.path, error), self.retry_seconds)
            return False
        self._unavailable_warned = False
        layout = self.map.default_layout()
        self._codes = (device.axis_codes or layout[0], device.button_codes or layout[1])
        with self._lock:
            self.connected = True
            self._last_event = time.monotonic()
            self._hats_down.clear()
        self._report_connection()
        return True

    def _report_connection(self) -> None:
        device = self.device
        named = f" ({device.name!r})" if device.name else ""
        if self._was_lost:
            log.warning("joystick: the pad on %s%s is back", device.path, named)
        else:
            log.info("joystick: %s%s opened as CONTROLLER_TYPE %s", device.path, named,
                     self.map.name)
        reason = unmapped_reason(self.map, device)
        if reason and reason not in self._reported:
            self._reported.add(reason)
            log.warning("joystick: the pad on %s%s does not fit CONTROLLER_TYPE %r: %s — set "
                        "CONTROLLER_TYPE to its type (%s) or map it with `burro createjs`",
                        device.path, named, self.map.name, reason,
                        ", ".join(CONTROLLER_MAPS.names()))

    def _lose(self, reason: str) -> None:
        with self._lock:
            self.connected = False
            self.pad.lost(hold=False)
            self._hats_down.clear()
        self._was_lost = True
        log.warning("joystick: lost the pad on %s (%s): throttle 0, mode user, recording off; "
                    "waiting for it to come back", self.device.path, reason)

    def _check_silence(self) -> None:
        if self.silence_timeout <= 0:
            return
        with self._lock:
            quiet_s = time.monotonic() - self._last_event
            if self._silent or not self.pad.throttle_out or quiet_s <= self.silence_timeout:
                return
            self._silent = True
            self.pad.lost(hold=True)
        log.warning("joystick: no events from the pad on %s for %.1f s while its throttle was "
                    "on: throttle 0, mode user, recording off; move the throttle stick back "
                    "to centre to drive again", self.device.path, quiet_s)

    def _handle_all(self, events: list[JsEvent]) -> None:
        now = time.monotonic()
        hooks: list[Callable[[], None]] = []
        with self._lock:
            self._last_event = now
            self.events_seen += len(events)
            if self._silent:
                self._silent = False
                log.warning("joystick: the pad on %s sends events again", self.device.path)
            for event in events:
                if not event.is_init:
                    hooks += self._handle(event, now)
        for hook in hooks:
            hook()

    def _handle(self, event: JsEvent, now: float) -> list[Callable[[], None]]:
        axis_codes, button_codes = self._codes
        if event.is_button:
            code = _code_at(button_codes, event.number)
            control = self.map.buttons.get(code) if code is not None else None
            return self._press(control, now) if control and event.value else []
        if not event.is_axis:
            return []
        code = _code_at(axis_codes, event.number)
        axis = self.map.axes.get(code) if code is not None else None
        if axis is None:
            return []
        return self._move(axis, event.axis_value, now)

    def _move(self, axis: str, position: float, now: float) -> list[Callable[[], None]]:
        cmap, pad = self.map, self.pad
        if axis == cmap.steering:
            pad.steer(position, now)
        if axis == cmap.throttle:
            pad.throttle_stick(position, now)
        forward, reverse = cmap.throttle_triggers
        if axis in (forward, reverse):
            pad.throttle_trigger(position, axis == forward, now)
        hooks = []
        for control, (hat_axis, direction) in cmap.hats.items():
            if hat_axis != axis:
                continue
            if position * direction > 0.5:
                if control not in self._hats_down:
                    self._hats_down.add(control)
                    hooks += self._press(control, now)
            else:
                self._hats_down.discard(control)
        return hooks

    def _press(self, control: str, now: float) -> list[Callable[[], None]]:
        action = self.action_for(control)
        if action is None:
            return []
        pad = self.pad
        pad.last_use = now
        if action == "erase_or_stop":
            action = "erase_records" if pad.mode == "user" else "emergency_stop"
        hook = {"erase_records": self._erase, "ai_launch": self._launch,
                "behavior_next": self._next_behavior}.get(action)
        if hook is not None:
            return [hook]  # called after the lock is released (the tub writer may wait)
        {"toggle_mode": pad.toggle_mode, "toggle_recording": pad.toggle_recording,
         "emergency_stop": pad.emergency_stop,
         "increase_max_throttle": lambda: pad.change_max_throttle(THROTTLE_STEP),
         "decrease_max_throttle": lambda: pad.change_max_throttle(-THROTTLE_STEP),
         "toggle_constant_throttle": pad.toggle_constant_throttle}[action]()
        return []

    # ----- the hooks -------------------------------------------------------------------------

    def _erase(self) -> None:
        self._call("erase records", self.erase_last_n, "nothing is being recorded (no tub)")

    def _launch(self) -> None:
        hook = getattr(self.ai_launch, "enable_ai_launch", None)
        self._call("AI launch", hook, "the car has no AI launch part")

    def _next_behavior(self) -> None:
        hook = getattr(self.behavior, "next_state", None)
        self._call("behaviour state", hook, "the car has no behaviour states")

    def _call(self, what: str, hook: Callable[[], Any] | None, missing: str) -> None:
        if hook is None:
            log.warning("joystick: %s pressed, but %s", what, missing)
            return
        try:
            result = hook()
        except Exception as error:  # noqa: BLE001 - a hook must not end the reader thread
            log.error("joystick: %s failed: %s: %s", what, type(error).__name__, error)
            return
        if what == "erase records":
            count = len(result) if isinstance(result, (list, tuple)) else result
            log.info("joystick: erased the last %s records", count)


def _code_at(codes: list[int], number: int) -> int | None:
    return codes[number] if number < len(codes) else None


def _unavailable(path: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"{path} does not exist (no pad paired or plugged in)"
    if isinstance(error, PermissionError):
        return f"cannot open {path}: permission denied (add the user to the input group)"
    return f"cannot open {path}: {error.strerror or error}"


def _check_settings(max_throttle, steering_scale, throttle_dir, dead_zone) -> None:
    checks = (
        ("JOYSTICK_MAX_THROTTLE", max_throttle, finite(max_throttle) and 0 <= max_throttle <= 1,
         "set it between 0.0 and 1.0, e.g. 0.5"),
        ("JOYSTICK_STEERING_SCALE", steering_scale, finite(steering_scale),
         "set it to a number, e.g. 1.0"),
        ("JOYSTICK_THROTTLE_DIR", throttle_dir, throttle_dir in (-1, 1, -1.0, 1.0),
         "set it to -1.0 or 1.0"),
        ("JOYSTICK_DEADZONE", dead_zone, finite(dead_zone) and 0 <= dead_zone < 1,
         "set it between 0.0 and 1.0, e.g. 0.05"),
    )
    for name, value, good, todo in checks:
        if not good:
            raise BurroError(f"{name} = {value!r} is out of range", name, todo)
