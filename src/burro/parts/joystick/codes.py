"""Names of the evdev codes pads use (linux/input-event-codes.h), for `burro createjs` maps
and messages. A code without a name here is written as `ABS_0x1a` / `BTN_0x2c0`."""

ABS_NAMES = {
    0x00: "ABS_X", 0x01: "ABS_Y", 0x02: "ABS_Z", 0x03: "ABS_RX", 0x04: "ABS_RY",
    0x05: "ABS_RZ", 0x06: "ABS_THROTTLE", 0x07: "ABS_RUDDER", 0x08: "ABS_WHEEL",
    0x09: "ABS_GAS", 0x0A: "ABS_BRAKE", 0x10: "ABS_HAT0X", 0x11: "ABS_HAT0Y",
    0x12: "ABS_HAT1X", 0x13: "ABS_HAT1Y", 0x14: "ABS_HAT2X", 0x15: "ABS_HAT2Y",
    0x16: "ABS_HAT3X", 0x17: "ABS_HAT3Y",
}

BTN_NAMES = {
    0x120: "BTN_TRIGGER", 0x121: "BTN_THUMB", 0x122: "BTN_THUMB2", 0x123: "BTN_TOP",
    0x124: "BTN_TOP2", 0x125: "BTN_PINKIE", 0x126: "BTN_BASE", 0x127: "BTN_BASE2",
    0x128: "BTN_BASE3", 0x129: "BTN_BASE4", 0x12A: "BTN_BASE5", 0x12B: "BTN_BASE6",
    0x130: "BTN_SOUTH", 0x131: "BTN_EAST", 0x132: "BTN_C", 0x133: "BTN_NORTH",
    0x134: "BTN_WEST", 0x135: "BTN_Z", 0x136: "BTN_TL", 0x137: "BTN_TR", 0x138: "BTN_TL2",
    0x139: "BTN_TR2", 0x13A: "BTN_SELECT", 0x13B: "BTN_START", 0x13C: "BTN_MODE",
    0x13D: "BTN_THUMBL", 0x13E: "BTN_THUMBR", 0x220: "BTN_DPAD_UP", 0x221: "BTN_DPAD_DOWN",
    0x222: "BTN_DPAD_LEFT", 0x223: "BTN_DPAD_RIGHT",
}


def axis_name(code: int) -> str:
    return ABS_NAMES.get(code, f"ABS_0x{code:02x}")


def button_name(code: int) -> str:
    return BTN_NAMES.get(code, f"BTN_0x{code:03x}")
