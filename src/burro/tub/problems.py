"""Bad data found while reading a tub, kept once each and summarised.

Problems of single records (a missing image, a bad value) and of single catalog lines are
grouped: one line per kind, with the count and the index (or line number) ranges, however
many records are affected. Problems of the tub's structure (an unlisted catalog, duplicate
indexes, ...) are one line each. `ProblemLog.summary()` joins it all into one line, which the
tub logs once when a full read found something new.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from burro.errors import BurroError

log = logging.getLogger("burro.tub")


class TubError(BurroError):
    """A tub that cannot be opened or written (missing/corrupt manifest, wrong inputs, ...)."""


@dataclass(frozen=True)
class Problem:
    file: str
    index: int | None  # the record's `_index`, when known
    what: str
    record_skipped: bool = True  # False: the problem did not cost a readable record
    line_number: int | None = None  # 1-based catalog line, for problems of a line
    group: str | None = None  # problems with one group are summarised together
    note: bool = False  # a fact worth knowing (mixed frame sizes), not a defect

    def line(self) -> str:
        where = self.file if self.line_number is None else f"{self.file} line {self.line_number}"
        if self.index is not None:
            where += f", record {self.index}"
        return f"{self.what} ({where})"


class ProblemLog:
    """Collects problems, each distinct one once, however often it is met."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()
        self._logged = 0

    def report(self, file: str, index: int | None, what: str, record_skipped: bool = True, *,
               line_number: int | None = None, group: str | None = None,
               note: bool = False) -> None:
        skipped = record_skipped and not note and (index is not None or line_number is not None)
        problem = Problem(file, index, what, skipped, line_number, group, note)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)

    @property
    def defects(self) -> list[Problem]:
        """The problems without the notes."""
        return [problem for problem in self.problems if not problem.note]

    def summary_lines(self) -> list[str]:
        """One line per structural problem, one per group of record or line problems."""
        return summary_lines(self.problems)

    def summary(self) -> str | None:
        """Everything in one line (None when nothing was found)."""
        return "; ".join(self.summary_lines()) or None

    def log_new(self, source: str) -> None:
        """Log the summary once, and again only when a later read found more."""
        if len(self.problems) > self._logged:
            self._logged = len(self.problems)
            log.warning("tub problems in %s: %s", source, self.summary())

    def __len__(self) -> int:
        return len(self.problems)


def summary_lines(problems: Iterable[Problem]) -> list[str]:
    lines: list[str] = []
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.group is None:
            lines.append(problem.line())
        else:
            if problem.group not in groups:
                lines.append(problem.group)  # placeholder, keeps first-seen order
            groups.setdefault(problem.group, []).append(problem)
    return [_group_line(line, groups[line]) if line in groups else line for line in lines]


def _group_line(group: str, problems: list[Problem]) -> str:
    if problems[0].line_number is None:
        indexes = sorted({p.index for p in problems})
        count = len(indexes)
        return (f"{count:,} record{'s' * (count != 1)} {'has' if count == 1 else 'have'} "
                f"{group}: index{'es' * (count != 1)} {index_ranges(indexes)}")
    by_file: dict[str, list[int]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem.line_number)
    count = sum(len(numbers) for numbers in by_file.values())
    where = "; ".join(f"{file} line{'s' * (len(numbers) != 1)} {index_ranges(sorted(numbers))}"
                      for file, numbers in by_file.items())
    held = sorted({p.index for p in problems if p.index is not None})
    holding = f", holding _index {index_ranges(held)}" if held else ""
    return f"{group}: {count:,} catalog line{'s' * (count != 1)} ({where}{holding})"


def index_ranges(indexes: list[int]) -> str:
    """`[0, 1, 2, 5]` -> `"0-2, 5"` (the list sorted)."""
    parts, start = [], None
    for position, index in enumerate(indexes):
        start = index if start is None else start
        if position + 1 == len(indexes) or indexes[position + 1] != index + 1:
            parts.append(str(start) if start == index else f"{start}-{index}")
            start = None
    return ", ".join(parts)
