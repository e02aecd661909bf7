"""`burro calibrate`: the stepping, the PCA9685 register writes on a fake bus, the myconfig.py
it writes, and the command line in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from burro.car.calibrate import Session
from burro.cli.cmd_calibrate import calibrate
from burro.cli.main import build_parser
from burro.config import load_config
from burro.errors import BurroError

LED0_ON_L = 0x06
CONFIGURED = {"STEERING_LEFT_PWM": 460, "STEERING_RIGHT_PWM": 290, "THROTTLE_FORWARD_PWM": 500,
              "THROTTLE_STOPPED_PWM": 370, "THROTTLE_REVERSE_PWM": 220}

MYCONFIG = '''# my car
CAMERA_TYPE = "MOCK"
# DRIVE_TRAIN_TYPE = "PWM_STEERING_THROTTLE"
# PWM_STEERING_THROTTLE = {
#     "PWM_STEERING_PIN": "PCA9685.1:40.1",
#     "STEERING_LEFT_PWM": 460,
# }
# the end
'''


class FakeSMBus:
    """smbus2.SMBus's writes, recorded as (kind, address, register, value)."""

    def __init__(self, bus: int):
        self.bus = bus
        self.writes: list = []
        self.closed = False

    def write_byte_data(self, address, register, value):
        self.writes.append(("byte", address, register, value))

    def write_i2c_block_data(self, address, register, values):
        self.writes.append(("block", address, register, list(values)))

    def close(self):
        self.closed = True


def scripted(*lines):
    """An `input()` that answers with `lines`, then ends like a closed stdin."""
    answers = iter(lines)
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    ask.prompts = prompts
    return ask


def session(kind, *lines):
    sent, said = [], []
    found = Session(kind, CONFIGURED, sent.append, scripted(*lines), said.append).run()
    return found, sent, said


# ----- the stepping ------------------------------------------------------------------------

def test_each_typed_line_is_sent_at_once_in_order():
    found, sent, _ = session("steering", "+", "+5", "-25", "", "300", "-2", "")
    assert sent == [460, 470, 475, 450, 290, 300, 298, 374]  # last: the centre, Donkey's map_range
    assert found == {"STEERING_LEFT_PWM": 450, "STEERING_RIGHT_PWM": 298}


def test_throttle_forward_and_reverse_start_from_the_stopped_value_found():
    found, sent, _ = session("throttle", "375", "", "+", "+", "", "-", "")
    assert sent == [370, 375, 375, 385, 395, 375, 365, 375]
    assert found == {"THROTTLE_STOPPED_PWM": 375, "THROTTLE_FORWARD_PWM": 395,
                     "THROTTLE_REVERSE_PWM": 365}


def test_pulses_outside_a_servos_range_and_nonsense_are_not_sent():
    found, sent, said = session("steering", "46", "4600", "+300", "left", "?", "q")
    assert sent == [460, 375]  # the start, then neutral
    assert found == {}
    text = "\n".join(said)
    assert "46 is outside 123..614" in text and "4600 is outside" in text
    assert "760 is outside" in text and "not understood: 'left'" in text
    assert "an empty line to keep the pulse" in text


def test_q_or_the_end_of_input_finishes_keeping_what_was_found():
    found, sent, _ = session("throttle", "", "q")
    assert found == {"THROTTLE_STOPPED_PWM": 370} and sent[-1] == 370
    found, sent, _ = session("throttle", "380", "")  # input ends while finding forward
    assert found == {"THROTTLE_STOPPED_PWM": 380} and sent == [370, 380, 380, 380]


def test_ctrl_c_leaves_the_channel_at_neutral():
    sent = []

    def ask(prompt):
        if len(sent) > 2:
            raise KeyboardInterrupt
        return "+"

    with pytest.raises(KeyboardInterrupt):
        Session("throttle", CONFIGURED, sent.append, ask, lambda text: None).run()
    assert sent == [370, 380, 390, 370]


# ----- the command, in-process with a fake I2C bus -----------------------------------------

def car_folder(tmp_path, myconfig=MYCONFIG, config="# the car's config.py\n"):
    (tmp_path / "config.py").write_text(config)
    (tmp_path / "myconfig.py").write_text(myconfig)
    return tmp_path


def run(argv, *lines):
    buses, said = [], []

    def bus_factory(number):
        buses.append(FakeSMBus(number))
        return buses[-1]

    args = build_parser().parse_args(["calibrate", *argv])
    ask = scripted(*lines)
    code = calibrate(args, bus_factory=bus_factory, ask=ask, say=said.append)
    return code, buses, "\n".join(said), ask.prompts


def pulses(bus, channel, address=0x40):
    return [values[2] | values[3] << 8 for kind, addr, register, values in bus.writes
            if kind == "block" and addr == address and register == LED0_ON_L + 4 * channel]


def test_steering_on_a_pin_spec_writes_the_registers_and_the_dict_entries(tmp_path):
    car = car_folder(tmp_path)
    code, buses, said, prompts = run(["--channel", "PCA9685.1:40.1", "--car", str(car)],
                                     "-10", "", "+20", "", "y")
    assert code == 0
    [bus] = buses
    assert bus.bus == 1 and bus.closed
    assert bus.writes[:2] == [("byte", 0x40, 0x00, 0x31), ("byte", 0x40, 0xFE, 101)]  # sleep, 60 Hz
    assert pulses(bus, 1) == [460, 450, 290, 310, 380]
    assert prompts[-1] == "Write them into myconfig.py? [y/N] "
    assert 'PWM_STEERING_THROTTLE["STEERING_LEFT_PWM"] = 450   (was 460)' in said
    text = (car / "myconfig.py").read_text()
    assert text.startswith('# my car\nCAMERA_TYPE = "MOCK"\n# DRIVE_TRAIN_TYPE = ')
    assert '    "STEERING_LEFT_PWM": 450,\n    "STEERING_RIGHT_PWM": 310,\n' in text
    assert text.endswith('    "THROTTLE_REVERSE_PWM": 220,\n}\n# the end\n')
    cfg = load_config(car)
    assert cfg.PWM_STEERING_THROTTLE["STEERING_LEFT_PWM"] == 450
    assert cfg.PWM_STEERING_THROTTLE["STEERING_RIGHT_PWM"] == 310
    assert cfg.PWM_STEERING_THROTTLE["PWM_STEERING_PIN"] == "PCA9685.1:40.1"


def test_the_throttle_pin_comes_from_the_config_and_a_new_pin_is_written_too(tmp_path):
    car = car_folder(tmp_path, 'PWM_STEERING_THROTTLE = {"PWM_THROTTLE_PIN": "PCA9685.0:41.3"}\n')
    code, buses, said, _ = run(["--channel", "PCA9685.0:41.3", "--car", str(car)],
                               "", "+30", "", "-20", "", "y")
    assert code == 0 and "Calibrating the throttle on PCA9685.0:41.3" in said
    assert buses[0].bus == 0 and pulses(buses[0], 3, address=0x41) == [370, 370, 400, 370, 350, 370]
    given = load_config(car).PWM_STEERING_THROTTLE
    assert given == {"PWM_THROTTLE_PIN": "PCA9685.0:41.3", "THROTTLE_FORWARD_PWM": 400,
                     "THROTTLE_REVERSE_PWM": 350}  # stopped stayed 370: not written

    (tmp_path / "b").mkdir()
    car2 = car_folder(tmp_path / "b")
    code, _, said, _ = run(["--channel", "PCA9685.1:40.5", "--kind", "steering", "--car", str(car2)],
                           "", "", "y")
    assert 'PWM_STEERING_THROTTLE["PWM_STEERING_PIN"] = "PCA9685.1:40.5"   (was "PCA9685.1:40.1")' \
        in said
    assert load_config(car2).PWM_STEERING_THROTTLE["PWM_STEERING_PIN"] == "PCA9685.1:40.5"


def test_legacy_servo_esc_keys_and_donkeys_channel_address_bus_flags(tmp_path):
    car = car_folder(tmp_path, 'DRIVE_TRAIN_TYPE = "SERVO_ESC"\n# THROTTLE_CHANNEL = 0\n'
                               "THROTTLE_FORWARD_PWM = 500  # fast\n")
    code, buses, said, prompts = run(
        ["--channel", "2", "--address", "41", "--bus", "0", "--car", str(car)],
        "t", "", "-30", "", "", "yes")
    assert code == 0 and prompts[0].startswith("Is PCA9685.0:41.2 the steering servo")
    assert buses[0].bus == 0 and pulses(buses[0], 2, address=0x41) == [370, 370, 340, 370, 370]
    assert "THROTTLE_CHANNEL = 2   (was 0)" in said and "PCA9685_I2C_ADDR = 0x41   (was 0x40)" in said
    text = (car / "myconfig.py").read_text()
    assert text.startswith('DRIVE_TRAIN_TYPE = "SERVO_ESC"\nTHROTTLE_CHANNEL = 2\n'
                           "THROTTLE_FORWARD_PWM = 340  # fast\n")
    assert "PCA9685_I2C_ADDR = 0x41\n" in text and "PCA9685_I2C_BUSNUM = 0\n" in text
    cfg = load_config(car)
    assert (cfg.THROTTLE_FORWARD_PWM, cfg.THROTTLE_REVERSE_PWM) == (340, 370)  # no reverse


def test_answering_no_or_nothing_leaves_myconfig_unchanged(tmp_path):
    car = car_folder(tmp_path)
    for answer in (("n",), ()):
        code, _, said, _ = run(["--channel", "PCA9685.1:40.1", "--car", str(car)], "+", "", "", *answer)
        assert code == 0 and "Not written: myconfig.py is unchanged." in said
        assert (car / "myconfig.py").read_text() == MYCONFIG


def test_values_that_would_not_drive_are_refused_and_nothing_is_written(tmp_path):
    car = car_folder(tmp_path)
    with pytest.raises(BurroError, match="both 300.*nothing was written") as error:
        run(["--channel", "PCA9685.1:40.1", "--car", str(car)], "300", "", "300", "", "y")
    assert "STEERING_RIGHT_PWM found by calibrate" in str(error.value)
    assert (car / "myconfig.py").read_text() == MYCONFIG


def test_values_already_in_the_config_and_a_folder_without_config_py(tmp_path):
    car = car_folder(tmp_path)
    code, _, said, prompts = run(["--channel", "PCA9685.1:40.1", "--car", str(car)], "", "")
    assert code == 0 and "the config has these values already" in said
    assert not any("Write" in prompt for prompt in prompts)
    bare = tmp_path / "bare"
    bare.mkdir()
    code, _, said, _ = run(["--channel", "PCA9685.1:40.1", "--car", str(bare)], "+", "", "")
    assert "has no config.py" in said and "STEERING_LEFT_PWM\"] = 470" in said
    assert list(bare.iterdir()) == []


def test_a_car_on_another_drivetrain_gets_the_dict_and_a_note(tmp_path):
    car = car_folder(tmp_path, 'DRIVE_TRAIN_TYPE = "MOCK"\n')
    code, _, said, _ = run(["--channel", "PCA9685.1:40.1", "--car", str(car)], "-5", "", "", "y")
    assert code == 0 and "DRIVE_TRAIN_TYPE is 'MOCK'" in said
    assert load_config(car).PWM_STEERING_THROTTLE["STEERING_LEFT_PWM"] == 455


@pytest.mark.parametrize("argv, message", [
    ([], "which channel?"),
    (["--channel", "16"], "channel 16 does not exist"),
    (["--channel", "PCA9685.1:40.1", "--bus", "1"], "--address/--bus go with a channel number"),
    (["--channel", "1", "--address", "0x99"], "bad I2C address '0x99'"),
    (["--channel", "RPI_GPIO.BCM.13"], "needs RPI_GPIO"),
    (["--channel", "1", "--pwmFreq", "50"], "PWM frequency 50 Hz"),
])
def test_bad_channels_are_one_line_errors(tmp_path, argv, message):
    with pytest.raises(BurroError, match=message.replace("?", r"\?")):
        run([*argv, "--car", str(car_folder(tmp_path))])


# ----- the command line --------------------------------------------------------------------

def burro(*argv, stdin="", cwd=None):
    return subprocess.run([sys.executable, "-m", "burro", *argv], input=stdin, cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


@pytest.mark.skipif(Path("/dev/i2c-1").exists(), reason="this machine has an I2C bus 1")
def test_without_i2c_the_command_ends_with_the_drivers_one_line_error(tmp_path):
    result = burro("calibrate", "--channel", "PCA9685.1:40.1", "--car", str(car_folder(tmp_path)))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("burro: error: cannot open I2C bus 1 (/dev/i2c-1)")
    assert "i2cdetect -y 1" in result.stderr


def test_a_dry_run_goes_end_to_end_on_scripted_stdin(tmp_path):
    car = car_folder(tmp_path)
    result = burro("calibrate", "--channel", "PCA9685.1:40.0", "--dry-run", "--car", str(car),
                   stdin="372\n\n+40\n\n-100\n\ny\n")
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing is sent over I2C." in result.stdout
    assert "Put the car on a stand" in result.stdout
    cfg = load_config(car)
    assert {name: cfg.PWM_STEERING_THROTTLE[name] for name in
            ("THROTTLE_STOPPED_PWM", "THROTTLE_FORWARD_PWM", "THROTTLE_REVERSE_PWM")} == {
        "THROTTLE_STOPPED_PWM": 372, "THROTTLE_FORWARD_PWM": 412, "THROTTLE_REVERSE_PWM": 272}
    check = burro("config", "check", "--car", str(car))
    assert check.returncode == 0, check.stderr


def test_donkey_spelling_and_a_usage_error_are_one_line(tmp_path):
    result = burro("calibrate", "--pwm-pin", "PCA9685.1:40.1", "--dry-run", "--car",
                   str(car_folder(tmp_path)), stdin="q\n")
    assert result.returncode == 0 and "Nothing kept" in result.stdout, result.stderr
    result = burro("calibrate", "--kind", "wheel")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "invalid choice" in result.stderr
