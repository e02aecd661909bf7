"""models/database.json: one row per trained pilot, and the automatic pilot names.

The file is a JSON list like Donkey's (`Number`, `Name`, `Type`, `Tubs`, `Time`, `History`,
`Transfer`, `Comment`), without Donkey's full config copy per row (that lives in the
model's own `<name>.json`). There is one row per model file: retraining onto a model file
replaces its row (keeping its Number). Rows change under a lock and the file is written to
a temporary name that replaces the old one, so a crash, a full disk or a second training
never leaves a torn file.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.files import atomic_output
from burro.models.export import KERAS_SUFFIXES

DATABASE_NAME = "database.json"
_AUTO_NAME = re.compile(r"^pilot_\d\d-\d\d-\d\d_(\d+)$")


def database_path(models_dir: str | Path) -> Path:
    return Path(models_dir) / DATABASE_NAME


def read_database(models_dir: str | Path) -> list[dict[str, Any]]:
    path = database_path(models_dir)
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BurroError(f"cannot read the model database: {error}", str(path),
                         "fix or move the file; a new one is started when it is missing") from None
    if not isinstance(rows, list):
        raise BurroError("the model database is not a JSON list", str(path),
                         "fix or move the file; a new one is started when it is missing")
    return rows


def append_row(models_dir: str | Path, row: dict[str, Any]) -> dict[str, Any]:
    """Add `row` (with the next `Number`) to the database; returns the row written."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    with _locked(models_dir):
        rows = read_database(models_dir)
        numbered = {"Number": _next_number(models_dir, rows), **row}
        _write_atomically(database_path(models_dir), rows + [numbered])
    return numbered


def put_row(models_dir: str | Path, row: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Store the row of the model file `row["Pilot"]`: it replaces that file's earlier
    rows (and keeps the first one's Number), or is appended with the next Number.

    Returns the row written and whether it replaced one.
    """
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    with _locked(models_dir):
        rows = read_database(models_dir)
        same = [old for old in rows if _same_model_file(old, row)]
        number = same[0].get("Number") if same else None
        if not isinstance(number, int):
            number = _next_number(models_dir, rows)
        numbered = {"Number": number, **row}
        kept = [old for old in rows if not any(old is other for other in same)]
        position = rows.index(same[0]) if same else len(rows)
        kept.insert(min(position, len(kept)), numbered)
        _write_atomically(database_path(models_dir), kept)
    return numbered, bool(same)


def change_rows(models_dir: str | Path,
                change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
                ) -> list[dict[str, Any]]:
    """Replace the rows by `change(rows)` under the lock, written atomically (burro ui
    edits a comment or removes a pilot's row this way); returns the rows written."""
    models_dir = Path(models_dir)
    with _locked(models_dir):
        rows = change(read_database(models_dir))
        _write_atomically(database_path(models_dir), rows)
    return rows


def _same_model_file(old: Any, new: dict[str, Any]) -> bool:
    """burro rows name the file in Pilot; Donkey's rows hold a class name there
    ("KerasLinear") and only the file's stem in Name."""
    if not isinstance(old, dict):
        return False
    pilot = old.get("Pilot")
    if isinstance(pilot, str) and Path(pilot).suffix in KERAS_SUFFIXES:
        return _resolved(pilot) == _resolved(new["Pilot"])
    return old.get("Name") == new.get("Name")


def _resolved(path: str) -> Path:
    return Path(path).expanduser().resolve()


def next_model_path(models_dir: str | Path, h5: bool = False, today: time.struct_time | None = None
                    ) -> Path:
    """models/pilot_YY-MM-DD_N.keras (or .h5) with N one above every number used so far."""
    models_dir = Path(models_dir)
    day = time.strftime("%y-%m-%d", today or time.localtime())
    number = _next_number(models_dir, read_database(models_dir))
    return models_dir / f"pilot_{day}_{number}.{'h5' if h5 else 'keras'}"


def _next_number(models_dir: Path, rows: list[dict[str, Any]]) -> int:
    used = [row.get("Number") for row in rows if isinstance(row.get("Number"), int)]
    if models_dir.is_dir():
        for entry in models_dir.iterdir():
            match = _AUTO_NAME.match(entry.name.split(".", 1)[0])
            if match:
                used.append(int(match.group(1)))
    return max(used, default=-1) + 1


@contextmanager
def _locked(models_dir: Path) -> Iterator[None]:
    with open(models_dir / f".{DATABASE_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(path: Path, rows: list[dict[str, Any]]) -> None:
    text = json.dumps(rows, indent=4, default=_not_serializable) + "\n"
    with atomic_output(path) as temporary, open(temporary, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


def _not_serializable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    return "<not serializable>"
