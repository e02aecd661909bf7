"""Drivetrains against a fake SMBus: the exact pulses written for angle/throttle, neutral at
start and shutdown, and one-line config errors naming the key."""

import math
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the fake bus lives beside the chip's tests
from test_pca9685 import FakeSMBus, init_writes  # noqa: E402

from burro.config import default_config
from burro.errors import BurroError
from burro.parts.drivetrains import DRIVETRAINS

STEERING, THROTTLE = 0x0A, 0x06  # LED1_ON_L, LED0_ON_L: Donkey's default channels 1 and 0


def pulse(register, counts, address=0x40):
    return ("block", address, register, [0, 0, counts & 0xFF, counts >> 8])


def config(**values):
    cfg = default_config()
    for name, value in values.items():
        cfg.set(name, value, "myconfig.py")
    return cfg


def build(name="PWM_STEERING_THROTTLE", absent=(), **values):
    buses = []

    def factory(bus):
        buses.append(FakeSMBus(bus, absent))
        return buses[-1]

    drivetrain = DRIVETRAINS.get(name)(config(**values), bus_factory=factory)
    return drivetrain, buses


def driven(drivetrain, bus, angle, throttle):
    bus.writes.clear()
    drivetrain.run(angle, throttle)
    return bus.writes


def test_start_opens_one_chip_for_both_pins_and_writes_neutral():
    _, buses = build()
    assert len(buses) == 1 and buses[0].bus == 1
    assert buses[0].writes == init_writes() + [pulse(THROTTLE, 370), pulse(STEERING, 375)]


@pytest.mark.parametrize("angle, throttle, steering_counts, throttle_counts", [
    (1.0, 1.0, 290, 500),  # full right = STEERING_RIGHT_PWM, full forward
    (-1.0, -1.0, 460, 220),  # full left, full reverse
    (0.5, 0.5, 332, 435),  # Donkey's map_range floors: 460 - 1.5 * 85 = 332.5
    (-0.25, -0.5, 396, 295),
    (3.0, 9.0, 290, 500),  # clamped to the calibrated range
    (-3.0, -9.0, 460, 220),
])
def test_angle_and_throttle_map_to_donkeys_pulses(angle, throttle, steering_counts,
                                                  throttle_counts):
    drivetrain, (bus,) = build()
    assert driven(drivetrain, bus, angle, throttle) == [pulse(STEERING, steering_counts),
                                                        pulse(THROTTLE, throttle_counts)]


@pytest.mark.parametrize("angle, throttle", [(None, None), (math.nan, math.nan),
                                             (math.inf, -math.inf), ("x", None)])
def test_missing_or_non_finite_values_mean_neutral(angle, throttle):
    drivetrain, (bus,) = build()
    drivetrain.run(1.0, 1.0)
    assert driven(drivetrain, bus, angle, throttle) == [pulse(STEERING, 375), pulse(THROTTLE, 370)]


def test_unchanged_pulses_are_not_sent_again():
    drivetrain, (bus,) = build()
    drivetrain.run(0.5, 0.5)
    assert driven(drivetrain, bus, 0.5, 0.5) == []
    assert driven(drivetrain, bus, 0.5, 0.2) == [pulse(THROTTLE, 396)]


def test_shutdown_writes_stopped_throttle_and_centre_steering_and_closes_the_bus():
    drivetrain, (bus,) = build()
    drivetrain.run(0.7, 0.8)
    bus.writes.clear()
    drivetrain.shutdown()
    assert bus.writes == [pulse(THROTTLE, 370), pulse(STEERING, 375)]
    assert bus.closed


def test_a_failed_write_is_an_error_and_is_retried_next_tick():
    drivetrain, (bus,) = build()
    bus.absent = {0x40}
    with pytest.raises(BurroError, match="PCA9685 does not answer at 0x40 on I2C bus 1"):
        drivetrain.run(1.0, 0.0)
    bus.absent = set()
    assert driven(drivetrain, bus, 1.0, 0.0) == [pulse(STEERING, 290)]


def test_pins_on_two_chips_and_calibration_inversion_and_scale():
    values = {"PWM_STEERING_PIN": "PCA9685.0:41.15", "PWM_THROTTLE_PIN": "PCA9685.1:0x40.3",
              "PWM_THROTTLE_INVERTED": True, "PWM_STEERING_SCALE": 0.5,
              "STEERING_LEFT_PWM": 300, "STEERING_RIGHT_PWM": 450,
              "THROTTLE_FORWARD_PWM": 250, "THROTTLE_STOPPED_PWM": 380,
              "THROTTLE_REVERSE_PWM": 380}  # a reversed ESC without reverse
    drivetrain, buses = build(PWM_STEERING_THROTTLE=values)
    steering_bus, throttle_bus = sorted(buses, key=lambda bus: bus.bus)
    assert steering_bus.writes == init_writes(0x41) + [pulse(0x42, 375 // 2, 0x41)]
    assert throttle_bus.writes == init_writes(0x40) + [pulse(0x12, 4095 - 380)]
    drivetrain.run(1.0, 1.0)
    assert steering_bus.writes[-1] == pulse(0x42, 225, 0x41)
    assert throttle_bus.writes[-1] == pulse(0x12, 4095 - 250)
    drivetrain.run(0.0, -1.0)  # no reverse: stays stopped
    assert throttle_bus.writes[-1] == pulse(0x12, 4095 - 380)


@pytest.mark.parametrize("entry, value, message", [
    ("STEERING_LEFT_PWM", 5000, "PWM value 5000 is not a 12-bit count"),
    ("THROTTLE_STOPPED_PWM", 37.0, "PWM value 37.0 is not a 12-bit count"),
    ("THROTTLE_FORWARD_PWM", 46, "PWM value 46 is a 0.19 ms pulse at 60 Hz"),
    ("STEERING_RIGHT_PWM", 460, "STEERING_LEFT_PWM and STEERING_RIGHT_PWM are both 460"),
    ("THROTTLE_FORWARD_PWM", 370, "the car cannot move"),
    ("THROTTLE_REVERSE_PWM", 400, "THROTTLE_REVERSE_PWM 400 is on the forward side"),
    ("PWM_STEERING_SCALE", 0, "PWM_STEERING_SCALE must be a number > 0"),
    ("PWM_THROTTLE_INVERTED", "no", "PWM_THROTTLE_INVERTED must be True or False"),
    ("PWM_THROTTLE_PIN", "PCA9685.1:40.1", "steering and throttle are both on PCA9685.1:40.1"),
    ("PWM_THROTTLE_PIN", "PCA9685.1:40.16", "PCA9685 channel 16 does not exist"),
    ("PWM_STEERING_PIN", "PCA9685:40:1", "bad pin spec 'PCA9685:40:1'"),
])
def test_bad_values_are_one_line_errors_naming_the_entry(entry, value, message):
    with pytest.raises(BurroError) as caught:
        build(PWM_STEERING_THROTTLE={entry: value})
    line = str(caught.value)
    assert message in line and "\n" not in line
    assert f"PWM_STEERING_THROTTLE[{entry!r}] in myconfig.py" in line


@pytest.mark.parametrize("spec, library", [("RPI_GPIO.BCM.13", "RPI_GPIO"),
                                           ("RPI_GPIO.BOARD.33", "RPI_GPIO"),
                                           ("PIGPIO.BCM.18", "PIGPIO")])
def test_gpio_pins_say_burro_supports_pca9685_pins_for_now(spec, library):
    with pytest.raises(BurroError) as caught:
        build(PWM_STEERING_THROTTLE={"PWM_STEERING_PIN": spec})
    line = str(caught.value)
    assert f"pin {spec!r} needs {library}, which burro does not drive" in line
    assert "burro supports PCA9685 pins for now" in line


def test_unknown_entries_and_non_dicts_are_refused():
    with pytest.raises(BurroError, match="unknown entry 'STEERING_LEFT' .*did you mean "
                                         "STEERING_LEFT_PWM"):
        build(PWM_STEERING_THROTTLE={"STEERING_LEFT": 400})
    with pytest.raises(BurroError, match="PWM_STEERING_THROTTLE must be a dict"):
        DRIVETRAINS.get("PWM_STEERING_THROTTLE")(config(PWM_STEERING_THROTTLE=[1]))


def test_missing_bus_is_one_line_naming_the_pin_key():
    # the real smbus2: there is no /dev/i2c-1 here
    with pytest.raises(BurroError) as caught:
        DRIVETRAINS.get("PWM_STEERING_THROTTLE")(config())
    line = str(caught.value)
    assert "cannot open I2C bus 1 (/dev/i2c-1)" in line
    assert "PWM_STEERING_THROTTLE['PWM_STEERING_PIN']" in line and "i2cdetect -y 1" in line


def test_servo_esc_reads_the_legacy_keys():
    drivetrain, buses = build("servo_esc", STEERING_CHANNEL=3, THROTTLE_CHANNEL=2,
                              PCA9685_I2C_ADDR=0x41, PCA9685_I2C_BUSNUM=0,
                              STEERING_LEFT_PWM=420, STEERING_RIGHT_PWM=320,
                              THROTTLE_FORWARD_PWM=480, THROTTLE_STOPPED_PWM=360,
                              THROTTLE_REVERSE_PWM=240)
    (bus,) = buses
    assert bus.bus == 0
    assert bus.writes == init_writes(0x41) + [pulse(0x0E, 360, 0x41), pulse(0x12, 370, 0x41)]
    assert driven(drivetrain, bus, -1.0, 1.0) == [pulse(0x12, 420, 0x41), pulse(0x0E, 480, 0x41)]
    bus.writes.clear()
    drivetrain.shutdown()
    assert bus.writes == [pulse(0x0E, 360, 0x41), pulse(0x12, 370, 0x41)]


def test_servo_esc_defaults_are_donkeys_on_bus_1_and_i2c_servo_is_its_old_name():
    _, (bus,) = build("I2C_SERVO")
    assert bus.bus == 1
    assert bus.writes == init_writes() + [pulse(THROTTLE, 370), pulse(STEERING, 375)]


def test_servo_esc_errors_name_the_top_level_key():
    with pytest.raises(BurroError, match=r"PWM value 30 .*\(THROTTLE_REVERSE_PWM in myconfig.py\)"):
        build("SERVO_ESC", THROTTLE_REVERSE_PWM=30)
    with pytest.raises(BurroError, match=r"both on channel 1 \(THROTTLE_CHANNEL in myconfig.py"):
        build("SERVO_ESC", THROTTLE_CHANNEL=1)


def test_a_pwm_value_out_of_12_bits_in_myconfig_fails_config_check(tmp_path):
    (tmp_path / "myconfig.py").write_text("STEERING_LEFT_PWM = 5000\n")
    run = subprocess.run([sys.executable, "-m", "burro", "config", "check", "--car", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"burro: error: STEERING_LEFT_PWM must be int from 0 to 4095, got 5000 (int) "
        f"({tmp_path / 'myconfig.py'}:1, STEERING_LEFT_PWM) — set STEERING_LEFT_PWM to a "
        "int from 0 to 4095, e.g. STEERING_LEFT_PWM = 460"]


def test_mock_records_what_it_was_asked_and_goes_neutral_at_shutdown():
    mock = DRIVETRAINS.get("MOCK")(config())
    mock.run(0.3, 0.4)
    mock.run(None, math.nan)
    assert list(mock.received)[0] == (0.3, 0.4) and mock.received[1][0] is None
    assert (mock.angle, mock.throttle) == (0.0, 0.0)
    mock.run(-2.0, 0.5)
    assert (mock.angle, mock.throttle) == (-1.0, 0.5)
    mock.shutdown()
    assert mock.shut_down and (mock.angle, mock.throttle) == (0.0, 0.0)


def test_listing_drivetrains_and_cameras_imports_no_device_library():
    code = ("import sys; from burro.parts.drivetrains import DRIVETRAINS; "
            "from burro.parts.cameras import CAMERAS; from burro.config import KEYS; "
            "DRIVETRAINS.names(); CAMERAS.names(); list(KEYS); "
            "print(sorted(m for m in ('smbus2', 'cv2', 'picamera2', 'PIL', 'numpy') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
