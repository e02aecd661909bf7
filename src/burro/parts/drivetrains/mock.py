"""MOCK: a drivetrain with no hardware that remembers what it was asked."""

from __future__ import annotations

from collections import deque
from typing import Any

from burro.parts.drivetrains import DRIVETRAINS
from burro.parts.drivetrains._keys import DRIVE_TRAIN_TYPE
from burro.parts.drivetrains._pwm import finite_or_zero


@DRIVETRAINS.register("MOCK")
class MockDrivetrain:
    """Inputs `angle`, `throttle`; no outputs, no device.

    `received` holds the last 10,000 (angle, throttle) pairs as given; `angle` and
    `throttle` what a real drivetrain would apply (clamped to [-1, 1], None/NaN = 0);
    `shut_down` turns True at shutdown, which sets both to neutral.
    """

    threaded = False
    inputs = ("angle", "throttle")
    outputs = ()
    shutdown_first = True  # neutral within one tick of a stop (docs/vehicle.md)
    keys = (DRIVE_TRAIN_TYPE,)

    def __init__(self, cfg: Any = None, history: int = 10_000):
        self.received: deque[tuple[Any, Any]] = deque(maxlen=history)
        self.angle = 0.0
        self.throttle = 0.0
        self.shut_down = False

    def run(self, angle: Any = 0.0, throttle: Any = 0.0) -> None:
        self.received.append((angle, throttle))
        self.angle = finite_or_zero(angle)
        self.throttle = finite_or_zero(throttle)

    def shutdown(self) -> None:
        self.angle = self.throttle = 0.0
        self.shut_down = True
