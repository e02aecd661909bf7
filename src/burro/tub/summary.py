"""What `burro tub info` shows: counts, sessions, duration, keys and value statistics."""

import math
from collections import Counter
from dataclasses import dataclass, field

from burro.tub.tub import Tub

STATS_KEYS = ("user/angle", "user/throttle")


@dataclass
class Stats:
    count: int = 0
    total: float = 0.0
    squares: float = 0.0
    low: float = math.inf
    high: float = -math.inf

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.squares += value * value
        self.low = min(self.low, value)
        self.high = max(self.high, value)

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else math.nan

    @property
    def std(self) -> float:
        if not self.count:
            return math.nan
        return math.sqrt(max(self.squares / self.count - self.mean ** 2, 0.0))


@dataclass
class Summary:
    path: str
    records: int = 0
    deleted: int = 0
    bad: int = 0
    sessions: Counter = field(default_factory=Counter)
    spans: dict[str, list[int]] = field(default_factory=dict)  # session -> [first, last] ms
    stats: dict[str, Stats] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    problems: str | None = None  # everything wrong, in one line

    @property
    def duration_s(self) -> float:
        """Recorded time: the sessions' spans added up (pauses between sessions left out)."""
        return sum(last - first for first, last in self.spans.values()) / 1000

    def as_dict(self) -> dict:
        return {"path": self.path, "records": self.records, "deleted": self.deleted,
                "bad": self.bad, "problems": self.problems, "sessions": dict(self.sessions),
                "duration_s": self.duration_s, "keys": self.keys,
                "stats": {key: {"min": s.low, "max": s.high, "mean": s.mean, "std": s.std}
                          for key, s in self.stats.items() if s.count}}


def summarize(tub: Tub) -> Summary:
    summary = Summary(str(tub.path), keys=dict(zip(tub.inputs, tub.types)),
                      deleted=len({i for i in tub.deleted_indexes if i < tub.end_index}))
    summary.stats = {key: Stats() for key in STATS_KEYS if tub.type_of(key) == "float"}
    for record in tub:
        summary.records += 1
        summary.sessions[record.session_id] += 1
        if record.timestamp_ms is not None:
            span = summary.spans.setdefault(record.session_id, [record.timestamp_ms] * 2)
            span[1] = record.timestamp_ms
        for key, stats in summary.stats.items():
            if key in record:  # a null value is missing
                stats.add(record[key])
    summary.bad = sum(problem.record_skipped for problem in tub.problems.problems)
    summary.problems = tub.problem_summary()
    return summary
