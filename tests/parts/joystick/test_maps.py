"""Every controller map: each control does its action when the pad sends its real code."""

import pytest
from tests.parts.joystick.padkit import FakePad, fifo_in, make, running, tick

from burro.parts.ai_launch import AiLaunch
from burro.parts.joystick.mapping import ACTIONS
from burro.parts.joystick.maps import CONTROLLER_MAPS, controller_map

BUILT_IN = [name for name in CONTROLLER_MAPS.names() if name != "custom"]


class Steps:
    """Stands in for the Behavior part of the behaviour helper: counts next_state()."""

    def __init__(self):
        self.steps = 0

    def next_state(self):
        self.steps += 1


def test_all_of_donkeys_types_and_ps5_are_registered():
    assert set(BUILT_IN) == {"ps3", "ps3sixad", "ps4", "ps5", "xbox", "xboxswapped", "nimbus",
                             "wiiu", "F710", "rc3"}
    assert controller_map("f710") is controller_map("F710")  # Donkey's spelling or lower case


def axis_sign(cmap, axis):
    return -1.0 if axis in cmap.inverted else 1.0


@pytest.fixture
def pad_for(tmp_path):
    started = []

    def start(name, **settings):
        cmap = controller_map(name)
        controller = make(fifo_in(tmp_path), cmap, **settings)
        context = running(controller)
        context.__enter__()
        started.append(context)
        pad = FakePad(tmp_path / "js0", cmap)
        pad.connect()
        return cmap, controller, pad

    yield start
    for context in started:
        context.__exit__(None, None, None)


@pytest.mark.parametrize("name", BUILT_IN)
def test_sticks_steer_and_throttle(pad_for, name):
    cmap, controller, pad = pad_for(name, max_throttle=0.5)
    pad.send(controller, pad.axis(cmap.steering, 0.5 * axis_sign(cmap, cmap.steering)))
    assert tick(controller)["angle"] == pytest.approx(0.5, abs=1e-4)
    pad.send(controller, pad.axis(cmap.throttle, -1.0 * axis_sign(cmap, cmap.throttle)))
    out = tick(controller)
    assert out["throttle"] == pytest.approx(0.5) and out["recording"] is True  # auto-record
    pad.send(controller, pad.axis(cmap.throttle, 0.0), pad.axis(cmap.steering, 0.0))
    out = tick(controller)
    assert (out["angle"], out["throttle"], out["recording"]) == (0.0, 0.0, False)


@pytest.mark.parametrize("name", BUILT_IN)
def test_each_button_does_its_action(pad_for, name):
    cmap, controller, pad = pad_for(name, auto_record_on_throttle=False)
    erased = []
    controller.erase_last_n = lambda: erased.append("erased") or [1, 2, 3]
    assert cmap.actions, "a map without actions"
    for control, action in cmap.actions.items():
        check_action(controller, pad, control, action, erased)


def check_action(controller, pad, control, action, erased):
    before = tick(controller)
    assert before["mode"] == "user" and before["stop"] is False
    pad.send(controller, pad.press(control))
    if action == "toggle_mode":
        assert tick(controller)["mode"] == "local_angle"
        tick(controller, mode="user")  # the page switches back: adopted
    elif action == "toggle_recording":
        assert tick(controller)["recording"] is True
        assert tick(controller, recording=True)["recording"] is True
        tick(controller, recording=False)
    elif action in ("erase_records", "erase_or_stop"):
        assert erased.pop() == "erased" and not erased
        assert tick(controller)["stop"] is False
    elif action == "emergency_stop":
        out = tick(controller, angle=0.4, throttle=0.3)
        assert (out["stop"], out["angle"], out["throttle"], out["mode"]) == (True, 0, 0, "user")
    elif action == "increase_max_throttle":
        assert controller.pad.throttle_scale == pytest.approx(0.51)
        controller.pad.throttle_scale = 0.5
    elif action == "decrease_max_throttle":
        assert controller.pad.throttle_scale == pytest.approx(0.49)
        controller.pad.throttle_scale = 0.5
    elif action == "toggle_constant_throttle":
        assert tick(controller)["throttle"] == pytest.approx(0.5)
        pad.send(controller, pad.press(control))
        assert tick(controller)["throttle"] == 0.0
    else:
        raise AssertionError(f"untested action {action}")
    if action == "erase_or_stop":  # rc3's switch-up stops outside user mode
        pad.send(controller, pad.press(next(c for c, a in controller.map.actions.items()
                                            if a == "toggle_mode")))
        assert tick(controller)["mode"] == "local_angle"
        pad.send(controller, pad.press(control))
        out = tick(controller)
        assert (out["stop"], out["mode"]) == (True, "user") and not erased


@pytest.mark.parametrize("name", BUILT_IN)
def test_behaviour_and_launch_buttons_take_over_when_the_car_has_them(pad_for, name):
    cmap, controller, pad = pad_for(name)
    steps, launch = Steps(), AiLaunch()
    controller.behavior, controller.ai_launch = steps, launch
    if cmap.behavior_control is not None:
        pad.send(controller, pad.press(cmap.behavior_control))
        assert steps.steps == 1
        assert controller.pad.throttle_scale == 0.5  # not its max-throttle action any more
    if "R2" in cmap.controls:  # AI_LAUNCH_ENABLE_BUTTON's default
        pad.send(controller, pad.press("R2"))
        assert launch.enabled
    lines = "\n".join(controller.controls_lines())
    assert ("behaviour state next" in lines) == (cmap.behavior_control is not None)
    assert ("AI launch" in lines) == ("R2" in cmap.controls)


@pytest.mark.parametrize("name", BUILT_IN)
def test_init_events_do_nothing(pad_for, name):
    cmap, controller, pad = pad_for(name, auto_record_on_throttle=False)
    erased = []
    controller.erase_last_n = lambda: erased.append(1)
    records = [pad.axis(cmap.steering, 1.0, init=True), pad.axis(cmap.throttle, -1.0, init=True)]
    records += [pad.press(control, init=True) for control in cmap.actions]
    pad.send(controller, *records)
    out = tick(controller, angle=0.25, throttle=0.1)
    assert out == {"angle": 0.25, "throttle": 0.1, "mode": "user", "recording": False,
                   "stop": False}
    assert not erased and controller.pad.throttle_scale == 0.5


@pytest.mark.parametrize("name", BUILT_IN)
def test_controls_table_names_every_mapped_control(name):
    cmap = controller_map(name)
    controller = make("/nonexistent/js0", cmap)
    lines = controller.controls_lines()
    assert cmap.name in lines[0]
    text = "\n".join(lines)
    for control, action in cmap.actions.items():
        assert any(line.split()[0] == control for line in lines[1:]), control
        assert ACTIONS[action].format(erase=100) in text


KERNEL_CODES = {  # what the kernel's drivers send (see each map's docstring)
    "ps4": {"cross": 0x130, "circle": 0x131, "triangle": 0x133, "square": 0x134, "L1": 0x136,
            "R1": 0x137, "L2": 0x138, "R2": 0x139, "share": 0x13A, "options": 0x13B},
    "ps5": {"cross": 0x130, "circle": 0x131, "triangle": 0x133, "square": 0x134, "L1": 0x136,
            "R1": 0x137, "L2": 0x138, "R2": 0x139, "create": 0x13A, "options": 0x13B,
            "PS": 0x13C, "L3": 0x13D, "R3": 0x13E},
    "ps3": {"cross": 0x130, "select": 0x13A, "start": 0x13B, "L1": 0x136, "dpad_up": 0x220,
            "dpad_down": 0x221},
    "xbox": {"a_button": 0x130, "b_button": 0x131, "x_button": 0x133, "y_button": 0x134,
             "left_shoulder": 0x136, "right_shoulder": 0x137, "options": 0x13B},
    "F710": {"A": 0x130, "B": 0x131, "Y": 0x134, "back": 0x13A, "start": 0x13B, "L1": 0x136},
}
KERNEL_AXES = {"ps4": {"left_stick_horz": 0x00, "right_stick_vert": 0x04},
               "ps5": {"left_stick_horz": 0x00, "right_stick_vert": 0x04, "dpad_updown": 0x11},
               "xbox": {"right_stick_vert": 0x05, "right_trigger": 0x09, "left_trigger": 0x0A},
               "F710": {"right_stick_vert": 0x04, "dpad_up_down": 0x11}}


@pytest.mark.parametrize("name", sorted(KERNEL_CODES))
def test_maps_use_the_codes_the_kernel_sends(name):
    cmap = controller_map(name)
    assert {b: cmap.button_code(b) for b in KERNEL_CODES[name]} == KERNEL_CODES[name]
    axes = KERNEL_AXES.get(name, {})
    assert {a: cmap.axis_code(a) for a in axes} == axes


def test_xbox_triggers_drive_forward_and_reverse(pad_for):
    cmap, controller, pad = pad_for("xbox")
    pad.send(controller, pad.axis("right_trigger", 1.0))
    assert tick(controller)["throttle"] == pytest.approx(0.5)
    pad.send(controller, pad.axis("right_trigger", -1.0), pad.axis("left_trigger", 0.0))
    assert tick(controller)["throttle"] == pytest.approx(-0.25)
