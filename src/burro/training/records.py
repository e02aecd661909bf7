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
    indexes: np.ndarray | None = None  # each row's record index in its tub

    def __post_init__(self) -> None:
        if self.indexes is None:
            self.indexes = np.full(len(self.image_paths), -1, dtype=np.int64)

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
            indexes=self.indexes[rows],
        )

    def places(self, rows: Iterable[int], max_ranges: int = 3) -> str:
        """Where the records at `rows` are: 'data/tub_1 indexes 3-9, 12; data/tub_2 indexes 0'
        (at most `max_ranges` index ranges per tub, then '...')."""
        from burro.tub.problems import index_ranges

        rows = np.asarray(list(rows), dtype=np.int64)
        places = []
        for tub_number in np.unique(self.tub_of_row[rows]):
            in_tub = rows[self.tub_of_row[rows] == tub_number]
            ranges = index_ranges(sorted(int(i) for i in self.indexes[in_tub])).split(", ")
            shown = ", ".join(ranges[:max_ranges]) + (" ..." if len(ranges) > max_ranges else "")
            places.append(f"{self.tub_paths[tub_number]} indexes {shown}")
        return "; ".join(places)

    def records_per_tub(self) -> dict[str, int]:
        counts = np.bincount(self.tub_of_row, minlength=len(self.tub_paths))
        return {path: int(count) for path, count in zip(self.tub_paths, counts)}


def collect_records(tubs: Sequence[Any], record_keys: Iterable[str],
                    image_key: str = IMAGE_KEY, train_filter: Any = None) -> RecordSet:
    """Every good record of `tubs` that has a finite number (or a list of them) for each
    of `record_keys`; a missing key, a JSON `null` or a list holding `null` counts as missing.
    `train_filter`: the config's TRAIN_FILTER (burro.training.record_filter)."""
    from burro.training.record_filter import filter_of

    keys = [key for key in record_keys if key != image_key]
    paths: list[str] = []
    values: dict[str, list[Any]] = {key: [] for key in keys}
    groups: list[int] = []
    tub_of_row: list[int] = []
    indexes: list[int] = []
    group_ids: dict[tuple[int, Any], int] = {}
    skipped: Counter = Counter()
    for tub_number, tub in enumerate(tubs):
        keep = None if train_filter is None else filter_of(train_filter, tub.inputs)
        for record in tub:
            if keep is not None and not keep(record.data):
                skipped["left out by TRAIN_FILTER"] += 1
                continue
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
            indexes.append(_index_of(record))
        skipped.update(_skipped_by_tub_layer(tub))
    keep = _common_shapes(values, skipped)
    records = RecordSet(
        image_paths=paths,
        columns={key: np.asarray(column, dtype=np.float64) for key, column in values.items()},
        groups=np.asarray(groups, dtype=np.int64),
        tub_of_row=np.asarray(tub_of_row, dtype=np.int64),
        tub_paths=[str(tub.path) for tub in tubs],
        skipped=skipped,
        indexes=np.asarray(indexes, dtype=np.int64),
    )
    records = records.subset(keep) if not keep.all() else records
    if not len(records):
        raise BurroError("no usable records in the tubs", ", ".join(records.tub_paths),
                         f"check that the tubs hold {', '.join([image_key, *keys])}")
    return records


def _common_shapes(values: dict[str, list[Any]], skipped: Counter) -> np.ndarray:
    """Rows whose value of each key has that key's most common shape (scalar or list length).

    The others are counted in `skipped`, and their values replaced in place by zeros of the
    common shape so that every column becomes one float array.
    """
    count = len(next(iter(values.values()), []))
    keep = np.ones(count, dtype=bool)
    for key, column in values.items():
        shapes = [len(value) if isinstance(value, list | tuple) else None for value in column]
        common = Counter(shapes).most_common(1)[0][0] if shapes else None
        for row, shape in enumerate(shapes):
            if shape != common:
                if keep[row]:
                    skipped[f"odd-shaped {key}"] += 1
                keep[row] = False
                column[row] = 0.0 if common is None else [0.0] * common
    return keep


def _problem(record: Any, keys: list[str], image_key: str) -> str | None:
    for key in keys:
        try:
            value = record[key]
        except KeyError:
            return f"no {key}"
        problem = _value_problem(value)
        if problem:
            return f"{problem} {key}"
    try:
        image = Path(record.image_path(image_key))
    except (KeyError, TypeError, ValueError, BurroError):
        return f"no {image_key}"
    if not image.is_file():
        return "missing image file"
    return None


def _value_problem(value: Any) -> str | None:
    """"no" for a missing value, "non-numeric"/"non-finite" for one that cannot train."""
    items = value if isinstance(value, list | tuple) else [value]
    if value is None or any(item is None for item in items):
        return "no"
    if not items or not all(_is_number(item) for item in items):
        return "non-numeric"
    if not all(_finite(item) for item in items):
        return "non-finite"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_)


FLOAT32_MAX = float(np.finfo(np.float32).max)  # targets train as float32


def _finite(value: Any) -> bool:
    try:
        number = float(value)
    except OverflowError:  # an integer beyond float range
        return False
    return math.isfinite(number) and abs(number) <= FLOAT32_MAX


def _index_of(record: Any) -> int:
    index = getattr(record, "index", -1)
    return index if isinstance(index, int) and not isinstance(index, bool) else -1


def _skipped_by_tub_layer(tub: Any) -> Counter:
    """Bad records the tub layer left out while reading (it logs each one itself)."""
    problems = getattr(getattr(tub, "problems", None), "problems", [])
    skipped = sum(1 for problem in problems if problem.record_skipped)
    return Counter({"bad tub data": skipped}) if skipped else Counter()

