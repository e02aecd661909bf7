"""What Donkey's two PS3 maps share: the actions (its PS3JoystickController)."""

ACTIONS = {
    "select": "toggle_mode", "circle": "toggle_recording", "triangle": "erase_records",
    "cross": "emergency_stop", "dpad_up": "increase_max_throttle",
    "dpad_down": "decrease_max_throttle", "start": "toggle_constant_throttle",
}

DEVICE_PATTERN = r"PLAYSTATION\(R\)3"
