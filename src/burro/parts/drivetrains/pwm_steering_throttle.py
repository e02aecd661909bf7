"""PWM_STEERING_THROTTLE: steering servo and ESC on PCA9685 channels named by pin specs."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts.drivetrains import DRIVETRAINS
from burro.parts.drivetrains._keys import DRIVE_TRAIN_TYPE
from burro.parts.drivetrains._pwm import PwmDrivetrain, PwmOutput, checked_calibration, open_chips
from burro.parts.pins import parse_pin
from burro.values import is_finite_number

KEY = "PWM_STEERING_THROTTLE"
DEFAULTS = {
    "PWM_STEERING_PIN": "PCA9685.1:40.1",
    "PWM_STEERING_SCALE": 1.0,
    "PWM_STEERING_INVERTED": False,
    "PWM_THROTTLE_PIN": "PCA9685.1:40.0",
    "PWM_THROTTLE_SCALE": 1.0,
    "PWM_THROTTLE_INVERTED": False,
    "STEERING_LEFT_PWM": 460,
    "STEERING_RIGHT_PWM": 290,
    "THROTTLE_FORWARD_PWM": 500,
    "THROTTLE_STOPPED_PWM": 370,
    "THROTTLE_REVERSE_PWM": 220,
}
DICT = t.ValueType("dict", lambda v: isinstance(v, dict), dict)


def where_in(cfg: Any) -> Callable[[str], str]:
    """`PWM_STEERING_THROTTLE['NAME'] in myconfig.py` for error messages (no name: the dict)."""
    source = cfg.source(KEY) if KEY in cfg else "default"
    return lambda name="": f"{KEY}[{name!r}] in {source}" if name else f"{KEY} in {source}"


@DRIVETRAINS.register("PWM_STEERING_THROTTLE")
class PwmSteeringThrottle(PwmDrivetrain):
    """Servo steering + ESC throttle from Donkey's `PWM_STEERING_THROTTLE` dict.

    Inputs `angle`, `throttle` in [-1, 1]; no outputs. Pins are `PCA9685.<bus>:<hex
    address>.<channel>`; the *_PWM values are 12-bit counts at 60 Hz.
    """

    keys = (
        DRIVE_TRAIN_TYPE,
        Key(KEY, DICT, DEFAULTS,
            "Donkey's dict for PWM_STEERING_THROTTLE: PWM_STEERING_PIN/PWM_THROTTLE_PIN "
            "(PCA9685.<bus>:<hex addr>.<channel>), *_SCALE, *_INVERTED and the 12-bit pulse "
            "counts at 60 Hz STEERING_LEFT/RIGHT_PWM, THROTTLE_FORWARD/STOPPED/REVERSE_PWM; "
            "entries left out keep these defaults."),
    )

    def __init__(self, cfg: Any, bus_factory: Callable[[int], Any] | None = None):
        where = where_in(cfg)
        values = _with_defaults(cfg.get(KEY, DEFAULTS), where)
        calibration = checked_calibration(values, where)
        pins = {name: parse_pin(values[name], where(name))
                for name in ("PWM_STEERING_PIN", "PWM_THROTTLE_PIN")}
        if pins["PWM_STEERING_PIN"] == pins["PWM_THROTTLE_PIN"]:
            raise BurroError(f"steering and throttle are both on {pins['PWM_STEERING_PIN']}",
                             where("PWM_THROTTLE_PIN"), "give each its own channel")
        chips = open_chips({where(name): pin for name, pin in pins.items()}, bus_factory)
        outputs = [PwmOutput(chips[where(f"PWM_{part}_PIN")], pins[f"PWM_{part}_PIN"].channel,
                             _scale(values, f"PWM_{part}_SCALE", where),
                             _flag(values, f"PWM_{part}_INVERTED", where))
                   for part in ("STEERING", "THROTTLE")]
        super().__init__(*outputs, calibration)


def _with_defaults(given: Any, where: Callable[[str], str]) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise BurroError(f"{KEY} must be a dict, got {type(given).__name__}", where(),
                         f"copy Donkey's {KEY} dict from config.py into myconfig.py")
    unknown = [name for name in given if name not in DEFAULTS]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), DEFAULTS, n=1)
        hint = f"did you mean {close[0]}?" if close else f"use: {', '.join(DEFAULTS)}"
        raise BurroError(f"unknown entry {unknown[0]!r} in {KEY}", where(unknown[0]), hint)
    return {**DEFAULTS, **given}


def _scale(values: dict[str, Any], name: str, where: Callable[[str], str]) -> float:
    value = values[name]
    if not is_finite_number(value) or value <= 0:
        raise BurroError(f"{name} must be a number > 0, got {value!r}", where(name),
                         "leave it at 1.0 unless the chip's clock is off")
    return float(value)


def _flag(values: dict[str, Any], name: str, where: Callable[[str], str]) -> bool:
    value = values[name]
    if not isinstance(value, bool):
        raise BurroError(f"{name} must be True or False, got {value!r}", where(name),
                         "True only for a driver circuit that inverts the signal")
    return value
