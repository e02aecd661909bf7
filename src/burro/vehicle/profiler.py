"""Timing of the drive loop: per part (Donkey's PartProfiler columns) and for the loop as a
whole (achieved rate, late ticks). Durations come from time.perf_counter: measurement only,
the loop's schedule is the vehicle clock's."""

import math
from array import array

RECENT = 36_000  # samples kept per part for the percentiles: 30 minutes at 20 Hz


class PartTiming:
    """A part's call durations in seconds: count, min, max and mean over the whole run;
    percentiles over the last RECENT calls (bounded memory on a car that runs for hours)."""

    __slots__ = ("count", "total", "low", "high", "errors", "_recent")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.low = math.inf
        self.high = 0.0
        self.errors = 0
        self._recent = array("d")

    def add(self, seconds: float) -> None:
        if self.count < RECENT:
            self._recent.append(seconds)
        else:
            self._recent[self.count % RECENT] = seconds
        self.count += 1
        self.total += seconds
        if seconds < self.low:
            self.low = seconds
        if seconds > self.high:
            self.high = seconds

    def percentiles_ms(self, *fractions: float) -> list[float]:
        ordered = sorted(self._recent)
        if not ordered:
            return [math.nan for _ in fractions]
        return [1000 * ordered[min(len(ordered) - 1, math.ceil(f * len(ordered)) - 1)]
                for f in fractions]

    def row_ms(self) -> list[float]:
        """max, min, avg, p50, p90, p99 in milliseconds."""
        if not self.count:
            return [math.nan] * 6
        return [1000 * self.high, 1000 * self.low, 1000 * self.total / self.count,
                *self.percentiles_ms(0.50, 0.90, 0.99)]


class LoopStats:
    """Ticks, their start times on the vehicle clock, late ticks and wall time."""

    def __init__(self, rate_hz: float, simulated: bool) -> None:
        self.rate_hz = rate_hz
        self.simulated = simulated
        self.ticks = 0
        self.late = 0
        self.worst_late = 0.0  # seconds a late tick started after its scheduled time
        self.first_start: float | None = None
        self.last_start: float | None = None
        self.wall_seconds = 0.0  # perf_counter time from the first tick to the loop's end

    def started_tick(self, t: float) -> None:
        if self.first_start is None:
            self.first_start = t
        self.last_start = t
        self.ticks += 1

    def late_tick(self, seconds_late: float) -> None:
        self.late += 1
        self.worst_late = max(self.worst_late, seconds_late)

    def achieved_hz(self) -> float:
        """Tick starts per second of vehicle-clock time, first to last start."""
        if self.ticks < 2 or self.last_start == self.first_start:
            return math.nan
        return (self.ticks - 1) / (self.last_start - self.first_start)

    def line(self) -> str:
        late_pct = 100 * self.late / self.ticks if self.ticks else 0.0
        text = (f"loop: {self.ticks} ticks, {self.achieved_hz():.2f} Hz achieved "
                f"(target {self.rate_hz:g} Hz), {self.late} late ({late_pct:.2f} %)")
        if self.late:
            text += f", worst {1000 * self.worst_late:.1f} ms late"
        if self.simulated and self.wall_seconds > 0:
            text += f"; simulated clock: {self.ticks / self.wall_seconds:.0f} ticks per wall second"
        return text


COLUMNS = ("max", "min", "avg", "p50", "p90", "p99")


def table_lines(rows: list[tuple[str, PartTiming]]) -> list[str]:
    """The per-part timing table in ms, one line per part, then the header's width."""
    width = max([len("part"), *(len(name) for name, _ in rows)])
    header = f"{'part':<{width}}  {'calls':>7}  {'errors':>6}" + "".join(
        f"  {c:>7}" for c in COLUMNS) + "  (ms)"
    lines = [header]
    for name, timing in rows:
        cells = "".join(f"  {value:7.3f}" for value in timing.row_ms())
        lines.append(f"{name:<{width}}  {timing.count:>7}  {timing.errors:>6}{cells}")
    return lines
