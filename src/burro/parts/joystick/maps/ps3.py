"""`ps3`: Sony DualShock 3 / Sixaxis with the kernel's hid-sony (Donkey's ps3 map, the codes
of Raspbian Stretch and later)."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS, _ps3

PS3 = ControllerMap(
    name="ps3", title="Sony DualShock 3",
    axes={0x00: "left_stick_horz", 0x01: "left_stick_vert", 0x02: "L2_pressure",
          0x03: "right_stick_horz", 0x04: "right_stick_vert", 0x05: "R2_pressure"},
    buttons={0x130: "cross", 0x131: "circle", 0x133: "triangle", 0x134: "square",
             0x136: "L1", 0x137: "R1", 0x138: "L2", 0x139: "R2", 0x13A: "select",
             0x13B: "start", 0x13C: "PS", 0x13D: "L3", 0x13E: "R3", 0x220: "dpad_up",
             0x221: "dpad_down", 0x222: "dpad_left", 0x223: "dpad_right"},
    steering="left_stick_horz", throttle="right_stick_vert",
    actions=_ps3.ACTIONS,
    behavior_control="L1",
    device_pattern=_ps3.DEVICE_PATTERN,
    source="Donkey's ps3 map (PS3Joystick)",
)


@CONTROLLER_MAPS.register("ps3")
def ps3(cfg=None) -> ControllerMap:
    return PS3
