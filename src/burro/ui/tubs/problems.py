"""A tub's problems for the Tub Manager, found by the code of `burro tub check`, each line with
the record indexes it is about (the page jumps to them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from burro.tub.check import check_tub
from burro.tub.problems import Problem, summary_lines

MAX_INDEXES = 5000  # per line; the page jumps between them


def tub_problems(path: Path) -> dict[str, Any]:
    """`{"good": n, "lines": [{"text", "note", "indexes"}]}`, in `burro tub check`'s order."""
    report = check_tub(path)
    entries: list[dict[str, Any]] = []
    groups: dict[str, list[Problem]] = {}
    order: list[Any] = []
    for problem in report.problems:
        if problem.group is None:
            order.append(problem)
        else:
            if problem.group not in groups:
                order.append(problem.group)
            groups.setdefault(problem.group, []).append(problem)
    for item in order:
        members = groups[item] if isinstance(item, str) else [item]
        indexes = sorted({p.index for p in members if p.index is not None})
        entries.append({"text": summary_lines(members)[0], "note": members[0].note,
                        "indexes": indexes[:MAX_INDEXES]})
    return {"good": report.good_records, "lines": entries}
