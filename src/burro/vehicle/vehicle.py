"""The Vehicle: Donkey Car's parts loop (`donkeycar/vehicle.py`) with a fault policy, signal
handling, joined threads and a profiler. See docs/vehicle.md."""

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from burro.errors import BurroError
from burro.vehicle.clock import RealClock, SimulatedClock
from burro.vehicle.faults import FaultLog
from burro.vehicle.memory import Memory
from burro.vehicle.profiler import LoopStats, PartTiming, table_lines
from burro.vehicle.signals import StopRequest, stop_on_signals

log = logging.getLogger("burro.vehicle")

LATE_FRACTION = 0.1  # a tick is late when it starts > 10 % of a period after its schedule
JOIN_TIMEOUT_S = 2.0  # for all part threads together, after their shutdown()


@dataclass(eq=False)
class PartEntry:
    part: Any
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    threaded: bool
    run_condition: str | None
    name: str
    timing: PartTiming = field(default_factory=PartTiming)
    thread: threading.Thread | None = None


class Vehicle:
    """Parts run in the order they were added, once per tick, reading their inputs from and
    writing their outputs to `self.mem`."""

    def __init__(self, clock: RealClock | SimulatedClock | None = None) -> None:
        self.clock = clock if clock is not None else RealClock()
        self.mem = Memory()
        self.parts: list[PartEntry] = []
        self.loop_stats: LoopStats | None = None
        self.stop_reason: str | None = None
        self.stop_requested_at: float | None = None  # time.monotonic() of the stop request
        self._stopping = StopRequest()
        self._faults = FaultLog()
        self._tick_timing = PartTiming()

    # -- building -----------------------------------------------------------------------
    def add(self, part: Any, inputs: Sequence[str] = (), outputs: Sequence[str] = (),
            threaded: bool = False, run_condition: str | None = None,
            name: str | None = None) -> None:
        """Add a part after the ones already added. `run_condition` is a memory key: the part
        runs only in ticks where that key holds a true value."""
        name = self._unique(name or type(part).__name__)
        inputs, outputs = _keys(name, "inputs", inputs), _keys(name, "outputs", outputs)
        if run_condition is not None and not isinstance(run_condition, str):
            raise _add_error(name, f"run_condition must be a memory key (a str), "
                                   f"not {type(run_condition).__name__}")
        needs = ("update", "run_threaded") if threaded else ("run",)
        missing = [m for m in needs if not callable(getattr(part, m, None))]
        if missing:
            raise _add_error(name, f"has no {' or '.join(m + '()' for m in missing)} method",
                             "a threaded part needs update() and run_threaded(), "
                             "any other part needs run()")
        self.parts.append(PartEntry(part, inputs, outputs, bool(threaded), run_condition, name))

    def _unique(self, name: str) -> str:
        taken = {entry.name for entry in self.parts}
        if name not in taken:
            return name
        n = 2
        while f"{name}#{n}" in taken:
            n += 1
        return f"{name}#{n}"

    def describe_lines(self) -> list[str]:
        """The parts in order, for the start-up print."""
        lines = []
        for i, e in enumerate(self.parts, 1):
            how = " (threaded)" if e.threaded else ""
            when = f" when {e.run_condition}" if e.run_condition else ""
            lines.append(f"{i:2}. {e.name}{how}{when}: {', '.join(e.inputs) or '-'} -> "
                         f"{', '.join(e.outputs) or '-'}")
        return lines

    # -- running ------------------------------------------------------------------------
    def start(self, rate_hz: float = 20, max_loop_count: int | None = None) -> tuple[int, float]:
        """Run the loop until stop(), SIGINT/SIGTERM or `max_loop_count` ticks (None or 0:
        no limit), then shut every part down. Returns (ticks, seconds) like Donkey's."""
        if not rate_hz or rate_hz <= 0:
            raise BurroError(f"the loop rate must be positive, not {rate_hz!r}",
                             "Vehicle.start(rate_hz)", "set DRIVE_LOOP_HZ to e.g. 20")
        self._stopping = StopRequest()
        self.stop_reason = self.stop_requested_at = None
        self.loop_stats = LoopStats(rate_hz, getattr(self.clock, "simulated", False))
        with stop_on_signals(self.stop):
            try:
                self._start_threads()
                self._loop(1.0 / rate_hz, max_loop_count or None)
            except KeyboardInterrupt:  # without our handler (a second signal ends up above)
                self.stop("KeyboardInterrupt")
            finally:
                log.info("vehicle: %s after %d ticks; shutting the parts down",
                         self.stop_reason or "done", self.loop_stats.ticks)
                self._shutdown()
                self._stopping.close()
        return self.loop_stats.ticks, self.loop_stats.wall_seconds

    def stop(self, reason: str = "stop()") -> None:
        """Ask the loop to end at the next tick boundary (from a part, a thread or a signal)."""
        if not self._stopping.is_set():
            self.stop_reason = reason
            self.stop_requested_at = time.monotonic()
            self._stopping.set()

    def _start_threads(self) -> None:
        for e in self.parts:
            if e.threaded:
                e.thread = threading.Thread(target=self._update, args=(e,),
                                            name=f"part {e.name}", daemon=True)
                e.thread.start()

    def _update(self, entry: PartEntry) -> None:
        try:
            entry.part.update()
        except Exception as error:  # the thread ends; run_threaded() keeps its last values
            log.error("part %s: its update() thread stopped: %s", entry.name,
                      f"{type(error).__name__}: {error}")

    def _loop(self, period: float, max_ticks: int | None) -> None:
        clock, stats, stopping = self.clock, self.loop_stats, self._stopping
        tolerance = LATE_FRACTION * period
        anchor = clock.now()
        n = 0  # ticks since the anchor: tick n is scheduled at anchor + n * period
        wall_start = time.perf_counter()
        try:
            while not stopping.is_set():
                now = clock.now()
                scheduled = anchor + n * period
                if now - scheduled > tolerance:  # late: start now, and re-anchor (no burst)
                    stats.late_tick(now - scheduled)
                    anchor, n = now, 0
                stats.started_tick(now)
                self._tick(stats.ticks - 1, now)
                if max_ticks is not None and stats.ticks >= max_ticks:
                    break
                n += 1
                clock.sleep_until(anchor + n * period, stopping)
        finally:
            stats.wall_seconds = time.perf_counter() - wall_start

    def _tick(self, tick: int, now: float) -> None:
        d, put, perf = self.mem.d, self.mem.put, time.perf_counter
        d["loop/time"] = now
        d["loop/tick"] = tick
        tick_start = perf()
        for e in self.parts:
            if e.run_condition is not None and not d.get(e.run_condition):
                continue
            args = [d.get(k) for k in e.inputs]
            t0 = perf()
            try:
                out = e.part.run_threaded(*args) if e.threaded else e.part.run(*args)
                if out is not None:
                    put(e.outputs, out)
            except Exception as error:
                e.timing.errors += 1
                self._faults.raised(e.name, error)
                for key in e.outputs:
                    d[key] = None
            e.timing.add(perf() - t0)
        if self._faults.failing:
            self._faults.report()
        self._tick_timing.add(perf() - tick_start)

    # -- stopping -----------------------------------------------------------------------
    def shutdown_order(self) -> list[PartEntry]:
        """Parts that say `shutdown_first = True` (actuators: neutral at once), in add order;
        then the others in reverse add order (consumers before the producers they read)."""
        first = [e for e in self.parts if getattr(e.part, "shutdown_first", False) is True]
        return first + [e for e in reversed(self.parts) if e not in first]

    def _shutdown(self) -> None:
        self._faults.flush()
        for e in self.shutdown_order():
            shutdown = getattr(e.part, "shutdown", None)
            if not callable(shutdown):
                continue
            try:
                shutdown()
            except Exception as error:
                log.error("part %s: shutdown() raised %s: %s; the other parts still shut down",
                          e.name, type(error).__name__, error)
        self._join_threads()

    def _join_threads(self) -> None:
        deadline = time.monotonic() + JOIN_TIMEOUT_S
        for e in self.parts:
            if e.thread is None:
                continue
            e.thread.join(max(0.0, deadline - time.monotonic()))
            if e.thread.is_alive():
                log.warning("part %s: its update() thread did not end within %.0f s of "
                            "shutdown(); left behind as a daemon thread — its update() loop "
                            "should end when shutdown() is called", e.name, JOIN_TIMEOUT_S)

    # -- reporting ----------------------------------------------------------------------
    def summary_lines(self) -> list[str]:
        """The shutdown print: per-part timing (ms) and the loop's achieved rate, late ticks."""
        rows = [(e.name, e.timing) for e in self.parts] + [("(whole tick)", self._tick_timing)]
        lines = table_lines(rows)
        if self.loop_stats is not None:
            lines.append(self.loop_stats.line())
        return lines


def _keys(name: str, what: str, keys: Sequence[str]) -> tuple[str, ...]:
    if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
        raise _add_error(name, f"{what} must be a list of memory keys (str), not {keys!r}",
                         f"write {what}=['cam/image_array', ...]")
    return tuple(keys)


def _add_error(name: str, what: str, todo: str = "see docs/vehicle.md") -> BurroError:
    return BurroError(f"part {name} {what}", "Vehicle.add in manage.py", todo)
