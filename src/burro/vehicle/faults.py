"""The fault policy's log: a part that raises is one line with its name and the error; while it
keeps failing, one line per second with the count; one line when it runs cleanly again. So a
part that raises at every tick costs O(1) log lines per second, never one per tick."""

import logging
import os
import time
import traceback
from collections.abc import Callable

from burro.errors import first_line

log = logging.getLogger("burro.vehicle")

REPORT_EVERY_S = 1.0


def describe(error: BaseException) -> str:
    """`ValueError: bad thing (mypart.py:12)`: the error and the innermost line that raised."""
    text = f"{type(error).__name__}: {first_line(error)}"
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        where = frames[-1]
        text += f" ({os.path.basename(where.filename)}:{where.lineno})"
    return text


class _Failing:
    __slots__ = ("since_report", "window_start", "last")

    def __init__(self, now: float, error: str) -> None:
        self.since_report = 0
        self.window_start = now
        self.last = error


class FaultLog:
    """Rate-limited reports of failing parts. `now` is a wall clock (log volume is a matter of
    real seconds, also when the loop runs on simulated time)."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._failing: dict[str, _Failing] = {}

    @property
    def failing(self) -> bool:
        return bool(self._failing)

    def raised(self, name: str, error: BaseException, what: str = "raised") -> None:
        text = describe(error)
        state = self._failing.get(name)
        if state is None:
            self._failing[name] = _Failing(self._now(), text)
            log.error("part %s %s %s — its outputs are None this tick; the loop goes on",
                      name, what, text)
            log.debug("part %s traceback", name, exc_info=error)
        else:
            state.since_report += 1
            state.last = text

    def report(self) -> None:
        """Called once per tick while a part is failing: the per-second lines."""
        now = self._now()
        for name, state in list(self._failing.items()):
            if now - state.window_start < REPORT_EVERY_S:
                continue
            seconds = now - state.window_start
            if state.since_report:
                log.error("part %s failed %d more times in the last %.1f s (last: %s)",
                          name, state.since_report, seconds, state.last)
                state.since_report = 0
                state.window_start = now
            else:
                log.warning("part %s runs again (no failure for %.1f s)", name, seconds)
                del self._failing[name]

    def flush(self) -> None:
        """At shutdown: the failures not yet reported."""
        for name, state in self._failing.items():
            if state.since_report:
                log.error("part %s failed %d more times in the last %.1f s (last: %s)",
                          name, state.since_report, self._now() - state.window_start, state.last)
        self._failing.clear()
