"""The model database (`<MODELS_PATH>/database.json`) as the Trainer shows and edits it.

Rows are named by their `Number`. Editing a comment or removing a row goes through
`burro.training.database.change_rows` (locked, written atomically). Deleting a pilot is
soft: its files move into `<MODELS_PATH>/.deleted/<name>-<time>/` with its row in
`row.json` there, and `restore` puts both back.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.training.database import change_rows, database_path, put_row, read_database

TRASH = ".deleted"
COMPANIONS = (".json", ".png", ".tflite", ".onnx")
DONKEY_SUFFIXES = (".h5", ".keras", ".savedmodel", ".tflite", ".trt", ".onnx", ".png", ".json")


def models_dir(cfg: Any) -> Path:
    return cfg.path("MODELS_PATH").expanduser().resolve()


def list_pilots(folder: Path) -> list[dict[str, Any]]:
    """The rows as the table shows them: each with its files and whether they exist."""
    rows = []
    for row in read_database(folder):
        if not isinstance(row, dict):
            continue
        files = pilot_files(folder, row)
        rows.append({**{k: v for k, v in row.items() if k != "Config"},
                     "Tubs": _tubs(row.get("Tubs")), "files": [str(p) for p in files],
                     "missing": not files})
    return json_safe(rows)


def pilot_detail(folder: Path, number: int) -> dict[str, Any]:
    """One row with the config it was trained with and its training facts (from the
    model's `<name>.json`; Donkey's rows carry their config in the row)."""
    row = _row(read_database(folder), number)
    info: dict[str, Any] = {}
    pilot = _pilot_path(folder, row)
    if pilot is not None and pilot.with_suffix(".json").is_file():
        try:
            info = json.loads(pilot.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
    config = info.get("config_used") or row.get("Config") or {}
    return json_safe({"row": {k: v for k, v in row.items() if k != "Config"},
                      "config": config, "training": info.get("training") or {},
                      "tubs": _tubs(row.get("Tubs")),
                      "files": [str(p) for p in pilot_files(folder, row)]})


def json_safe(value: Any) -> Any:
    """NaN and infinity (a diverged Donkey run's history) as None: the page reads JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    return value


def set_comment(folder: Path, number: int, comment: str) -> dict[str, Any]:
    if not isinstance(comment, str) or "\n" in comment:
        raise BurroError("the comment must be one line of text", "comment", "shorten it")
    changed: dict[str, Any] = {}

    def change(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        row = _row(rows, number)
        row["Comment"] = comment
        changed.update(row)
        return rows

    change_rows(folder, change)
    return json_safe(changed)


def delete_pilot(folder: Path, number: int) -> dict[str, Any]:
    """Move the pilot's files into the trash folder and remove its row."""
    row = _row(read_database(folder), number)
    files = pilot_files(folder, row)
    trash = folder / TRASH / f"{row.get('Name', number)}-{time.strftime('%Y%m%d-%H%M%S')}"
    trash.mkdir(parents=True, exist_ok=False)
    (trash / "row.json").write_text(json.dumps(row, indent=2, default=str), encoding="utf-8")
    moved = []
    for path in files:
        shutil.move(str(path), trash / path.name)
        moved.append({"from": str(path), "to": str(trash / path.name)})
    (trash / "moved.json").write_text(json.dumps(moved, indent=2), encoding="utf-8")
    change_rows(folder, lambda rows: [r for r in rows if not _is(r, number)])
    return {"trash": str(trash), "moved": moved, "name": str(row.get("Name"))}


def restore_pilot(folder: Path, trash: str) -> dict[str, Any]:
    """Undo `delete_pilot`: the files back where they were, the row back in the database."""
    place = Path(trash).resolve()
    if place.parent != (folder / TRASH).resolve() or not (place / "row.json").is_file():
        raise BurroError("not a deleted pilot", trash, "pick one from models/.deleted")
    row = json.loads((place / "row.json").read_text(encoding="utf-8"))
    moved = json.loads((place / "moved.json").read_text(encoding="utf-8"))
    for item in moved:
        if Path(item["from"]).exists():
            raise BurroError("a file is in the way", item["from"], "move it away first")
    for item in moved:
        shutil.move(item["to"], item["from"])
    if any(_is(r, row.get("Number")) for r in read_database(folder)):
        row.pop("Number", None)  # its number was taken meanwhile: put_row gives the next
    if "Pilot" in row:
        put_row(folder, row)
    else:
        change_rows(folder, lambda rows: rows + [row])
    shutil.rmtree(place)
    return json_safe(row)


def pilot_files(folder: Path, row: dict[str, Any]) -> list[Path]:
    """The files of the pilot that exist: burro's model file and its companions, or
    Donkey's `<MODELS_PATH>/<Name>.<suffix>`; never anything outside MODELS_PATH."""
    pilot = _pilot_path(folder, row)
    if pilot is not None:
        candidates = [pilot, *(pilot.with_suffix(suffix) for suffix in COMPANIONS)]
    elif isinstance(row.get("Name"), str) and row["Name"]:
        candidates = [folder / f"{row['Name']}{suffix}" for suffix in DONKEY_SUFFIXES]
    else:
        candidates = []
    inside = [path for path in candidates if path.resolve().parent == folder]
    return list(dict.fromkeys(path for path in inside if path.exists()))


def transfer_choices(folder: Path) -> list[dict[str, Any]]:
    """Models to start from: the database's pilots, then other .keras/.h5 files there."""
    choices, seen = [], set()
    for row in list_pilots(folder) if database_path(folder).is_file() else []:
        for path in map(Path, row["files"]):
            if path.suffix in (".keras", ".h5") and path not in seen:
                seen.add(path)
                choices.append({"path": str(path), "label": f"{row.get('Name')} "
                                f"({row.get('Type', '?')}, database)"})
    for path in sorted(folder.glob("*.keras")) + sorted(folder.glob("*.h5")):
        if path not in seen:
            choices.append({"path": str(path), "label": f"{path.name} (file)"})
    return choices


def _pilot_path(folder: Path, row: dict[str, Any]) -> Path | None:
    pilot = row.get("Pilot")
    if isinstance(pilot, str) and Path(pilot).suffix in (".keras", ".h5"):
        path = Path(pilot).expanduser()
        return (path if path.is_absolute() else folder / path).resolve()
    return None


def _row(rows: list[Any], number: Any) -> dict[str, Any]:
    for row in rows:
        if _is(row, number):
            return row
    raise BurroError("no such pilot in the model database", f"Number {number}",
                     "reload the list")


def _is(row: Any, number: Any) -> bool:
    return isinstance(row, dict) and row.get("Number") == number and not isinstance(number, bool)


def _tubs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [tub for tub in value.split(",") if tub]
    if isinstance(value, list):
        return [str(tub) for tub in value]
    return []
