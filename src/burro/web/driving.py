"""The web controller's command state: who drives, what they asked for, and the dead-man.

`DriveState` is shared by the server thread (which applies client messages) and the drive
loop's thread (which reads the command once per tick with `tick()`). Every method takes one
lock for a few dictionary operations, never while doing I/O, so the loop never waits on
the network. What the server must tell the clients (a stop, a new driver) is queued as
events and drained by the server thread.

Rules (docs/web.md, "Driver and dead-man"):
- The first client that sends a control field becomes the driver; the others watch, and
  their control fields are answered with an error. `stop` works from anyone; `take_control`
  makes its sender the driver (the car's angle and throttle go to 0 at the hand-over, the
  old driver is told who took over and watches from then on).
- Dead-man: the driver sent nothing for `timeout` seconds → throttle 0, local/local_angle
  fall back to user, the slot is freed.
- The driver's connection closes → Stop Car: mode user, angle 0, throttle 0, recording off.
- After any stop (Stop Car, the dead-man, `user/stop` from another controller) the values
  it overrode are held: a message repeating the throttle, mode or recording in effect before
  the stop (a page's 100 ms heartbeat of its old state) does not undo it; a different value
  (the user moved the stick, chose a mode) is a fresh command and applies.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from burro.web.messages import CONTROL_FIELDS

LOCAL_MODES = ("local", "local_angle")


@dataclass(frozen=True)
class Client:
    """One connection (a WebSocket, or the address a script POSTs from); the same client
    whatever name it goes by."""

    id: str
    name: str = field(compare=False)


@dataclass
class Outcome:
    """What applying a message did: errors to answer, hooks the server must call."""

    errors: list[str]
    erase: bool = False
    behavior: int | None = None


@dataclass(frozen=True)
class Command:
    """One tick's output of the controller."""

    angle: float
    throttle: float
    mode: str
    recording: bool
    stop: bool
    buttons: dict[str, bool]


class DriveState:
    """Thread-safe: `apply`, `client_closed`, `check_deadman` from the server thread; `tick`
    from the drive loop. `viewing_only`: nobody drives from the web (the simulator's expert
    does); control fields are refused and a stop calls `on_stop` instead."""

    def __init__(self, mode: str = "user", timeout: float = 0.5, viewing_only: bool = False,
                 clock: Callable[[], float] = time.monotonic):
        self.timeout = float(timeout)
        self.viewing_only = viewing_only
        self.on_stop: Callable[[str], None] | None = None
        self._clock = clock
        self._lock = threading.Lock()
        self.angle = 0.0
        self.throttle = 0.0
        self.mode = mode
        self.recording = False
        self._mode_latch: str | None = None
        self._recording_latch: bool | None = None
        self._stop_latch = False
        self._stopped_last_tick = False
        self._buttons: dict[str, bool] = {}
        self._held: dict[str, Any] = {}  # field -> the stale value a stop overrode
        self.driver: Client | None = None
        self._driver_seen = 0.0
        self._events: list[tuple[str, Any]] = []

    # ----- the server thread ---------------------------------------------------------------

    def apply(self, client: Client, fields: dict[str, Any]) -> Outcome:
        """Apply one accepted message from `client` (see the module's rules)."""
        outcome = Outcome(errors=[])
        stop_hook = None
        with self._lock:
            now = self._clock()
            if self.driver == client:
                self._driver_seen = now  # any message from the driver is its heartbeat
            if fields.get("stop"):
                if self.viewing_only:
                    stop_hook = self.on_stop
                else:
                    self._stop(f"Stop Car from {client.name}")
                fields = {}  # the stop wins over anything else in the same message
            if fields.get("take_control"):
                self._take_control(client, now, outcome)
            control = {key: value for key, value in fields.items() if key in CONTROL_FIELDS}
            if control:
                self._control(client, control, now, outcome)
        if stop_hook is not None:
            stop_hook(f"Stop Car from {client.name}")
        return outcome

    def client_closed(self, client: Client) -> None:
        with self._lock:
            if self.driver == client:
                self._stop(f"the driver's connection closed ({client.name})", free_driver=True)

    def check_deadman(self) -> None:
        with self._lock:
            self._deadman(self._clock())

    def stop(self, reason: str) -> None:
        """Stop Car from the server itself (e.g. at shutdown)."""
        with self._lock:
            self._stop(reason)

    def events(self) -> list[tuple[str, Any]]:
        """("stopped", reason) and ("driver", None) since the last call, in order."""
        with self._lock:
            events, self._events = self._events, []
        return events

    def driver_name(self) -> str | None:
        driver = self.driver
        return driver.name if driver else None

    # ----- the drive loop ------------------------------------------------------------------

    def tick(self, mode_in: Any, recording_in: Any, stop_in: Any) -> Command:
        """This tick's command. The loop's `user/mode` and `recording` (what the last tick
        ended with: a joystick or RecordingControl may have changed them) are adopted unless
        a client changed them since the last tick; `user/stop` from another controller zeroes
        the throttle (held until the driver sends a new one)."""
        with self._lock:
            self._deadman(self._clock())
            if self._mode_latch is not None:
                self.mode, self._mode_latch = self._mode_latch, None
            elif isinstance(mode_in, str) and mode_in in ("user", *LOCAL_MODES):
                self.mode = mode_in
            if self._recording_latch is not None:
                self.recording, self._recording_latch = self._recording_latch, None
            elif recording_in is not None:
                self.recording = _true(recording_in)
            stop, self._stop_latch = self._stop_latch, False
            if _true(stop_in) and not self._stopped_last_tick and not stop:
                if self.throttle != 0.0:
                    self._events.append(("stopped", "user/stop from another controller"))
                    self._hold(throttle=self.throttle)
                self.throttle = 0.0
            self._stopped_last_tick = stop
            buttons = self._buttons
            self._buttons = {name: False for name, pressed in buttons.items() if pressed}
            return Command(self.angle, self.throttle, self.mode, self.recording, stop, buttons)

    # ----- under the lock ------------------------------------------------------------------

    def _take_control(self, client: Client, now: float, outcome: Outcome) -> None:
        if self.viewing_only:
            outcome.errors.append(self._viewing_only_error())
            return
        previous = self.driver
        if previous is not None and previous != client:  # a hand-over starts at throttle 0
            self.angle = self.throttle = 0.0
            self._events.append(("stopped", f"{client.name} took control from {previous.name}"))
        self._set_driver(client, now)

    def _control(self, client: Client, control: dict[str, Any], now: float,
                 outcome: Outcome) -> None:
        if self.viewing_only:  # the expert drives: the page may still switch and erase
            outcome.erase = bool(control.get("erase_last"))
            outcome.behavior = control.get("behavior")
            if set(control) - VIEWER_CONTROLS:
                outcome.errors.append(self._viewing_only_error())
            return
        if self.driver is None:
            self._set_driver(client, now)
        if self.driver != client:
            outcome.errors.append(f"another browser drives: {self.driver.name}")
            return
        control = self._fresh(control)
        if "angle" in control:
            self.angle = control["angle"]
        if "throttle" in control:
            self.throttle = control["throttle"]
        if "drive_mode" in control:
            self.mode = self._mode_latch = control["drive_mode"]
        if "recording" in control:
            self.recording = self._recording_latch = control["recording"]
        for name, pressed in control.get("buttons", {}).items():
            if pressed:
                self._buttons[name] = True
        outcome.erase = bool(control.get("erase_last"))
        outcome.behavior = control.get("behavior")

    def _hold(self, **before: Any) -> None:
        """Call before a stop changes the values: those it changes are held."""
        after = {"throttle": 0.0, "drive_mode": "user", "recording": False}
        self._held.update({key: value for key, value in before.items() if value != after[key]})

    def _fresh(self, control: dict[str, Any]) -> dict[str, Any]:
        """`control` without the held stale values; a different value releases its hold."""
        for key, stale in list(self._held.items()):
            if key not in control:
                continue
            if control[key] == stale:
                control = {k: v for k, v in control.items() if k != key}
            else:
                del self._held[key]
        return control

    def _set_driver(self, client: Client, now: float) -> None:
        if self.driver != client:
            self.driver = client
            self._held.clear()  # a new driver's values are its own, not a stale page's
            self._events.append(("driver", None))
        self._driver_seen = now

    def _deadman(self, now: float) -> None:
        driver = self.driver
        if driver is None or now - self._driver_seen <= self.timeout:
            return
        self._hold(throttle=self.throttle,
                   **({"drive_mode": self.mode} if self.mode in LOCAL_MODES else {}))
        self.throttle = 0.0
        if self.mode in LOCAL_MODES:
            self.mode = self._mode_latch = "user"
        self.driver = None
        self._events.append(("stopped", f"dead-man: nothing from {driver.name} for "
                                        f"{self.timeout:g} s"))
        self._events.append(("driver", None))

    def _stop(self, reason: str, free_driver: bool = False) -> None:
        self._hold(throttle=self.throttle, drive_mode=self.mode, recording=self.recording)
        self.angle = self.throttle = 0.0
        self.mode = self._mode_latch = "user"
        self.recording = self._recording_latch = False
        self._stop_latch = True
        self._events.append(("stopped", reason))
        if free_driver and self.driver is not None:
            self.driver = None
            self._events.append(("driver", None))

    @staticmethod
    def _viewing_only_error() -> str:
        return ("the simulator's expert drives this car (SIM_EXPERT_AS_USER): the page only "
                "watches, switches the behaviour state and erases; Stop Car ends the drive")


VIEWER_CONTROLS = {"behavior", "erase_last"}
"""What a page may still do while the simulator's expert drives."""


def _true(value: Any) -> bool:
    """A memory value as a flag; one that has no truth value (an array) is False."""
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - nothing from memory may raise in the loop
        return False
