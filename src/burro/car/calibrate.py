"""Finding a servo's or an ESC's pulses by hand: the stepping, apart from the terminal and I2C.

A session walks through the targets of one channel — full left and full right for steering;
stopped, forward and reverse for throttle — and for each sends the pulse the user types
(`370`), steps it (`+`, `-`, `+5`, `-25`), keeps it with an empty line, or ends with `q`.
Whatever happens, the channel is left at neutral (stopped throttle, centred steering).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from burro.errors import BurroError
from burro.parts.drivetrains._pwm import LONGEST, SHORTEST, map_range
from burro.parts.pca9685 import DEFAULT_FREQUENCY_HZ, STEPS

log = logging.getLogger("burro.calibrate")

STEP = 10  # counts per `+`/`-`, as the +/- buttons of Donkey's calibration page
KINDS = ("steering", "throttle")


@dataclass(frozen=True)
class Target:
    """One value to find: its config name, what the user aims for, and where the pulse starts
    (`start_at`: an earlier target's found value, else the configured one)."""

    name: str
    aim: str
    start_at: str | None = None


TARGETS = {
    "steering": (
        Target("STEERING_LEFT_PWM", "the front wheels point fully LEFT (stop just before the "
                                    "servo hums or strains)"),
        Target("STEERING_RIGHT_PWM", "the front wheels point fully RIGHT (stop just before the "
                                     "servo hums or strains)"),
    ),
    "throttle": (
        Target("THROTTLE_STOPPED_PWM", "the wheels stand still and the ESC has beeped that it "
                                       "is armed (it arms on a steady neutral pulse)"),
        Target("THROTTLE_FORWARD_PWM", "the wheels turn FORWARD at the fastest speed you want "
                                       "at full throttle (start low: step by + or -)",
               start_at="THROTTLE_STOPPED_PWM"),
        Target("THROTTLE_REVERSE_PWM", "the wheels turn in REVERSE at full reverse speed; many "
                                       "ESCs need reverse, stopped, reverse again (type the "
                                       "stopped value, then this one again); no reverse: keep "
                                       "the stopped value", start_at="THROTTLE_STOPPED_PWM"),
    ),
}

HELP = ("type a pulse (e.g. 370), + or - to step by 10, +5 / -25 to step by that much, "
        "an empty line to keep the pulse, q to finish")

_STEP = re.compile(r"([+-])(\d*)")


def milliseconds(counts: int) -> float:
    """How long a pulse of `counts` 12-bit steps is at Donkey's 60 Hz."""
    return 1000 * counts / (STEPS * DEFAULT_FREQUENCY_HZ)


def neutral(kind: str, values: Mapping[str, int]) -> int:
    """The pulse a channel is left at: stopped throttle, or the middle of left and right."""
    if kind == "throttle":
        return values["THROTTLE_STOPPED_PWM"]
    return map_range(0, -1, 1, values["STEERING_LEFT_PWM"], values["STEERING_RIGHT_PWM"])


class Session:
    """The stepping for one channel of `kind` ("steering" | "throttle").

    `send(counts)` puts a pulse on the channel; `ask(prompt)` returns a line the user typed
    (EOFError = the input ended: finish); `say(text)` shows a line. `configured` holds the
    five *_PWM values in effect, where the targets start.
    """

    def __init__(self, kind: str, configured: Mapping[str, int], send: Callable[[int], None],
                 ask: Callable[[str], str], say: Callable[[str], None]):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        self.kind = kind
        self.configured = dict(configured)
        self.found: dict[str, int] = {}
        self._send = send
        self._ask = ask
        self._say = say
        self.pulse: int | None = None

    def run(self) -> dict[str, int]:
        """Walk through the targets; the values kept, by config name. The channel ends at
        neutral, also when the user interrupts or the bus fails."""
        try:
            for target in TARGETS[self.kind]:
                if not self._find(target):
                    break
        finally:
            self._park(failing=sys.exc_info()[0] is not None)
        return dict(self.found)

    def _find(self, target: Target) -> bool:
        """True when the target was kept, False when the user finished."""
        start = self.found.get(target.start_at) if target.start_at else None
        self._say(f"{target.name}: step until {target.aim}.")
        self._apply(start if start is not None else self.configured[target.name])
        while True:
            try:
                line = self._ask(f"{target.name} [{self.pulse}] > ").strip()
            except EOFError:  # the input ended (Ctrl-D, or the end of a script)
                self._say("")
                return False
            command = line.lower()
            if command in ("q", "quit", "exit"):
                return False
            if command in ("?", "h", "help"):
                self._say(HELP)
            elif not command:
                self.found[target.name] = self.pulse
                self._say(f"kept {target.name} = {self.pulse}")
                return True
            else:
                self._command(line)

    def _command(self, line: str) -> None:
        stepped = _STEP.fullmatch(line)
        if stepped:
            size = int(stepped[2]) if stepped[2] else STEP
            wanted = self.pulse + (size if stepped[1] == "+" else -size)
        elif line.isdigit():
            wanted = int(line)
        else:
            self._say(f"not understood: {line!r} — {HELP}")
            return
        if not SHORTEST <= wanted <= LONGEST:
            self._say(f"{wanted} is outside {SHORTEST}..{LONGEST} (0.5–2.5 ms at 60 Hz, what "
                      f"servos and ESCs take): not sent, the pulse stays {self.pulse}")
            return
        self._apply(wanted)

    def _apply(self, counts: int) -> None:
        self._send(counts)
        self.pulse = counts
        self._say(f"pulse {counts} ({milliseconds(counts):.2f} ms)")

    def _park(self, failing: bool) -> None:
        counts = neutral(self.kind, {**self.configured, **self.found})
        try:
            self._send(counts)
        except BurroError as exc:
            if not failing:  # the first error is the one to report
                raise
            log.debug("could not put the channel at neutral: %s", exc)
            return
        self.pulse = counts
        self._say(f"channel back at neutral: pulse {counts}")
