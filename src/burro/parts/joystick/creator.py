"""`burro createjs`: make a controller map by asking the user to use each control in turn
and seeing which code the pad sends (Donkey's `donkey createjs`, which writes Python)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from burro.errors import BurroError
from burro.parts.joystick.codes import axis_name, button_name
from burro.parts.joystick.device import DeviceLost, JoystickDevice, JsEvent
from burro.parts.joystick.mapping import ACTIONS, BUTTON_ACTIONS, ControllerMap

MOVED = 0.5  # an axis counts as the one moved when it swept at least this far
PSEUDO_BUTTON_BASE = 0x100  # codes for a device that does not report its own (a FIFO)
QUIT = "q"


class Quit(Exception):
    """The user typed q."""


class EventWatcher:
    """Reads the device in a thread and keeps what it sent since `mark()`; `sync()` first
    reads what the device holds now, so an answer typed after a press sees that press."""

    def __init__(self, device: JoystickDevice):
        self.device = device
        self.positions: dict[int, float] = {}  # axis number -> latest position (init too)
        self.lost: str | None = None
        self._since: list[JsEvent] = []
        self._lock = threading.Lock()
        self._running = True
        self._thread = threading.Thread(target=self._read, daemon=True, name="createjs reader")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._running = False
        self._thread.join(2)

    def mark(self) -> None:
        self.sync()
        with self._lock:
            self._since = []

    def sync(self) -> list[JsEvent]:
        with self._lock:
            self._take_available()
            return list(self._since)

    def _read(self) -> None:
        while self._running and self.lost is None:
            if self.device.wait(0.05):
                with self._lock:
                    self._take_available()

    def _take_available(self) -> None:
        if self.lost is not None:
            return
        try:
            events = self.device.drain()
        except DeviceLost as lost:
            self.lost = str(lost)
            return
        for event in events:
            if event.is_axis:
                self.positions[event.number] = event.axis_value
            if not event.is_init:
                self._since.append(event)


@dataclass
class Control:
    """A control the user showed: a button, or one direction of an axis (a d-pad)."""

    kind: str  # "button" | "axis"
    number: int
    direction: int = 0


class MapMaker:
    """The questions, one control at a time; `run()` returns the finished ControllerMap."""

    def __init__(self, device: JoystickDevice, ask: Callable[[str], str],
                 say: Callable[[str], None]):
        self.device = device
        self.watcher = EventWatcher(device)
        self.ask_line, self.say = ask, say
        self.axes: dict[int, str] = {}
        self.buttons: dict[int, str] = {}
        self.hats: dict[str, tuple[str, int]] = {}
        self.actions: dict[str, str] = {}

    def run(self) -> ControllerMap:
        self.watcher.start()
        try:
            steering = self._axis("STEERING", "left and right", "fully RIGHT", positive=True)
            throttle = self._axis("THROTTLE", "forward and back", "fully FORWARD",
                                  positive=False, taken=steering)
            for action in BUTTON_ACTIONS:
                self._button(action, taken=(steering[0], throttle[0]))
        finally:
            self.watcher.stop()
        inverted = frozenset(name for name, flip in (steering[1:], throttle[1:]) if flip)
        return ControllerMap(
            name="custom", title=self.device.name or "custom map", axes=self.axes,
            buttons=self.buttons, steering=steering[1], throttle=throttle[1],
            actions=self.actions, hats=self.hats, inverted=inverted,
            device_pattern=f"^{re.escape(self.device.name)}$" if self.device.name else None,
            layout=self._layout(), source="burro createjs")

    # ----- the two sticks ----------------------------------------------------------------------

    def _axis(self, role: str, sweep: str, hold: str, positive: bool,
              taken: tuple | None = None) -> tuple[int, str, bool]:
        """(number, name, inverted) of the stick the user moves for `role`."""
        while True:
            self.watcher.mark()
            self._ask(f"Move the {role} stick all the way {sweep} a few times, then press Enter.")
            number = self._moved_axis(self.watcher.sync())
            if number is None:
                self.say("No stick moved far enough; try again (q quits).")
            elif taken is not None and number == taken[0]:
                self.say("That is the steering axis; move the throttle stick.")
            else:
                break
        name = self._axis_name(number)
        while True:
            self._ask(f"Hold the {role} stick {hold} and press Enter while you hold it.")
            self.watcher.sync()
            position = self.watcher.positions.get(number, 0.0)
            if abs(position) >= MOVED:
                break
            self.say(f"{name} is at {position:+.2f}, not held over; try again.")
        inverted = position < 0 if positive else position > 0
        self.say(f"{role.lower()}: {name}" + (" (inverted)" if inverted else ""))
        return number, name, inverted

    def _moved_axis(self, events: list[JsEvent]) -> int | None:
        sweeps: dict[int, list[float]] = {}
        for event in events:
            if event.is_axis:
                sweeps.setdefault(event.number, []).append(event.axis_value)
        ranges = {number: max(values) - min(values) for number, values in sweeps.items()}
        best = max(ranges, key=ranges.get, default=None)
        return best if best is not None and ranges[best] >= MOVED else None

    # ----- the buttons -------------------------------------------------------------------------

    def _button(self, action: str, taken: tuple[int, int]) -> None:
        what = ACTIONS[action].format(erase="N")
        while True:
            self.watcher.mark()
            self._ask(f"Press the button for '{what}', then press Enter (Enter alone: none).")
            control = self._pressed(self.watcher.sync(), taken)
            if control is None:
                self.say(f"{what}: no button")
                return
            name = self._control_name(control)
            if name in self.actions:
                self.say(f"{name} already does '{ACTIONS[self.actions[name]]}'; press another.")
                continue
            self.actions[name] = action
            self.say(f"{what}: {name}")
            return

    def _pressed(self, events: list[JsEvent], taken: tuple[int, int]) -> Control | None:
        for event in events:
            if event.is_button and event.value:
                return Control("button", event.number)
        for event in events:  # a d-pad reported as an axis pair
            if event.is_axis and event.number not in taken and abs(event.axis_value) > 0.9:
                return Control("axis", event.number, 1 if event.axis_value > 0 else -1)
        return None

    # ----- names and codes ---------------------------------------------------------------------

    def _control_name(self, control: Control) -> str:
        if control.kind == "button":
            code = self._button_code(control.number)
            self.buttons[code] = self._button_name(control.number)
            return self.buttons[code]
        axis = self._axis_name(control.number)
        hat = f"{axis}{'+' if control.direction > 0 else '-'}"
        self.hats[hat] = (axis, control.direction)
        return hat

    def _axis_name(self, number: int) -> str:
        codes = self.device.axis_codes
        code = codes[number] if codes and number < len(codes) else number
        self.axes[code] = axis_name(code) if codes else f"axis_{number}"
        return self.axes[code]

    def _button_name(self, number: int) -> str:
        return button_name(self._button_code(number)) if self.device.button_codes \
            else f"button_{number}"

    def _button_code(self, number: int) -> int:
        codes = self.device.button_codes
        return codes[number] if codes and number < len(codes) else PSEUDO_BUTTON_BASE + number

    def _layout(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Event number -> code as the device said, or the codes made up for it."""
        axes = self.device.axis_codes or range(max(self.axes, default=0) + 1)
        buttons = self.device.button_codes or [
            PSEUDO_BUTTON_BASE + n
            for n in range(max(self.buttons, default=PSEUDO_BUTTON_BASE) - PSEUDO_BUTTON_BASE + 1)]
        return tuple(axes), tuple(buttons)

    def _ask(self, prompt: str) -> str:
        if self.watcher.lost is not None:
            raise BurroError(f"the pad went away ({self.watcher.lost})", self.device.path,
                             "nothing was written; connect it and run burro createjs again")
        answer = self.ask_line(prompt).strip().lower()
        if answer == QUIT:
            raise Quit
        return answer
