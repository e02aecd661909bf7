"""What one pad commands: steering, throttle, mode, recording and the stop request, changed
by its controls (Donkey's JoystickController actions). Not thread-safe on its own: the
JoystickController calls it under its lock."""

from __future__ import annotations

import logging
import math

log = logging.getLogger("burro.parts.joystick")

NEXT_MODE = {"user": "local_angle", "local_angle": "local", "local": "user"}
THROTTLE_STEP = 0.01


def _clamped(value: float) -> float:
    return max(-1.0, min(1.0, value))


class PadState:
    """The pad's own values. The throttle is `throttle_command` (what the stick or triggers
    say, in [-1, 1]) times `throttle_scale` (JOYSTICK_MAX_THROTTLE, changed by the max
    throttle buttons). Positions inside the dead zone count as 0. After a stop, the throttle
    is held at 0 until the throttle stick is back inside the dead zone (`holding`)."""

    def __init__(self, *, max_throttle: float = 0.5, steering_scale: float = 1.0,
                 throttle_dir: float = -1.0, dead_zone: float = 0.01,
                 auto_record_on_throttle: bool = True, inverted: frozenset[str] = frozenset(),
                 steering: str = "", throttle: str = ""):
        self.throttle_scale = float(max_throttle)
        self.steering_scale = float(steering_scale)
        self.throttle_dir = float(throttle_dir)
        self.dead_zone = float(dead_zone)
        self.auto_record_on_throttle = bool(auto_record_on_throttle)
        self._steering_sign = -1.0 if steering in inverted else 1.0
        self._throttle_sign = -1.0 if throttle in inverted else 1.0
        self.angle = 0.0
        self.throttle_command = 0.0
        self.constant_throttle = False
        self.holding = False
        self.steering_out = False  # the steering stick is outside the dead zone
        self.throttle_out = False
        self.mode = "user"
        self.recording = False
        self.mode_changed = False  # the pad changed the mode since the last tick
        self.recording_changed = False
        self.stop_requested = False
        self.last_use = -math.inf

    @property
    def throttle(self) -> float:
        return _clamped(self.throttle_command * self.throttle_scale)

    def active(self, now: float, window_s: float) -> bool:
        """The pad drives: a stick out of the dead zone, constant throttle, or a control used
        within the last `window_s` seconds."""
        return (self.steering_out or self.throttle_out or self.constant_throttle
                or now - self.last_use <= window_s)

    # ----- sticks and triggers ---------------------------------------------------------------

    def steer(self, position: float, now: float) -> None:
        steering = self._outside_dead_zone(self._steering_sign * position)
        if steering or self.steering_out:
            self.last_use = now
        self.steering_out = steering != 0.0
        self.angle = _clamped(self.steering_scale * steering)

    def throttle_stick(self, position: float, now: float) -> None:
        self._set_throttle(self.throttle_dir * self._outside_dead_zone(
            self._throttle_sign * position), now)

    def throttle_trigger(self, position: float, forward: bool, now: float) -> None:
        """A trigger from released (-1) to pulled (+1): forward or reverse throttle."""
        pulled = self._outside_dead_zone((position + 1.0) / 2.0)
        self._set_throttle(pulled if forward else -pulled, now)

    def _set_throttle(self, command: float, now: float) -> None:
        if command or self.throttle_out:
            self.last_use = now
        self.throttle_out = command != 0.0
        if self.holding:
            if command:
                return
            self.holding = False
        self.throttle_command = _clamped(command)
        self._auto_record()

    def _outside_dead_zone(self, value: float) -> float:
        return 0.0 if abs(value) <= self.dead_zone else value

    # ----- actions ---------------------------------------------------------------------------

    def toggle_mode(self) -> None:
        self._set_mode(NEXT_MODE.get(self.mode, "user"))
        log.info("joystick: mode %s", self.mode)

    def toggle_recording(self) -> None:
        if self.auto_record_on_throttle:
            log.info("joystick: AUTO_RECORD_ON_THROTTLE is on, so the record toggle is ignored")
            return
        self._set_recording(not self.recording)
        log.info("joystick: recording %s", "on" if self.recording else "off")

    def change_max_throttle(self, step: float) -> None:
        self.throttle_scale = round(max(0.0, min(1.0, self.throttle_scale + step)), 2)
        self._auto_record()
        log.info("joystick: max throttle %.2f", self.throttle_scale)

    def toggle_constant_throttle(self) -> None:
        self.constant_throttle = not self.constant_throttle
        self.holding = False
        self.throttle_command = 1.0 if self.constant_throttle else 0.0
        self._auto_record()
        log.info("joystick: constant throttle %s", "on" if self.constant_throttle else "off")

    def emergency_stop(self) -> None:
        """The pad's e-stop: throttle 0 (held), mode user, recording off, a stop request."""
        self.stopped()
        self.stop_requested = True
        log.warning("joystick: emergency stop")

    def stopped(self) -> None:
        """A stop from anywhere: throttle 0 until the stick is back in the dead zone."""
        self.constant_throttle = False
        self.throttle_command = 0.0
        self.holding = self.throttle_out
        self._force_neutral_mode()

    def lost(self, hold: bool) -> None:
        """The pad went away or silent: everything neutral; `hold` keeps the throttle at 0
        until the stick reports a position inside the dead zone."""
        self.angle = 0.0
        self.throttle_command = 0.0
        self.constant_throttle = False
        self.steering_out = self.throttle_out = False
        self.holding = hold
        self.last_use = -math.inf
        self._force_neutral_mode()

    # ----- mode and recording ------------------------------------------------------------------

    def _force_neutral_mode(self) -> None:
        """Mode user, recording off, going out on the next tick whatever the inputs say."""
        self.mode, self.recording = "user", False
        self.mode_changed = self.recording_changed = True

    def _set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self.mode = mode
            self.mode_changed = True

    def _set_recording(self, recording: bool) -> None:
        if recording != self.recording:
            self.recording = recording
            self.recording_changed = True

    def _auto_record(self) -> None:
        """Donkey's auto-record: on while the throttle is on in user mode."""
        if self.auto_record_on_throttle:
            self._set_recording(self.throttle != 0.0 and self.mode == "user")
