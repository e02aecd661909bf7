"""models/database.json: one row per trained pilot, and the automatic pilot names.

The file is a JSON list like Donkey's (`Number`, `Name`, `Type`, `Tubs`, `Time`, `History`,
`Transfer`, `Comment`), without Donkey's full config copy per row (that lives in the
model's own `<name>.json`). Rows are appended under a lock and written to a temporary file
that replaces the old one, so a crash or a second training never leaves a torn file.
"""

from __future__ import annotations

import fcntl
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.files import replace_atomically

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
    replace_atomically(path, text, sync=True)


def _not_serializable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    return "<not serializable>"
