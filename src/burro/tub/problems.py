"""Bad data found while reading a tub: each problem is reported once and the record skipped."""

import logging
from dataclasses import dataclass

from burro.errors import BurroError

log = logging.getLogger("burro.tub")


class TubError(BurroError):
    """A tub that cannot be opened or written (missing/corrupt manifest, wrong inputs, ...)."""


@dataclass(frozen=True)
class Problem:
    file: str
    index: int | None
    what: str
    record_skipped: bool = True  # False: the problem did not cost a readable record

    def line(self) -> str:
        where = self.file if self.index is None else f"{self.file}, record {self.index}"
        return f"{self.what} ({where})"


class ProblemLog:
    """Collects problems; logs each distinct one a single time, however often it is met."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()

    def report(self, file: str, index: int | None, what: str,
               record_skipped: bool = True) -> None:
        problem = Problem(file, index, what, record_skipped and index is not None)
        if problem in self._seen:
            return
        self._seen.add(problem)
        self.problems.append(problem)
        log.warning("tub problem: %s%s", problem.line(),
                    "; record skipped" if problem.record_skipped else "")

    def __len__(self) -> int:
        return len(self.problems)
