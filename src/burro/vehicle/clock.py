"""The drive loop's clocks. Parts read the tick's time from memory (`loop/time`), never from
time.time()/monotonic(), so the same parts run in real time on the car and as fast as the CPU
allows in tests and the simulator's fast mode."""

import time
from typing import Protocol


class Wake(Protocol):
    def wait(self, timeout: float) -> bool: ...


class RealClock:
    """Wall time: time.monotonic(), and sleeping until a deadline."""

    simulated = False

    def now(self) -> float:
        return time.monotonic()

    def sleep_until(self, t: float, wake: Wake | None = None) -> None:
        """Sleep until monotonic time `t`; return at once if it has passed, or as soon as
        `wake` is set (the vehicle's stop request, so a signal does not wait out a tick)."""
        delay = t - time.monotonic()
        if delay <= 0:
            return
        if wake is None:
            time.sleep(delay)
        else:
            wake.wait(delay)


class SimulatedClock:
    """Simulated time: starts at `start` and jumps to each deadline instead of sleeping, so
    the loop advances by exactly one tick per loop however long the parts take."""

    simulated = True

    def __init__(self, start: float = 0.0) -> None:
        self._t = float(start)

    def now(self) -> float:
        return self._t

    def sleep_until(self, t: float, wake: Wake | None = None) -> None:
        if t > self._t:
            self._t = float(t)
