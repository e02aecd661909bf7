"""A training run's progress as JSON lines, for `burro ui` and scripts (`burro train --progress`).

One object a line, each with `event` and `time` (Unix seconds), appended and flushed as it
happens, so a reader tailing the file sees every finished line:

    plan      model, type, records, max_epochs       (the checks passed)
    data      train, validation                      (frames decoded, split made)
    fit       epochs, steps                          (fitting starts)
    step      epoch, step, steps                     (at most twice a second)
    epoch     epoch, seconds, best_epoch, loss, val_loss, ...
    saving                                           (writing the model and exports)
    finished  model, epochs, best_epoch, best_val_loss, interrupted, files

A run that ends without `finished` failed or was stopped before anything was saved; its exit
status and stderr say which.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any


class ProgressFile:
    """Appends events to `path` (its folder must exist); `None` writes nothing."""

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path is not None else None

    def write(self, event: str, **fields: Any) -> None:
        if self.path is None:
            return
        line = json.dumps({"event": event, "time": time.time(), **_finite(fields)},
                          default=str)
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(line + "\n")


def read_progress(path: str | Path, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The complete lines written after byte `offset`, and the offset after them (a line
    still being written is left for the next read)."""
    try:
        with open(path, "rb") as file:
            file.seek(offset)
            data = file.read()
    except FileNotFoundError:
        return [], offset
    end = data.rfind(b"\n") + 1
    events = []
    for line in data[:end].splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # not ours (the file was named by hand): skip it
    return events, offset + end


def _finite(fields: dict[str, Any]) -> dict[str, Any]:
    """NaN and infinity as null: JSON has no word for them."""
    return {key: None if isinstance(value, float) and not math.isfinite(value) else value
            for key, value in fields.items()}
