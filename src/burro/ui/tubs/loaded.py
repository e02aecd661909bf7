"""A tub read once for the Tub Manager: every readable record — deleted ones too, so they can
be shown and restored — as columns the page gets in one answer, plus sessions and image names.

Reading does not open the image files (`Tub(check_images=False)`): a 20,000-record tub opens
in a fraction of a second; a missing image shows as such in the page and in the problems
(which `burro tub check`'s code finds, in the background).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from burro.tub.manifest import IMAGE_TYPES
from burro.tub.problems import TubError
from burro.tub.tub import Tub

MAX_UNRAVELLED = 16  # list fields up to this length become one column per item
NUMERIC_DIGITS = 5
RECHECK_S = 1.0  # how stale the loaded tub may be while a car is still recording into it


@dataclass
class Session:
    id: str
    first: int  # positions (into the record order), inclusive
    last: int
    count: int = 0


@dataclass
class LoadedTub:
    path: Path
    inputs: list[str]
    types: list[str]
    indexes: list[int]  # `_index` of each record, in the order shown
    lines: list[dict]  # the stored line of each record
    deleted: set[int]
    sessions: list[Session]
    signature: tuple
    position_of: dict[int, int] = field(default_factory=dict)
    image_keys: list[str] = field(default_factory=list)
    checked_at: float = 0.0  # when the signature was last compared with the files
    _columns_text: str | None = None

    def __post_init__(self) -> None:
        self.position_of = {index: position for position, index in enumerate(self.indexes)}
        self.image_keys = [k for k, kind in zip(self.inputs, self.types) if kind in IMAGE_TYPES]

    def image_path(self, index: int, key: str) -> Path | None:
        """The image file of record `index` — inside the tub's images/ folder, else None."""
        position = self.position_of.get(index)
        name = self.lines[position].get(key) if position is not None else None
        if not isinstance(name, str) or key not in self.image_keys:
            return None
        images = (self.path / "images").resolve()
        path = (images / name).resolve()
        return path if path.parent == images else None

    def columns_text(self) -> str:
        """`columns()` without the deleted ranges, as JSON, encoded once per read of the tub."""
        if self._columns_text is None:
            columns = self.columns()
            del columns["deleted"]
            self._columns_text = json.dumps(columns, allow_nan=False, separators=(",", ":"))
        return self._columns_text

    def columns(self) -> dict[str, Any]:
        """What the page needs once: indexes, deleted ranges, one array per field, sessions."""
        fields: dict[str, Any] = {"_timestamp_ms": {"kind": "number",
                                                     "values": self._numbers("_timestamp_ms")}}
        for key, kind in zip(self.inputs, self.types):
            if kind in ("float", "int"):
                fields[key] = {"kind": "number", "values": self._numbers(key)}
            elif kind == "boolean":
                fields[key] = {"kind": "number", "values": [_bool(line.get(key))
                                                            for line in self.lines]}
            elif kind == "str":
                fields[key] = self._labels(key)
            elif kind in ("list", "vector", "nparray"):
                fields.update(self._unravelled(key))
        return {"path": str(self.path), "name": self.path.name, "count": len(self.indexes),
                "index": self.indexes, "deleted": ranges_of(sorted(self.deleted)),
                "image_keys": self.image_keys, "fields": fields,
                "sessions": [{"id": s.id, "first": s.first, "last": s.last, "count": s.count}
                             for s in self.sessions]}

    def _numbers(self, key: str) -> list[float | None]:
        return [_number(line.get(key)) for line in self.lines]

    def _labels(self, key: str) -> dict[str, Any]:
        labels: dict[str, int] = {}
        codes = []
        for line in self.lines:
            value = line.get(key)
            codes.append(None if value is None else labels.setdefault(str(value), len(labels)))
        return {"kind": "label", "labels": list(labels), "values": codes}

    def _unravelled(self, key: str) -> dict[str, Any]:
        lengths = {len(v) for line in self.lines if isinstance(v := line.get(key), list)}
        if len(lengths) != 1 or not 0 < (length := lengths.pop()) <= MAX_UNRAVELLED:
            return {}
        columns = {}
        for item in range(length):
            values = [_number(v[item]) if isinstance(v := line.get(key), list) else None
                      for line in self.lines]
            columns[f"{key}[{item}]"] = {"kind": "number", "values": values}
        return columns

    def good_lines(self) -> list[dict]:
        """The stored lines of the records training reads (not deleted)."""
        return [line for line, index in zip(self.lines, self.indexes) if index not in self.deleted]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, NUMERIC_DIGITS)
    return None


def _bool(value: Any) -> float | None:
    return float(value) if isinstance(value, bool) else None


def ranges_of(indexes: list[int]) -> list[list[int]]:
    """[0, 1, 2, 5] → [[0, 2], [5, 5]] (the list sorted)."""
    ranges: list[list[int]] = []
    for index in indexes:
        if ranges and ranges[-1][1] == index - 1:
            ranges[-1][1] = index
        else:
            ranges.append([index, index])
    return ranges


def signature(path: Path) -> tuple:
    """Changes whenever the tub's manifest or a catalog changes on disk."""
    stats = []
    for name in ["manifest.json", *sorted(p.name for p in path.glob("catalog_*.catalog"))]:
        try:
            stat = (path / name).stat()
        except OSError:
            continue
        stats.append((name, stat.st_mtime_ns, stat.st_size))
    return tuple(stats)


def load_tub(path: Path) -> LoadedTub:
    stamp = signature(path)
    tub = Tub(path, check_images=False)
    deleted = set(tub.deleted_indexes)
    tub.manifest.deleted_indexes = set()  # this copy reads the deleted records as well
    records = sorted(tub, key=lambda record: record.index)
    sessions: list[Session] = []
    for position, record in enumerate(records):
        if not sessions or sessions[-1].id != record.session_id:
            sessions.append(Session(record.session_id, position, position))
        sessions[-1].last = position
        sessions[-1].count += 1
    lines = [record.data for record in records]
    return LoadedTub(path, list(tub.inputs), list(tub.types), [r.index for r in records],
                     lines, {i for i in deleted if i < tub.end_index}, sessions, stamp)


class TubCache:
    """Loaded tubs by path, read again when the files changed (a car still recording)."""

    def __init__(self) -> None:
        self._tubs: dict[Path, LoadedTub] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> LoadedTub:
        with self._lock:
            loaded = self._tubs.get(path)
            if loaded is not None and time.monotonic() - loaded.checked_at < RECHECK_S:
                return loaded  # image requests come 20+ a second: the files are not stat'ed each
            if loaded is None or loaded.signature != signature(path):
                try:
                    loaded = self._tubs[path] = load_tub(path)
                except TubError:
                    self._tubs.pop(path, None)
                    raise
            loaded.checked_at = time.monotonic()
            return loaded

    def refresh_signature(self, loaded: LoadedTub) -> None:
        """After burro itself wrote the manifest: what is loaded is still true."""
        with self._lock:
            loaded.signature = signature(loaded.path)
