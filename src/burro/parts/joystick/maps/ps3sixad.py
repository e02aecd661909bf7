"""`ps3sixad`: a DualShock 3 paired with the sixad daemon (Donkey's map for a Jetson Nano):
other codes, and steering on the right stick, throttle on the left."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS, _ps3

PS3_SIXAD = ControllerMap(
    name="ps3sixad", title="Sony DualShock 3 (sixad)",
    axes={0x00: "left_stick_horz", 0x01: "left_stick_vert", 0x02: "right_stick_horz",
          0x03: "right_stick_vert"},
    buttons={0x120: "select", 0x121: "L3", 0x122: "R3", 0x123: "start", 0x124: "dpad_up",
             0x125: "dpad_right", 0x126: "dpad_down", 0x127: "dpad_left", 0x128: "L2",
             0x129: "R2", 0x12A: "L1", 0x12B: "R1", 0x12C: "triangle", 0x12D: "circle",
             0x12E: "cross", 0x12F: "square", 0x130: "PS"},
    steering="right_stick_horz", throttle="left_stick_vert",
    actions=_ps3.ACTIONS,
    behavior_control="L1",
    device_pattern=_ps3.DEVICE_PATTERN,
    source="Donkey's ps3sixad map (PS3JoystickSixAd)",
)


@CONTROLLER_MAPS.register("ps3sixad")
def ps3sixad(cfg=None) -> ControllerMap:
    return PS3_SIXAD
