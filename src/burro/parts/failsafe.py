"""The fail-safe: throttle 0 while what the car would drive on is stale or broken.

It sits just before the drivetrain. Donkey has no such part; burro never drives blind on an
old frame.
"""

from __future__ import annotations

import logging
import math
import numbers
from typing import Any, NamedTuple

from burro.config import types as t
from burro.config.defaults import Key
from burro.parts import PARTS

log = logging.getLogger("burro.parts.failsafe")

WAITING = "waiting for the first camera frame"


class Stop(NamedTuple):
    state: str  # what is wrong, the same on every tick it lasts ("camera stale")
    text: str  # for the log, with this tick's figures


NO_FRAME = Stop("no frame", "no camera frame (the camera failed)")


def finite(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


@PARTS.register("FailSafe")
class FailSafe:
    """Passes angle and throttle on, or throttle 0 while any of these holds:

    - the camera is stale: no frame yet, or `cam/frame_time` has not changed for more than
      `CAMERA_TIMEOUT` seconds of loop time;
    - in a pilot mode (`user/mode` other than "user": local_angle, local, or None from a
      failed controller) the pilot output is missing (`pilot/frame_time` None: the pilot
      failed or has not run) or is for a frame more than `CAMERA_TIMEOUT` older than the
      newest camera frame;
    - throttle is None, NaN or infinite, or angle is NaN or infinite.

    While stopped, a finite angle is kept (steering does not move the car, and a one-tick
    glitch does not jerk the servo to the centre and back); a None or non-finite angle becomes
    0. Fresh data releases the throttle on the same tick. Each change of state is logged once.

    inputs: angle, throttle, user/mode, cam/frame_time, pilot/frame_time, loop/time
    outputs: angle, throttle
    """

    keys = (
        Key("CAMERA_TIMEOUT", t.POSITIVE_FLOAT, 0.5,
            "Seconds without a new camera frame (or a pilot output for a recent frame) after "
            "which the fail-safe holds the throttle at 0 until fresh data returns."),
    )

    def __init__(self, camera_timeout: float = 0.5):
        self.camera_timeout = camera_timeout
        self.stop: Stop | None = Stop("waiting", WAITING)  # why throttle is 0; None: driving
        self.stopped_since: float | None = None
        self._frame_time: float | None = None
        self._frame_seen_at: float | None = None

    @classmethod
    def from_config(cls, cfg: Any) -> FailSafe:
        return cls(camera_timeout=cfg.CAMERA_TIMEOUT)

    def run(self, angle: Any, throttle: Any, mode: str | None, cam_frame_time: float | None,
            pilot_frame_time: float | None, loop_time: float) -> tuple[float, float]:
        if loop_time is None:
            raise ValueError("FailSafe needs loop/time (the Vehicle writes it every tick)")
        if self.stopped_since is None and self.stop is not None:
            self.stopped_since = loop_time  # the first tick
        stop = self.stop_reason(angle, throttle, mode, cam_frame_time, pilot_frame_time,
                                loop_time)
        self._report(stop, loop_time)
        angle = float(angle) if finite(angle) else 0.0
        return (angle, 0.0) if stop else (angle, float(throttle))

    def stop_reason(self, angle: Any, throttle: Any, mode: str | None,
                    cam_frame_time: float | None, pilot_frame_time: float | None,
                    loop_time: float) -> Stop | None:
        """Why the throttle must be 0 on this tick, or None when the data is fresh and sane."""
        frame_age = self._frame_age(cam_frame_time, loop_time)
        if cam_frame_time is None:
            return self.stop if self.stop and self.stop.state == "waiting" else NO_FRAME
        if frame_age > self.camera_timeout:
            return Stop("camera stale", f"camera stale: no new frame for {frame_age:.2f} s")
        if mode != "user":
            if pilot_frame_time is None:
                return Stop("no pilot", f"no pilot output in mode {mode}")
            lag = cam_frame_time - pilot_frame_time
            if lag > self.camera_timeout:
                return Stop("pilot stale", f"pilot stale: its output is for a frame {lag:.2f} s "
                            "older than the camera's")
        if not finite(throttle):
            return Stop("bad throttle", f"throttle is {throttle!r}")
        if angle is not None and not finite(angle):
            return Stop("bad angle", f"angle is {angle!r}")
        return None

    def _frame_age(self, cam_frame_time: float | None, loop_time: float) -> float:
        """Loop time since `cam/frame_time` last changed (the camera's clock may differ)."""
        if cam_frame_time != self._frame_time or self._frame_seen_at is None:
            self._frame_time, self._frame_seen_at = cam_frame_time, loop_time
        return loop_time - self._frame_seen_at

    def _report(self, stop: Stop | None, loop_time: float) -> None:
        """Log a change of state once, not the per-tick details (ages change every tick)."""
        if (stop and stop.state) == (self.stop and self.stop.state):
            self.stop = stop
            return
        if stop is None:
            log.info("fail-safe: fresh data, throttle released (held at 0 for %.2f s)",
                     loop_time - self.stopped_since)
        else:
            log.warning("fail-safe: throttle 0 until fresh data returns: %s", stop.text)
        if self.stop is None:
            self.stopped_since = loop_time
        self.stop = stop
