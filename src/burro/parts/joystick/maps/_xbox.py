"""Donkey's Xbox One map (XboxOneJoystick): the Bluetooth "Xbox Wireless Controller" with the
kernel's generic HID driver. Over USB (xpad) the right stick and the triggers have other
codes: use `burro createjs` there."""

AXES = {0x00: "left_stick_horz", 0x01: "left_stick_vert", 0x02: "right_stick_horz",
        0x05: "right_stick_vert", 0x09: "right_trigger", 0x0A: "left_trigger",
        0x10: "dpad_horiz", 0x11: "dpad_vert"}

BUTTONS = {0x130: "a_button", 0x131: "b_button", 0x133: "x_button", 0x134: "y_button",
           0x136: "left_shoulder", 0x137: "right_shoulder", 0x13B: "options"}

ACTIONS = {"a_button": "toggle_mode", "b_button": "toggle_recording",
           "x_button": "erase_records", "y_button": "emergency_stop",
           "right_shoulder": "increase_max_throttle", "left_shoulder": "decrease_max_throttle",
           "options": "toggle_constant_throttle"}

DEVICE_PATTERN = r"xbox|x-box|microsoft"
TRIGGERS = ("right_trigger", "left_trigger")  # Donkey's "Forza mode"
