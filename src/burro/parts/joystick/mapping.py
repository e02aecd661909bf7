"""A controller map: which evdev codes a pad sends, what each control is called and which
action it triggers. One map per CONTROLLER_TYPE (`burro.parts.joystick.maps`); `custom` is
read from the JSON file `burro createjs` writes, in the same form (`to_json`/`from_json`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from burro.errors import BurroError

ACTIONS = {
    "toggle_mode": "toggle mode user → local_angle → local",
    "toggle_recording": "toggle recording (ignored with AUTO_RECORD_ON_THROTTLE)",
    "erase_records": "erase the last {erase} records",
    "emergency_stop": "emergency stop",
    "increase_max_throttle": "max throttle +0.01",
    "decrease_max_throttle": "max throttle -0.01",
    "toggle_constant_throttle": "constant throttle on/off",
    "ai_launch": "AI launch (arm)",
    "behavior_next": "behaviour state next",
    "erase_or_stop": "in user mode erase the last {erase} records, else emergency stop",
}
"""Action name -> what the controls table says."""

BUTTON_ACTIONS = tuple(action for action in ACTIONS if action != "erase_or_stop")
"""The actions `burro createjs` asks a control for, in its order."""

FORMAT = "burro-joystick-map"
VERSION = 1
BTN_MISC = 0x100


@dataclass(frozen=True)
class ControllerMap:
    """`axes`/`buttons`: evdev code -> control name. `steering`/`throttle`: axis names;
    `inverted`: axes whose values are negated first. `hats`: a d-pad that is an axis pair
    (ABS_HAT0X/Y) gives button-like controls, name -> (axis name, -1 or +1).
    `throttle_triggers`: (forward, reverse) trigger axes that also set the throttle (-1
    released .. +1 pulled). `actions`: control name -> action (ACTIONS). `behavior_control`:
    the control that switches the behaviour state when the car has a Behavior part (it
    replaces that control's action then, as Donkey's template does with L1).
    `device_pattern`: a regular expression the pad's name (JSIOCGNAME) matches.
    `layout`: (axis codes, button codes) by event number, for a device that cannot report
    them (a FIFO); by default the codes in joydev's order (ascending; buttons from BTN_MISC).
    """

    name: str
    title: str
    axes: Mapping[int, str]
    buttons: Mapping[int, str]
    steering: str
    throttle: str
    actions: Mapping[str, str]
    hats: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    inverted: frozenset[str] = frozenset()
    throttle_triggers: tuple[str | None, str | None] = (None, None)
    behavior_control: str | None = None
    device_pattern: str | None = None
    layout: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    source: str = ""

    def __post_init__(self):
        problem = self.problem()
        if problem:
            raise ValueError(f"controller map {self.name}: {problem}")

    def problem(self) -> str | None:
        axis_names, button_names = set(self.axes.values()), set(self.buttons.values())
        for role, axis in (("steering", self.steering), ("throttle", self.throttle),
                           ("forward trigger", self.throttle_triggers[0]),
                           ("reverse trigger", self.throttle_triggers[1])):
            if axis is not None and axis not in axis_names:
                return f"the {role} axis {axis!r} is not one of its axes"
        for hat, (axis, direction) in self.hats.items():
            if axis not in axis_names or direction not in (-1, 1):
                return f"the d-pad control {hat!r} needs one of its axes and -1 or 1"
        controls = button_names | set(self.hats)
        for control, action in self.actions.items():
            if control not in controls:
                return f"the control {control!r} of action {action!r} is not one of its buttons"
            if action not in ACTIONS:
                return f"unknown action {action!r} (use one of: {', '.join(ACTIONS)})"
        if self.behavior_control is not None and self.behavior_control not in controls:
            return f"the behaviour control {self.behavior_control!r} is not one of its buttons"
        for name in self.inverted:
            if name not in axis_names:
                return f"the inverted axis {name!r} is not one of its axes"
        return None

    # ----- lookups ---------------------------------------------------------------------------

    @property
    def controls(self) -> set[str]:
        """Every button-like control name (buttons and d-pad directions)."""
        return set(self.buttons.values()) | set(self.hats)

    def default_layout(self) -> tuple[list[int], list[int]]:
        if self.layout is not None:
            return list(self.layout[0]), list(self.layout[1])
        buttons = sorted(code for code in self.buttons if code >= BTN_MISC)
        buttons += sorted(code for code in self.buttons if code < BTN_MISC)
        return sorted(self.axes), buttons

    def axis_code(self, name: str) -> int | None:
        return next((code for code, axis in self.axes.items() if axis == name), None)

    def button_code(self, name: str) -> int | None:
        return next((code for code, button in self.buttons.items() if button == name), None)

    def matches_name(self, device_name: str | None) -> bool:
        """Whether a pad called `device_name` is one this map is for (True when unknown)."""
        if not device_name or not self.device_pattern:
            return True
        return re.search(self.device_pattern, device_name, re.IGNORECASE) is not None

    # ----- the file `burro createjs` writes ------------------------------------------------------

    def to_json(self) -> dict:
        axes, buttons = self.default_layout()
        return {
            "format": FORMAT, "version": VERSION, "title": self.title,
            "device_name": self.device_pattern and _unescaped(self.device_pattern),
            "axes": {f"0x{code:02x}": name for code, name in sorted(self.axes.items())},
            "buttons": {f"0x{code:03x}": name for code, name in sorted(self.buttons.items())},
            "steering": {"axis": self.steering, "inverted": self.steering in self.inverted},
            "throttle": {"axis": self.throttle, "inverted": self.throttle in self.inverted},
            "dpad": {name: [axis, direction] for name, (axis, direction) in self.hats.items()},
            "actions": dict(self.actions),
            "layout": {"axes": axes, "buttons": buttons},
        }


def from_json(data: object, where: str) -> ControllerMap:
    """The map in a `burro createjs` file; a one-line BurroError naming `where` if it is not one."""
    todo = "write it again with `burro createjs`"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BurroError(f"not a {FORMAT} file", where, todo)
    if data.get("version") != VERSION:
        raise BurroError(f"map version {data.get('version')!r} is not {VERSION}", where, todo)
    try:
        steering, throttle = data["steering"], data["throttle"]
        inverted = frozenset(role["axis"] for role in (steering, throttle) if role.get("inverted"))
        layout = data.get("layout")
        device_name = data.get("device_name")
        built = ControllerMap(
            name="custom", title=str(data.get("title") or "custom map"),
            axes={int(code, 16): str(name) for code, name in data["axes"].items()},
            buttons={int(code, 16): str(name) for code, name in data["buttons"].items()},
            steering=str(steering["axis"]), throttle=str(throttle["axis"]),
            actions={str(control): str(action) for control, action in data["actions"].items()},
            hats={str(name): (str(axis), int(direction))
                  for name, (axis, direction) in data.get("dpad", {}).items()},
            inverted=inverted,
            device_pattern=f"^{re.escape(device_name)}$" if device_name else None,
            layout=(tuple(int(c) for c in layout["axes"]), tuple(int(c) for c in layout["buttons"]))
            if layout else None,
            source=f"written by burro createjs ({where})")
    except ValueError as error:
        raise BurroError(f"bad joystick map: {error}", where, todo) from None
    except (KeyError, TypeError, AttributeError) as error:
        raise BurroError(f"bad joystick map: missing or wrong entry {error}", where, todo) from None
    return built


def _unescaped(pattern: str) -> str:
    """The device name of a custom map's `^name$` pattern."""
    return re.sub(r"\\(.)", r"\1", pattern.removeprefix("^").removesuffix("$"))
