"""`F710`: Logitech Gamepad F710 in XInput mode (switch on the back at X), kernel xpad.
The d-pad is an axis pair; up/down change the max throttle as in Donkey's map."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS

F710_MAP = ControllerMap(
    name="F710", title="Logitech Gamepad F710",
    axes={0x00: "left_stick_horz", 0x01: "left_stick_vert", 0x02: "L2_pressure",
          0x03: "right_stick_horz", 0x04: "right_stick_vert", 0x05: "R2_pressure",
          0x10: "dpad_leftright", 0x11: "dpad_up_down"},
    buttons={0x130: "A", 0x131: "B", 0x133: "X", 0x134: "Y", 0x136: "L1", 0x137: "R1",
             0x13A: "back", 0x13B: "start", 0x13C: "Logitech", 0x13D: "left_stick_press",
             0x13E: "right_stick_press"},
    steering="left_stick_horz", throttle="right_stick_vert",
    hats={"dpad_up": ("dpad_up_down", -1), "dpad_down": ("dpad_up_down", 1),
          "dpad_left": ("dpad_leftright", -1), "dpad_right": ("dpad_leftright", 1)},
    actions={"start": "toggle_mode", "B": "toggle_recording", "Y": "erase_records",
             "A": "emergency_stop", "back": "toggle_constant_throttle",
             "dpad_up": "increase_max_throttle", "dpad_down": "decrease_max_throttle"},
    behavior_control="L1",
    device_pattern=r"Logitech Gamepad F710",
    source="Donkey's F710 map (LogitechJoystick)",
)


@CONTROLLER_MAPS.register("F710")
def f710(cfg=None) -> ControllerMap:
    return F710_MAP
