"""SERVO_ESC: steering servo and ESC on one PCA9685 with the legacy top-level keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts.drivetrains import DRIVETRAINS
from burro.parts.drivetrains._keys import DRIVE_TRAIN_TYPE
from burro.parts.drivetrains._pwm import PwmDrivetrain, PwmOutput, checked_calibration, open_chips
from burro.parts.pins import PCA9685Pin

PWM = t.int_between(0, 4095)
DEFAULT_BUS = 1  # the Pi's and the Jetson Nano's 40-pin header I2C


def _where(cfg: Any) -> Callable[[str], str]:
    return lambda name: f"{name} in {cfg.source(name) if name in cfg else 'default'}"


@DRIVETRAINS.register("SERVO_ESC", aliases=("I2C_SERVO",))
class ServoEsc(PwmDrivetrain):
    """Servo steering + ESC throttle from Donkey's older keys (`STEERING_CHANNEL`, ...).

    Inputs `angle`, `throttle` in [-1, 1]; no outputs. Both channels are on the PCA9685 at
    `PCA9685_I2C_ADDR` on bus `PCA9685_I2C_BUSNUM` (None = bus 1).
    """

    keys = (
        DRIVE_TRAIN_TYPE,
        Key("STEERING_CHANNEL", t.int_between(0, 15), 1, "SERVO_ESC: PCA9685 channel of the steering servo."),
        Key("THROTTLE_CHANNEL", t.int_between(0, 15), 0, "SERVO_ESC: PCA9685 channel of the ESC."),
        Key("STEERING_LEFT_PWM", PWM, 460, "SERVO_ESC: full-left steering pulse (12-bit count at 60 Hz)."),
        Key("STEERING_RIGHT_PWM", PWM, 290, "SERVO_ESC: full-right steering pulse."),
        Key("THROTTLE_FORWARD_PWM", PWM, 500, "SERVO_ESC: full-forward throttle pulse."),
        Key("THROTTLE_STOPPED_PWM", PWM, 370, "SERVO_ESC: stopped (neutral) throttle pulse."),
        Key("THROTTLE_REVERSE_PWM", PWM, 220, "SERVO_ESC: full-reverse pulse (= stopped: no reverse)."),
        Key("PCA9685_I2C_ADDR", t.int_between(0x03, 0x77), 0x40, "SERVO_ESC: I2C address of the PCA9685."),
        Key("PCA9685_I2C_BUSNUM", t.OPTIONAL_INT, None, "SERVO_ESC: I2C bus of the PCA9685 (None = 1)."),
    )

    def __init__(self, cfg: Any, bus_factory: Callable[[int], Any] | None = None):
        where = _where(cfg)
        values = {key.name: cfg.get(key.name, key.default) for key in self.keys}
        calibration = checked_calibration(values, where)
        bus = DEFAULT_BUS if values["PCA9685_I2C_BUSNUM"] is None else values["PCA9685_I2C_BUSNUM"]
        channels = {name: values[name] for name in ("STEERING_CHANNEL", "THROTTLE_CHANNEL")}
        if channels["STEERING_CHANNEL"] == channels["THROTTLE_CHANNEL"]:
            raise BurroError(f"steering and throttle are both on channel "
                             f"{channels['STEERING_CHANNEL']}", where("THROTTLE_CHANNEL"),
                             "give each its own channel")
        pins = {where(name): PCA9685Pin(bus, values["PCA9685_I2C_ADDR"], channel)
                for name, channel in channels.items()}
        chips = open_chips(pins, bus_factory)
        outputs = [PwmOutput(chips[place], pin.channel) for place, pin in pins.items()]
        super().__init__(*outputs, calibration)
