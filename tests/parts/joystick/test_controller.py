"""JoystickController with the web page: who wins, stops, hot-plug, silence, unmapped pads."""

import logging
import os
import threading
import time

import pytest
from tests.parts.joystick.padkit import FakePad, fifo_in, make, running, tick, wait_until

from burro.config import load_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.joystick import JoystickController
from burro.parts.joystick.maps import controller_map
from burro.vehicle import Vehicle

PS4 = controller_map("ps4")
LOGGER = "burro.parts.joystick"


def near(value):
    return pytest.approx(value, abs=1e-3)  # an axis position is a 16-bit integer


def messages(caplog, text):
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


@pytest.fixture
def ps4(tmp_path):
    controller = make(fifo_in(tmp_path), PS4, active_seconds=0.5)
    with running(controller):
        pad = FakePad(tmp_path / "js0", PS4)
        pad.connect()
        yield controller, pad


def test_is_registered_with_donkeys_keys(tmp_path):
    cfg = load_config(tmp_path)
    assert (cfg.USE_JOYSTICK_AS_DEFAULT, cfg.CONTROLLER_TYPE, cfg.JOYSTICK_DEVICE_FILE) == \
        (True, "xbox", "/dev/input/js0")
    assert (cfg.JOYSTICK_MAX_THROTTLE, cfg.JOYSTICK_STEERING_SCALE, cfg.JOYSTICK_THROTTLE_DIR,
            cfg.JOYSTICK_DEADZONE) == (0.5, 1.0, -1.0, 0.01)
    part = PARTS.get("JoystickController").from_config(cfg)
    assert part.inputs == part.outputs == ["user/angle", "user/throttle", "user/mode",
                                           "recording", "user/stop"]
    assert part.threaded and part.map.name == "xbox"


def test_the_page_drives_while_the_pad_is_idle_and_the_pad_while_it_is_used(ps4):
    controller, pad = ps4
    assert tick(controller, angle=0.3, throttle=0.2)["throttle"] == 0.2
    pad.send(controller, pad.axis("left_stick_horz", -0.6), pad.axis("right_stick_vert", -0.5))
    out = tick(controller, angle=0.3, throttle=0.2)
    assert (out["angle"], out["throttle"]) == (near(-0.6), near(0.25))
    pad.send(controller, pad.axis("left_stick_horz", 0.0), pad.axis("right_stick_vert", 0.0))
    assert tick(controller, angle=0.3, throttle=0.2)["throttle"] == 0.0  # used within 0.5 s
    time.sleep(0.6)
    out = tick(controller, angle=0.3, throttle=0.2)
    assert (out["angle"], out["throttle"]) == (0.3, 0.2)


def test_a_resting_stick_inside_the_dead_zone_does_not_take_control(ps4):
    controller, pad = ps4
    pad.send(controller, pad.axis("right_stick_vert", 0.005), pad.axis("left_stick_horz", -0.008))
    assert tick(controller, angle=0.3, throttle=0.2)["throttle"] == 0.2


def test_mode_and_recording_the_last_change_wins(ps4):
    controller, pad = ps4
    assert tick(controller, mode="local")["mode"] == "local"  # the page's change is adopted
    pad.send(controller, pad.press("share"))  # local -> user on the pad
    assert tick(controller, mode="local")["mode"] == "user"  # the page still says local
    assert tick(controller, mode="user")["mode"] == "user"  # ... and follows next tick
    assert tick(controller, mode="local_angle")["mode"] == "local_angle"
    assert tick(controller, mode="local_angle", recording=True)["recording"] is True
    pad.send(controller, pad.axis("right_stick_vert", -0.5))  # auto-record: user mode only
    pad.send(controller, pad.axis("right_stick_vert", 0.0))
    assert tick(controller, mode="local_angle", recording=True)["recording"] is False


def test_a_stop_from_the_page_holds_the_pad_until_its_stick_is_back_in_the_dead_zone(ps4):
    controller, pad = ps4
    pad.send(controller, pad.axis("right_stick_vert", -1.0))
    assert tick(controller)["throttle"] == 0.5
    out = tick(controller, mode="local", stop=True, recording=True)
    assert out == {"angle": 0.0, "throttle": 0.0, "mode": "user", "recording": False,
                   "stop": True}
    assert tick(controller, stop=True)["stop"] is False  # our own stop coming back
    pad.send(controller, pad.axis("right_stick_vert", -0.8))
    assert tick(controller, throttle=0.3)["throttle"] == 0.0  # still held, and the pad wins
    pad.send(controller, pad.axis("right_stick_vert", 0.0), pad.axis("right_stick_vert", -0.8))
    assert tick(controller)["throttle"] == near(0.4)


def test_the_pads_emergency_stop_wins_over_the_page(ps4):
    controller, pad = ps4
    tick(controller, mode="local")
    pad.send(controller, pad.axis("right_stick_vert", -1.0), pad.press("options"))
    assert tick(controller, mode="local")["throttle"] == 0.5  # constant throttle
    pad.send(controller, pad.press("cross"))
    out = tick(controller, angle=0.5, throttle=0.9, mode="local")
    assert out == {"angle": 0.0, "throttle": 0.0, "mode": "user", "recording": False,
                   "stop": True}
    out = tick(controller, angle=0.5, throttle=0.9, stop=True)  # the page echoes it
    assert (out["stop"], out["mode"], out["throttle"]) == (False, "user", 0.0)  # stick held
    pad.send(controller, pad.axis("right_stick_vert", -0.9))
    assert tick(controller, throttle=0.9)["throttle"] == 0.0  # not back at centre yet
    pad.send(controller, pad.axis("right_stick_vert", 0.0))
    time.sleep(0.6)
    assert tick(controller, throttle=0.9)["throttle"] == 0.9  # the pad is idle again


def test_without_a_web_controller_the_inputs_are_none(ps4):
    controller, pad = ps4
    out = controller.run_threaded(None, None, None, None, None)
    assert out == (None, None, "user", False, False)
    pad.send(controller, pad.axis("right_stick_vert", -1.0))
    assert controller.run_threaded(None, None, None, None, None)[1] == 0.5


def test_hot_unplug_neutralises_once_and_a_new_pad_resumes(ps4, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    controller, pad = ps4
    pad.send(controller, pad.press("share"), pad.axis("right_stick_vert", -1.0))
    assert tick(controller, mode="user")["mode"] == "local_angle"
    pad.unplug()
    wait_until(lambda: not controller.connected, what="the unplug")
    out = tick(controller, mode="local_angle", recording=True)
    assert out == {"angle": 0.0, "throttle": 0.0, "mode": "user", "recording": False,
                   "stop": False}
    time.sleep(0.2)  # several reopen attempts while nobody writes
    assert len(messages(caplog, "lost the pad")) == 1
    assert "throttle 0, mode user, recording off" in messages(caplog, "lost the pad")[0]
    pad.connect()  # plugged in again
    pad.send(controller, pad.axis("right_stick_vert", -0.5))
    assert controller.connected and tick(controller)["throttle"] == near(0.25)
    assert len(messages(caplog, "is back")) == 1 and len(messages(caplog, "lost the pad")) == 1


def test_a_pad_silent_while_its_throttle_is_on_counts_as_lost(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    controller = make(fifo_in(tmp_path), PS4, silence_timeout=0.5, active_seconds=0.1)
    with running(controller):
        pad = FakePad(tmp_path / "js0", PS4)
        pad.connect()
        pad.send(controller, pad.axis("right_stick_vert", -1.0))
        assert tick(controller)["throttle"] == 0.5
        time.sleep(0.9)
        out = tick(controller, mode="local", throttle=0.0)
        assert (out["throttle"], out["mode"], out["recording"]) == (0.0, "user", False)
        assert len(messages(caplog, "no events from the pad")) == 1
        pad.send(controller, pad.axis("right_stick_vert", -0.9))  # back, stick still pushed
        assert tick(controller)["throttle"] == 0.0
        pad.send(controller, pad.axis("right_stick_vert", 0.0), pad.axis("right_stick_vert", -1))
        assert tick(controller)["throttle"] == 0.5
    assert len(messages(caplog, "sends events again")) == 1


def test_a_resting_pad_is_not_silent(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    controller = make(fifo_in(tmp_path), PS4, silence_timeout=0.1)
    with running(controller):
        pad = FakePad(tmp_path / "js0", PS4)
        pad.connect()
        pad.send(controller, pad.press("share"))
        time.sleep(0.3)
        assert tick(controller, mode="local_angle")["mode"] == "local_angle"
    assert not messages(caplog, "no events")


def test_a_device_file_that_appears_later_is_picked_up(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    path = tmp_path / "js0"
    controller = make(path, PS4)
    with running(controller):
        time.sleep(0.25)  # a few attempts
        assert tick(controller, throttle=0.3)["throttle"] == 0.3  # the page drives meanwhile
        found = messages(caplog, "does not exist")
        assert len(found) == 1 and "the web page drives meanwhile" in found[0]
        os.mkfifo(path)
        pad = FakePad(path, PS4)
        pad.connect()
        pad.send(controller, pad.axis("right_stick_vert", -1.0))
        assert tick(controller, throttle=0.3)["throttle"] == 0.5


@pytest.mark.parametrize("settings, reason", [
    ({"device_name": "Logitech Gamepad F710"}, "its name is not one of a Sony DualShock 4"),
    ({"device_name": "Wireless Controller", "axis_codes": [0x01, 0x03, 0x04, 0x05]},
     "it has no axis 0x00 (left_stick_horz) for steering"),
])
def test_a_pad_that_does_not_fit_its_map_is_named_once(tmp_path, caplog, settings, reason):
    caplog.set_level(logging.INFO, logger=LOGGER)
    controller = make(fifo_in(tmp_path), PS4, **settings)
    with running(controller):
        pad = FakePad(tmp_path / "js0", PS4, axis_codes=settings.get("axis_codes"))
        pad.connect()
        pad.send(controller, pad.press("share"))
        pad.unplug()
        wait_until(lambda: not controller.connected)
        pad.connect()
        pad.send(controller, pad.press("share"))
    found = messages(caplog, "does not fit")
    assert len(found) == 1
    assert reason in found[0] and "CONTROLLER_TYPE 'ps4'" in found[0]
    assert "burro createjs" in found[0]


def test_a_fitting_pad_gets_no_such_line(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    name = "Sony Interactive Entertainment Wireless Controller"
    controller = make(fifo_in(tmp_path), PS4, device_name=name)
    with running(controller):
        pad = FakePad(tmp_path / "js0", PS4)
        pad.connect()
        pad.send(controller, pad.press("share"))
    assert not messages(caplog, "does not fit") and messages(caplog, name)


def test_codes_given_for_the_device_decide_what_each_event_number_is(tmp_path):
    axes = [0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x11, 0x10]
    buttons = list(reversed(PS4.default_layout()[1]))
    controller = make(fifo_in(tmp_path), PS4, axis_codes=axes, button_codes=buttons)
    with running(controller):
        pad = FakePad(tmp_path / "js0", PS4, axis_codes=axes, button_codes=buttons)
        pad.connect()
        pad.send(controller, pad.axis("right_stick_vert", -1.0), pad.press("share"))
        assert pad.axis_codes.index(0x04) == 1  # a number the map's own layout gives ABS_X
        out = tick(controller, mode="user")
        assert (out["throttle"], out["angle"], out["mode"]) == (0.5, 0.0, "local_angle")


@pytest.mark.parametrize("key, value, message", [
    ("CONTROLLER_TYPE", "gamecube", "unknown controller type 'gamecube'"),
    ("CONTROLLER_TYPE", "pigpio_rc", "is not in burro"),
    ("JOYSTICK_MAX_THROTTLE", 1.5, "JOYSTICK_MAX_THROTTLE = 1.5 is out of range"),
    ("JOYSTICK_THROTTLE_DIR", 0.0, "JOYSTICK_THROTTLE_DIR = 0.0 is out of range"),
    ("CONTROLLER_TYPE", "custom", "joystick map file not found"),
])
def test_bad_settings_are_one_line_errors(tmp_path, key, value, message):
    cfg = load_config(tmp_path)
    cfg.set(key, value, "test")
    with pytest.raises(BurroError) as raised:
        JoystickController.from_config(cfg)
    assert message in raised.value.line() and "\n" not in raised.value.line()


def test_in_a_vehicle_loop_it_drives_and_its_thread_ends_at_shutdown(tmp_path):
    fifo = fifo_in(tmp_path)
    controller = make(fifo, PS4)
    vehicle = Vehicle()
    vehicle.add(controller, inputs=controller.inputs, outputs=controller.outputs, threaded=True)
    seen = []
    vehicle.add(type("Probe", (), {"run": lambda self, t: seen.append(t)})(),
                inputs=["user/throttle"])

    def pad_user():
        pad = FakePad(fifo, PS4)
        pad.connect()
        pad.send(controller, pad.axis("right_stick_vert", -1.0))

    user = threading.Thread(target=pad_user)
    user.start()
    vehicle.start(rate_hz=50, max_loop_count=40)
    user.join(3)
    assert seen[-1] == 0.5 and not any(e.thread.is_alive() for e in vehicle.parts if e.thread)
