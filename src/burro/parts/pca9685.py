"""The PCA9685 16-channel 12-bit PWM chip, spoken to directly over I2C (smbus2).

Registers and start-up follow NXP's PCA9685 datasheet (rev. 4): the prescaler can only be
written while the oscillator sleeps, the chip is woken, given 500 µs to settle and restarted;
auto-increment lets one block write set a channel's four LEDn_ON/OFF registers. Every
channel starts fully off, so a chip left running by a crashed program does not resume its
old pulses. Not a registered part: drivetrains build one per (bus, address).
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from typing import Any

from burro.errors import BurroError

MODE1 = 0x00
MODE2 = 0x01
LED0_ON_L = 0x06  # channel n: LED0_ON_L + 4 * n, then ON_H, OFF_L, OFF_H
ALL_LED_ON_L = 0xFA
PRESCALE = 0xFE

RESTART = 0x80
AUTO_INCREMENT = 0x20
SLEEP = 0x10
ALLCALL = 0x01
OUTDRV = 0x04  # MODE2: totem-pole outputs, what servo boards expect
FULL_OFF = 0x10  # bit 4 of LEDn_OFF_H

OSCILLATOR_HZ = 25_000_000
STEPS = 4096
DEFAULT_FREQUENCY_HZ = 60  # Donkey's; its PWM values are 12-bit counts at 60 Hz
_WAKE_S = 0.0005

CHECKS = "enable I2C (sudo raspi-config → Interface Options → I2C), check the wiring " \
         "(SDA, SCL, VCC, GND) and run `i2cdetect -y {bus}`"


def prescale_for(frequency_hz: float) -> int:
    """The PRESCALE value for a PWM frequency (datasheet eq. 1), limited to the chip's 3..255."""
    value = round(OSCILLATOR_HZ / (STEPS * frequency_hz)) - 1
    return min(max(value, 3), 255)


def counts_for(pulse_s: float, frequency_hz: float) -> int:
    """12-bit on-time counts of a pulse `pulse_s` seconds long at `frequency_hz`."""
    return min(max(round(pulse_s * frequency_hz * STEPS), 0), STEPS - 1)


def _smbus(bus: int) -> Any:
    import smbus2  # a device library: loaded only when a chip is opened

    return smbus2.SMBus(bus)


class PCA9685:
    """One chip at `address` on I2C bus `bus`; `set_counts(channel, n)` sets a channel's pulse.

    `bus_factory(bus)` returns an object with smbus2's `write_byte_data` and
    `write_i2c_block_data` (tests pass a fake that records the writes). `where` names the
    config key the chip was asked for by, for error messages.
    """

    def __init__(self, bus: int = 1, address: int = 0x40,
                 frequency_hz: float = DEFAULT_FREQUENCY_HZ, *,
                 bus_factory: Callable[[int], Any] = _smbus, where: str = "",
                 sleep: Callable[[float], None] = time.sleep):
        self.bus_number = bus
        self.address = address
        self.frequency_hz = frequency_hz
        self._where = where
        self._bus = self._open(bus_factory)
        self._start(sleep)

    # ----- the chip's registers ------------------------------------------------------------

    def _start(self, sleep: Callable[[float], None]) -> None:
        self._write(MODE1, SLEEP | AUTO_INCREMENT | ALLCALL)  # oscillator off: prescale writable
        self._write(PRESCALE, prescale_for(self.frequency_hz))
        self._write_block(ALL_LED_ON_L, [0, 0, 0, FULL_OFF])
        self._write(MODE2, OUTDRV)
        self._write(MODE1, AUTO_INCREMENT | ALLCALL)  # wake up
        sleep(_WAKE_S)
        self._write(MODE1, RESTART | AUTO_INCREMENT | ALLCALL)

    def set_counts(self, channel: int, counts: int) -> None:
        """Pulse of `counts` 12-bit steps (0..4095) per period on `channel`; 0 is no pulse."""
        counts = int(counts)
        if not 0 <= channel < 16 or not 0 <= counts < STEPS:
            raise ValueError(f"PCA9685 channel {channel} / counts {counts} out of range")
        if counts == 0:
            self.off(channel)
            return
        self._write_block(LED0_ON_L + 4 * channel, [0, 0, counts & 0xFF, counts >> 8])

    def set_pulse(self, channel: int, pulse_s: float) -> None:
        """Pulse `pulse_s` seconds long on `channel` (e.g. 0.0015 for a servo's centre)."""
        self.set_counts(channel, counts_for(pulse_s, self.frequency_hz))

    def off(self, channel: int) -> None:
        """No pulse at all on `channel` (the full-off bit)."""
        self._write_block(LED0_ON_L + 4 * channel, [0, 0, 0, FULL_OFF])

    def close(self) -> None:
        close = getattr(self._bus, "close", None)
        if close is not None:
            close()

    # ----- I2C -----------------------------------------------------------------------------

    def _open(self, bus_factory: Callable[[int], Any]) -> Any:
        try:
            return bus_factory(self.bus_number)
        except OSError as exc:
            raise BurroError(f"cannot open I2C bus {self.bus_number} "
                             f"(/dev/i2c-{self.bus_number}): {_reason(exc)}", self._place(),
                             self._checks(exc)) from None

    def _write(self, register: int, value: int) -> None:
        self._talk(self._bus.write_byte_data, register, value)

    def _write_block(self, register: int, values: list[int]) -> None:
        self._talk(self._bus.write_i2c_block_data, register, values)

    def _talk(self, write: Callable[..., Any], register: int, value: Any) -> None:
        try:
            write(self.address, register, value)
        except OSError as exc:
            raise BurroError(f"PCA9685 does not answer at 0x{self.address:02X} on I2C bus "
                             f"{self.bus_number} ({_reason(exc)})", self._place(),
                             self._checks(exc)) from None

    def _place(self) -> str:
        chip = f"PCA9685 0x{self.address:02X} on bus {self.bus_number}"
        return f"{self._where}: {chip}" if self._where else chip

    def _checks(self, exc: OSError) -> str:
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "add your user to the i2c group (sudo adduser $USER i2c) and log in again"
        return CHECKS.format(bus=self.bus_number)


def _reason(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc) or type(exc).__name__
