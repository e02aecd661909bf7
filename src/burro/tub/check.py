"""`burro tub check [--repair]`: find every problem of a tub; repair what is provably bad.

The report lists each structural defect once and groups the problems of records and catalog
lines into one line per kind, with index (or line) ranges. `good_records` is what the reader
yields (and, with `decode`, decodes). The repairs are in `burro.tub.repair`; with `repair` the
report carries the state after them in `after`.
"""

from dataclasses import dataclass, field
from pathlib import Path

from burro.tub.images import load_image
from burro.tub.problems import Problem, summary_lines
from burro.tub.repair import repair_manifest_file, repair_tub
from burro.tub.tub import Tub


@dataclass
class CheckReport:
    path: Path
    good_records: int = 0
    problems: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    after: "CheckReport | None" = None  # the state after the repairs

    @property
    def defects(self) -> list[Problem]:
        """The problems without the notes (frame sizes)."""
        return [problem for problem in self.problems if not problem.note]

    def lines(self) -> list[str]:
        """One line per structural defect or note, one per group of record/line problems."""
        return summary_lines(self.problems)


def check_tub(path: str | Path, repair: bool = False, decode: bool = False) -> CheckReport:
    """Read every record (and with `decode` fully decode its images) and list the problems."""
    report = CheckReport(Path(path).expanduser())
    if repair:
        report.repairs += repair_manifest_file(report.path)
    tub = Tub(report.path)
    undecodable: set[int] = set()
    for record in tub:
        if decode and not _decodes(record, tub):
            undecodable.add(record.index)
        else:
            report.good_records += 1
    report.problems = list(tub.problems.problems)
    if repair:
        report.repairs += repair_tub(tub, undecodable)
        report.after = check_tub(report.path, decode=decode)
    return report


def _decodes(record, tub: Tub) -> bool:
    for key in tub.image_keys:
        if key in record:
            try:
                load_image(record.image_path(key))
            except (OSError, ValueError, SyntaxError) as error:
                tub.problems.report(f"images/{record[key]}", record.index,
                                    f"image does not decode: {error}",
                                    group="an image that does not decode")
                return False
    return True
