"""What the DualShock 4 and the DualSense share under Linux: hid-sony (its ds4_keymap) and
hid-playstation (DualSense 5.12+, DualShock 4 6.2+) register the same axes and buttons
(`ps_gamepad_buttons` and `ps_gamepad_create` in drivers/hid/hid-playstation.c; `ds4_keymap`
in hid-sony.c). The touchpad, its click and the motion sensors are separate input devices."""

AXES = {
    0x00: "left_stick_horz", 0x01: "left_stick_vert", 0x02: "left_trigger_axis",
    0x03: "right_stick_horz", 0x04: "right_stick_vert", 0x05: "right_trigger_axis",
    0x10: "dpad_leftright", 0x11: "dpad_updown",
}

FACE_AND_SHOULDER = {
    0x130: "cross", 0x131: "circle", 0x133: "triangle", 0x134: "square",
    0x136: "L1", 0x137: "R1", 0x138: "L2", 0x139: "R2",
    0x13C: "PS", 0x13D: "L3", 0x13E: "R3",
}

DPAD = {"dpad_up": ("dpad_updown", -1), "dpad_down": ("dpad_updown", 1),
        "dpad_left": ("dpad_leftright", -1), "dpad_right": ("dpad_leftright", 1)}


def actions(mode_button: str, constant_button: str) -> dict[str, str]:
    """Donkey's PS4 actions (its ps4 map); the mode and constant-throttle buttons by name."""
    return {
        mode_button: "toggle_mode", "circle": "toggle_recording", "triangle": "erase_records",
        "cross": "emergency_stop", "L1": "increase_max_throttle", "R1": "decrease_max_throttle",
        constant_button: "toggle_constant_throttle",
    }
