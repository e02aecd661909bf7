"""`wiiu`: Nintendo Wii U Pro Controller with the kernel's hid-wiimote (Donkey's map, which
it marks "need testing"; its d-pad down 548 is BTN_DPAD_DOWN 545 here)."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS

WIIU = ControllerMap(
    name="wiiu", title="Nintendo Wii U Pro Controller",
    axes={0x00: "LEFT_STICK_X", 0x01: "LEFT_STICK_Y", 0x03: "RIGHT_STICK_X",
          0x04: "RIGHT_STICK_Y"},
    buttons={0x130: "B", 0x131: "A", 0x133: "X", 0x134: "Y", 0x136: "LEFT_TOP_TRIGGER",
             0x137: "RIGHT_TOP_TRIGGER", 0x138: "LEFT_BOTTOM_TRIGGER",
             0x139: "RIGHT_BOTTOM_TRIGGER", 0x13A: "SELECT", 0x13B: "START",
             0x13D: "LEFT_STICK_PRESS", 0x13E: "RIGHT_STICK_PRESS", 0x220: "PAD_UP",
             0x221: "PAD_DOWN", 0x222: "PAD_LEFT", 0x223: "PAD_RIGHT"},
    steering="LEFT_STICK_X", throttle="RIGHT_STICK_Y",
    actions={"Y": "erase_records", "B": "toggle_mode", "A": "emergency_stop"},
    behavior_control="LEFT_TOP_TRIGGER",
    device_pattern=r"Wii Remote Pro Controller",
    source="Donkey's wiiu map (WiiU); the behaviour button is burro's",
)


@CONTROLLER_MAPS.register("wiiu")
def wiiu(cfg=None) -> ControllerMap:
    return WIIU
