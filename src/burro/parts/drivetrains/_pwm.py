"""Servo steering + ESC throttle on PCA9685 channels: Donkey's pulse mapping and its checks.

Shared by PWM_STEERING_THROTTLE (pin specs in a dict) and SERVO_ESC (legacy top-level keys).
Calibrated values are 12-bit counts at 60 Hz, as in Donkey (1 ms ≈ 246, 1.5 ms ≈ 369,
2 ms ≈ 492).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from burro.errors import BurroError
from burro.parts.pca9685 import DEFAULT_FREQUENCY_HZ, PCA9685, STEPS, _smbus, counts_for
from burro.parts.pins import PCA9685Pin

log = logging.getLogger("burro.drivetrain")

# Pulses a servo or ESC can take: 0.5..2.5 ms (typos such as 46 or 4600 are refused)
SHORTEST = counts_for(0.0005, DEFAULT_FREQUENCY_HZ)
LONGEST = counts_for(0.0025, DEFAULT_FREQUENCY_HZ)


def finite_or_zero(value: Any) -> float:
    """None, NaN, ±inf and non-numbers mean neutral (0); anything else is clamped to [-1, 1]."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return min(max(number, -1.0), 1.0) if math.isfinite(number) else 0.0


def map_range(x: float, x_min: float, x_max: float, y_min: int, y_max: int) -> int:
    """Linear map of x in [x_min, x_max] onto [y_min, y_max], floored to an int (Donkey's)."""
    return int(math.floor((x - x_min) * (y_max - y_min) / (x_max - x_min) + y_min))


@dataclass(frozen=True)
class Calibration:
    """Pulse counts for full left/right steering and forward/stopped/reverse throttle."""

    left: int
    right: int
    forward: int
    stopped: int
    reverse: int

    def steering(self, angle: Any) -> int:
        return map_range(finite_or_zero(angle), -1, 1, self.left, self.right)

    def throttle(self, throttle: Any) -> int:
        value = finite_or_zero(throttle)  # clamped: pulses stay in the calibrated range
        if value > 0:
            return map_range(value, 0, 1, self.stopped, self.forward)
        return map_range(value, -1, 0, self.reverse, self.stopped)

    @property
    def centre(self) -> int:
        return self.steering(0.0)


def checked_calibration(values: Mapping[str, Any], where: Callable[[str], str]) -> Calibration:
    """A Calibration from Donkey's five *_PWM names, each checked; `where(name)` places errors."""
    names = ("STEERING_LEFT_PWM", "STEERING_RIGHT_PWM", "THROTTLE_FORWARD_PWM",
             "THROTTLE_STOPPED_PWM", "THROTTLE_REVERSE_PWM")
    for name in names:
        _check_pulse(values[name], where(name))
    cal = Calibration(*(values[name] for name in names))
    if cal.left == cal.right:
        raise BurroError(f"STEERING_LEFT_PWM and STEERING_RIGHT_PWM are both {cal.left}",
                         where("STEERING_RIGHT_PWM"),
                         "find the full-left and full-right pulses with burro calibrate")
    if cal.forward == cal.stopped:
        raise BurroError(f"THROTTLE_FORWARD_PWM equals THROTTLE_STOPPED_PWM ({cal.stopped}): "
                         "the car cannot move", where("THROTTLE_FORWARD_PWM"),
                         "find the forward pulse with burro calibrate")
    if (cal.reverse - cal.stopped) * (cal.forward - cal.stopped) > 0:
        raise BurroError(f"THROTTLE_REVERSE_PWM {cal.reverse} is on the forward side of "
                         f"THROTTLE_STOPPED_PWM {cal.stopped} (forward {cal.forward})",
                         where("THROTTLE_REVERSE_PWM"),
                         "forward and reverse pulses lie on opposite sides of stopped; "
                         "without reverse set it to the stopped value")
    return cal


def _check_pulse(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < STEPS:
        raise BurroError(f"PWM value {value!r} is not a 12-bit count (0..4095)", where,
                         "set it to the pulse count burro calibrate found, e.g. 370")
    if not SHORTEST <= value <= LONGEST:
        ms = 1000 * value / (STEPS * DEFAULT_FREQUENCY_HZ)
        raise BurroError(f"PWM value {value} is a {ms:.2f} ms pulse at 60 Hz; servos and ESCs "
                         f"take 1–2 ms (counts {SHORTEST}..{LONGEST} accepted)", where,
                         "check for a typo, or find the value with burro calibrate")


class PwmOutput:
    """One PCA9685 channel with Donkey's pulse controller rules: clamp to 0..4095, invert
    (4095 - pulse) for inverting drivers, then scale."""

    def __init__(self, chip: PCA9685, channel: int, scale: float = 1.0, inverted: bool = False):
        self.chip = chip
        self.channel = channel
        self.scale = scale
        self.inverted = inverted

    def write(self, counts: int) -> None:
        counts = min(max(int(counts), 0), STEPS - 1)
        if self.inverted:
            counts = STEPS - 1 - counts
        self.chip.set_counts(self.channel, min(int(counts * self.scale), STEPS - 1))


def open_chips(pins: Mapping[str, PCA9685Pin],
               bus_factory: Callable[[int], Any] | None) -> dict[str, PCA9685]:
    """One PCA9685 per (bus, address) for the pins by key name; pins on one chip share it."""
    chips: dict[tuple[int, int], PCA9685] = {}
    by_key = {}
    for key, pin in pins.items():
        place = (pin.bus, pin.address)
        if place not in chips:
            chips[place] = PCA9685(pin.bus, pin.address, bus_factory=bus_factory or _smbus,
                                   where=key)
        by_key[key] = chips[place]
    return by_key


class PwmDrivetrain:
    """Inputs `angle`, `throttle` (in [-1, 1]; None/NaN = neutral); no outputs.

    Writes the steering and throttle pulses when they change; `shutdown()` stops the
    throttle and centres the steering. Starts at neutral, which arms a hobby ESC.
    """

    threaded = False
    inputs = ("angle", "throttle")
    outputs = ()
    shutdown_first = True  # neutral within one tick of a stop (docs/vehicle.md)

    def __init__(self, steering: PwmOutput, throttle: PwmOutput, calibration: Calibration):
        self.steering = steering
        self.throttle = throttle
        self.calibration = calibration
        self._sent: dict[str, int | None] = {"steering": None, "throttle": None}
        self._neutral()

    def run(self, angle: Any = 0.0, throttle: Any = 0.0) -> None:
        self._send("steering", self.steering, self.calibration.steering(angle))
        self._send("throttle", self.throttle, self.calibration.throttle(throttle))

    def shutdown(self) -> None:
        try:
            self._neutral()
        except BurroError as exc:  # a broken bus at the end: say so, do not hide other errors
            log.error("could not put the drivetrain at neutral: %s", exc)
        for chip in {id(out.chip): out.chip for out in (self.steering, self.throttle)}.values():
            chip.close()

    def _neutral(self) -> None:
        self._sent = {"steering": None, "throttle": None}  # write both, whatever was sent
        self._send("throttle", self.throttle, self.calibration.stopped)
        self._send("steering", self.steering, self.calibration.centre)

    def _send(self, name: str, output: PwmOutput, counts: int) -> None:
        if self._sent[name] == counts:
            return
        self._sent[name] = None  # a failed write is retried next tick
        output.write(counts)
        self._sent[name] = counts
