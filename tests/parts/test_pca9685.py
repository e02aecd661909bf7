"""The PCA9685 driver against a fake SMBus that records every register write."""

import errno

import pytest

from burro.errors import BurroError
from burro.parts.pca9685 import PCA9685, counts_for, prescale_for


class FakeSMBus:
    """smbus2.SMBus's write calls, recorded as (kind, address, register, value); a write to
    an address in `absent` fails like a NACK does (OSError EREMOTEIO)."""

    opened: list = []

    def __init__(self, bus: int, absent=()):
        self.bus = bus
        self.writes: list = []
        self.absent = set(absent)
        self.closed = False
        FakeSMBus.opened.append(self)

    def _record(self, kind, address, register, value):
        if address in self.absent:
            raise OSError(errno.EREMOTEIO, "Remote I/O error")
        self.writes.append((kind, address, register, value))

    def write_byte_data(self, address, register, value):
        self._record("byte", address, register, value)

    def write_i2c_block_data(self, address, register, values):
        self._record("block", address, register, list(values))

    def close(self):
        self.closed = True


def init_writes(address=0x40, prescale=101):
    return [
        ("byte", address, 0x00, 0x31),  # MODE1: sleep + auto-increment + all-call
        ("byte", address, 0xFE, prescale),  # PRESCALE, writable only while asleep
        ("block", address, 0xFA, [0, 0, 0, 0x10]),  # ALL_LED: full off
        ("byte", address, 0x01, 0x04),  # MODE2: totem-pole outputs
        ("byte", address, 0x00, 0x21),  # MODE1: awake
        ("byte", address, 0x00, 0xA1),  # MODE1: restart
    ]


def make_chip(**kwargs):
    buses = []

    def factory(bus):
        buses.append(FakeSMBus(bus))
        return buses[-1]

    waits = []
    chip = PCA9685(bus_factory=factory, sleep=waits.append, **kwargs)
    return chip, buses[0], waits


def test_prescale_and_counts_follow_the_datasheet():
    assert prescale_for(60) == 101  # round(25e6 / (4096 * 60)) - 1
    assert prescale_for(50) == 121
    assert prescale_for(1526) == 3 and prescale_for(10_000) == 3  # the chip's limits
    assert prescale_for(24) == 253 and prescale_for(1) == 255
    assert counts_for(0.0015, 60) == 369  # 1.5 ms of a 16.7 ms period in 4096 steps
    assert counts_for(0.001, 50) == 205
    assert counts_for(1.0, 60) == 4095


def test_init_writes_sleep_prescale_all_off_mode2_wake_restart():
    chip, bus, waits = make_chip(bus=1, address=0x40, frequency_hz=60)
    assert bus.bus == 1
    assert bus.writes == init_writes()
    assert waits == [0.0005]  # the oscillator's settling time before restart


def test_other_address_and_frequency():
    _, bus, _ = make_chip(bus=0, address=0x41, frequency_hz=50)
    assert bus.bus == 0
    assert bus.writes == init_writes(address=0x41, prescale=121)


def test_set_counts_and_pulse_write_one_channels_four_registers():
    chip, bus, _ = make_chip()
    bus.writes.clear()
    chip.set_counts(1, 370)
    chip.set_pulse(0, 0.0015)
    chip.set_counts(15, 4095)
    chip.set_counts(2, 0)
    assert bus.writes == [
        ("block", 0x40, 0x0A, [0, 0, 0x72, 0x01]),  # LED1_ON_L..OFF_H: on at 0, off at 370
        ("block", 0x40, 0x06, [0, 0, 0x71, 0x01]),  # 369 counts
        ("block", 0x40, 0x42, [0, 0, 0xFF, 0x0F]),
        ("block", 0x40, 0x0E, [0, 0, 0, 0x10]),  # 0 = no pulse: the full-off bit
    ]
    with pytest.raises(ValueError):
        chip.set_counts(16, 300)
    with pytest.raises(ValueError):
        chip.set_counts(0, 4096)


def test_close_closes_the_bus():
    chip, bus, _ = make_chip()
    chip.close()
    assert bus.closed


def test_a_bus_that_cannot_be_opened_is_one_line_naming_bus_and_checks():
    # the real smbus2: this machine has no /dev/i2c-7
    with pytest.raises(BurroError) as caught:
        PCA9685(bus=7, address=0x40, where="PWM_STEERING_PIN", sleep=lambda s: None)
    line = str(caught.value)
    assert "\n" not in line
    assert "cannot open I2C bus 7 (/dev/i2c-7): No such file or directory" in line
    assert "PWM_STEERING_PIN: PCA9685 0x40 on bus 7" in line
    assert "enable I2C" in line and "i2cdetect -y 7" in line


def test_permission_denied_says_to_join_the_i2c_group():
    def denied(bus):
        raise PermissionError(errno.EACCES, "Permission denied")

    with pytest.raises(BurroError, match="Permission denied.*adduser \\$USER i2c"):
        PCA9685(bus_factory=denied, sleep=lambda s: None)


def test_a_chip_that_does_not_answer_is_one_line():
    with pytest.raises(BurroError) as caught:
        PCA9685(bus=1, address=0x40, bus_factory=lambda bus: FakeSMBus(bus, absent={0x40}),
                sleep=lambda s: None)
    line = str(caught.value)
    assert "PCA9685 does not answer at 0x40 on I2C bus 1 (Remote I/O error)" in line
    assert "i2cdetect -y 1" in line and "\n" not in line
