"""The joystick device reader on a FIFO and a pipe: records, partial records, the end."""

import os
import threading

import pytest
from tests.parts.joystick.padkit import fifo_in

from burro.parts.joystick.device import AXIS, BUTTON, INIT, DeviceLost, JoystickDevice, axis_event, pack_event
from burro.parts.joystick.mapping import from_json
from burro.parts.joystick.maps import CONTROLLER_MAPS, controller_map


def test_records_are_decoded_also_when_they_arrive_in_pieces(tmp_path):
    device = JoystickDevice(str(fifo_in(tmp_path)))
    device.open()
    writer = os.open(device.path, os.O_WRONLY)
    data = pack_event(-32767, AXIS, 3, 1000) + pack_event(1, BUTTON | INIT, 2, 1001)
    os.write(writer, data[:5])
    assert device.wait(1) and device.read_events() == []
    os.write(writer, data[5:])
    assert device.wait(1)
    first, second = device.read_events()
    assert (first.time_ms, first.number, first.is_axis, first.axis_value) == (1000, 3, True, -1.0)
    assert (second.is_button, second.is_init, second.value) == (True, True, 1)
    os.close(writer)
    assert device.wait(1)
    with pytest.raises(DeviceLost, match="end of the event stream"):
        device.read_events()
    device.close()


def test_a_fifo_cannot_name_itself_so_the_given_name_and_codes_are_used(tmp_path):
    device = JoystickDevice(str(fifo_in(tmp_path)), name="My Pad", axis_codes=[0, 1],
                            button_codes=[0x130])
    device.open()
    assert (device.name, device.axis_codes, device.button_codes) == ("My Pad", [0, 1], [0x130])
    assert device.reports_codes is False
    device.close()
    bare = JoystickDevice(device.path)
    bare.open()
    assert (bare.name, bare.axis_codes, bare.button_codes) == (None, None, None)
    bare.close()


def test_a_fifo_without_a_writer_waits_quietly(tmp_path):
    device = JoystickDevice(str(fifo_in(tmp_path)))
    device.open()
    assert device.wait(0.1) is False  # no writer yet: no records and no end
    writer = threading.Thread(target=lambda: os.close(os.open(device.path, os.O_WRONLY)))
    writer.start()
    writer.join(2)
    assert device.wait(1)
    with pytest.raises(DeviceLost):
        device.read_events()
    device.close()


def test_axis_positions_are_clamped_to_plus_minus_one():
    assert len(axis_event(0, 2.0)) == 8
    from burro.parts.joystick.device import JsEvent
    assert JsEvent(0, -32768, AXIS, 0).axis_value == -1.0


@pytest.mark.parametrize("name", [n for n in CONTROLLER_MAPS.names() if n != "custom"])
def test_every_map_survives_its_own_json_form(name):
    cmap = controller_map(name)
    again = from_json(cmap.to_json(), "test")
    assert (again.axes, again.buttons, again.steering, again.throttle, dict(again.actions),
            dict(again.hats), again.inverted) == \
        (dict(cmap.axes), dict(cmap.buttons), cmap.steering, cmap.throttle, dict(cmap.actions),
         dict(cmap.hats), cmap.inverted)
    assert again.default_layout() == cmap.default_layout()


@pytest.mark.parametrize("change, message", [
    (lambda data: data["actions"].update(button_0="fly"), "unknown action 'fly'"),
    (lambda data: data.pop("steering"), "missing or wrong entry 'steering'"),
    (lambda data: data.update(format="other"), "not a burro-joystick-map file"),
])
def test_a_broken_custom_map_is_a_one_line_error_naming_the_file(tmp_path, change, message):
    import json

    from burro.config import load_config
    from burro.errors import BurroError
    from burro.parts.joystick import JoystickController

    data = controller_map("ps4").to_json()
    data["buttons"]["0x100"] = "button_0"
    change(data)
    (tmp_path / "myjoystick.json").write_text(json.dumps(data))
    cfg = load_config(tmp_path)
    cfg.set("CONTROLLER_TYPE", "custom", "test")
    with pytest.raises(BurroError) as raised:
        JoystickController.from_config(cfg)
    line = raised.value.line()
    assert message in line and str(tmp_path / "myjoystick.json") in line and "createjs" in line
