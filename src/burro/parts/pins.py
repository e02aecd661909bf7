"""Donkey Car pin specs (`PWM_STEERING_PIN = "PCA9685.1:40.1"`) parsed into the pin they name.

Donkey's format is `PCA9685.<i2c bus>:<i2c address in hex>.<channel>`; it also allows
`RPI_GPIO.BOARD|BCM.<n>` and `PIGPIO.BCM.<n>`, which need other hardware libraries: burro
names them and says it drives PCA9685 pins for now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from burro.errors import BurroError

CHANNELS = 16
PCA9685_FORMAT = "PCA9685.<bus>:<hex address>.<channel>, e.g. PCA9685.1:40.1"

_PCA9685 = re.compile(r"PCA9685\.(\d+):(?:0[xX])?([0-9a-fA-F]{1,2})\.(\d+)")
_OTHER_PROVIDERS = ("RPI_GPIO", "PIGPIO")


@dataclass(frozen=True)
class PCA9685Pin:
    bus: int
    address: int
    channel: int

    def __str__(self) -> str:
        return f"PCA9685.{self.bus}:{self.address:02X}.{self.channel}"


def parse_pin(spec: object, where: str) -> PCA9685Pin:
    """The PCA9685 channel `spec` names, or a one-line BurroError saying what is wrong."""
    text = spec.strip() if isinstance(spec, str) else ""
    provider = text.split(".", 1)[0].upper()
    if provider in _OTHER_PROVIDERS:
        raise BurroError(f"pin {spec!r} needs {provider}, which burro does not drive", where,
                         f"burro supports PCA9685 pins for now: use {PCA9685_FORMAT}")
    found = _PCA9685.fullmatch(text)
    if found is None:
        raise BurroError(f"bad pin spec {spec!r}", where, f"write {PCA9685_FORMAT}")
    bus, address, channel = int(found[1]), int(found[2], 16), int(found[3])
    if channel >= CHANNELS:
        raise BurroError(f"PCA9685 channel {channel} does not exist (pin {spec!r})", where,
                         f"use a channel from 0 to {CHANNELS - 1}")
    return PCA9685Pin(bus, address, channel)
