"""Gather the records a model type trains on from tubs into flat arrays, counting bad ones."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from burro.errors import BurroError

IMAGE_KEY = "cam/image_array"


@dataclass
class RecordSet:
    """One row per usable record: image file, target values and which drive session it is from."""

    image_paths: list[str]
    columns: dict[str, np.ndarray]
    groups: np.ndarray  # one id per (tub, session); records of a group are in time order
    tub_of_row: np.ndarray
    tub_paths: list[str]
    skipped: Counter = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.image_paths)

    def subset(self, rows: np.ndarray) -> RecordSet:
        """The records at `rows` (indices or a boolean mask), skipped counts kept."""
        rows = np.flatnonzero(rows) if rows.dtype == bool else rows
        return RecordSet(
            image_paths=[self.image_paths[i] for i in rows],
            columns={key: values[rows] for key, values in self.columns.items()},
            groups=self.groups[rows],
            tub_of_row=self.tub_of_row[rows],
            tub_paths=self.tub_paths,
            skipped=Counter(self.skipped),
        )

    def records_per_tub(self) -> dict[str, int]:
        counts = np.bincount(self.tub_of_row, minlength=len(self.tub_paths))
        return {path: int(count) for path, count in zip(self.tub_paths, counts)}


def collect_records(tubs: Sequence[Any], record_keys: Iterable[str],
                    image_key: str = IMAGE_KEY) -> RecordSet:
    """Every good record of `tubs` that has a finite value for each of `record_keys`."""
    keys = [key for key in record_keys if key != image_key]
    paths: list[str] = []
    values: dict[str, list[Any]] = {key: [] for key in keys}
    groups: list[int] = []
    tub_of_row: list[int] = []
    group_ids: dict[tuple[int, Any], int] = {}
    skipped: Counter = Counter()
    for tub_number, tub in enumerate(tubs):
        for record in tub:
            problem = _problem(record, keys, image_key)
            if problem:
                skipped[problem] += 1
                continue
            paths.append(str(record.image_path(image_key)))
            for key in keys:
                values[key].append(record[key])
            session = (tub_number, record.session_id)
            groups.append(group_ids.setdefault(session, len(group_ids)))
            tub_of_row.append(tub_number)
        skipped.update(_skipped_by_tub_layer(tub))
    records = RecordSet(
        image_paths=paths,
        columns={key: np.asarray(column) for key, column in values.items()},
        groups=np.asarray(groups, dtype=np.int64),
        tub_of_row=np.asarray(tub_of_row, dtype=np.int64),
        tub_paths=[str(tub.path) for tub in tubs],
        skipped=skipped,
    )
    if not len(records):
        raise BurroError("no usable records in the tubs", ", ".join(records.tub_paths),
                         f"check that the tubs hold {', '.join([image_key, *keys])}")
    return records


def _problem(record: Any, keys: list[str], image_key: str) -> str | None:
    for key in keys:
        try:
            value = record[key]
        except KeyError:
            return f"no {key}"
        if value is None:
            return f"no {key}"
        if not _finite(value):
            return f"non-finite {key}"
    try:
        image = Path(record.image_path(image_key))
    except (KeyError, TypeError, ValueError, BurroError):
        return f"no {image_key}"
    if not image.is_file():
        return "missing image file"
    return None


def _finite(value: Any) -> bool:
    if isinstance(value, bool | str):
        return True
    if isinstance(value, int | float):
        return math.isfinite(value)
    if isinstance(value, list | tuple | np.ndarray):
        array = np.asarray(value)
        return not np.issubdtype(array.dtype, np.number) or bool(np.isfinite(array).all())
    return True


def _skipped_by_tub_layer(tub: Any) -> Counter:
    """Bad records the tub layer left out while reading (it logs each one itself)."""
    problems = getattr(getattr(tub, "problems", None), "problems", [])
    skipped = sum(1 for problem in problems if problem.record_skipped)
    return Counter({"bad tub data": skipped}) if skipped else Counter()

