"""Pilots for the arena: the model files a car folder holds, each opened once and kept, and
their predictions on a frame.

A burro pilot knows its type (`<model>.json`); a Donkey-trained file needs the type the
user picks. A Donkey pilot gets the car config's TRANSFORMATIONS on the frame first, as on
the car (`burro.parts.transformations`); a burro pilot applies its own inside the model.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from burro.errors import BurroError

MAX_PILOTS = 4
MAX_LISTED = 500


@dataclass(frozen=True)
class PilotChoice:
    """What the browser names: a model file (resolved inside the roots) and, for a Donkey
    pilot, its type."""

    path: Path
    model_type: str | None = None

    @property
    def label(self) -> str:
        return self.path.name + (f" ({self.model_type})" if self.model_type else "")


def list_pilots(folder: Path) -> list[dict[str, Any]]:
    """The pilot files under `folder` (recursively, newest first): path, name, format, the
    type from burro's `.json` (None: trained by Donkey, give its type), size and time."""
    from burro.models.metadata import metadata_path
    from burro.pilots import runtime_names

    if not folder.is_dir():
        return []
    suffixes = set(runtime_names())
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in suffixes or not path.is_file():
            continue
        found.append({"path": str(path), "name": str(path.relative_to(folder)),
                      "format": path.suffix.lower().lstrip("."),
                      "type": _burro_type(metadata_path(path)),
                      "bytes": path.stat().st_size, "modified": path.stat().st_mtime})
        if len(found) >= MAX_LISTED:
            break
    return sorted(found, key=lambda entry: -entry["modified"])


def _burro_type(json_path: Path) -> str | None:
    import json

    try:
        return str(json.loads(json_path.read_text(encoding="utf-8"))["type"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class LoadedPilot:
    stamp: float  # the file's mtime when opened
    pilot: Any
    transformations: Any  # the Transformations part before a Donkey pilot, or None
    lock: threading.Lock


class PilotCache:
    """Pilots opened once and kept (reopened when the file changes). Loading and running
    happen in the server's worker threads; one lock per pilot keeps a runtime to one
    inference at a time (LiteRT interpreters are not thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pilots: dict[tuple[str, str | None], LoadedPilot] = {}

    def get(self, choice: PilotChoice, cfg: Any) -> LoadedPilot:
        from burro import pilots

        key = (str(choice.path), choice.model_type)
        stamp = choice.path.stat().st_mtime
        with self._lock:
            held = self._pilots.get(key)
            if held is not None and held.stamp == stamp:
                return held
        options = {"num_threads": 1} if choice.path.suffix.lower() in (".tflite", ".onnx") else {}
        pilot = pilots.load(choice.path, model_type=choice.model_type, cfg=cfg, **options)
        _warm_up(pilot)
        loaded = LoadedPilot(stamp, pilot, _transformations_for(pilot, cfg), threading.Lock())
        with self._lock:
            self._pilots[key] = loaded
        return loaded

    def predict(self, choice: PilotChoice, cfg: Any, image: Any,
                values: dict[str, Any]) -> dict[str, Any]:
        """{"angle", "throttle", "ms"} of the pilot on one frame, or {"error": one line}."""
        try:
            loaded = self.get(choice, cfg)
            extras = [values.get(extra.key) for extra in loaded.pilot.extra_inputs]
            frame = loaded.transformations.run(image) if loaded.transformations else image
            with loaded.lock:
                started = time.perf_counter()
                angle, throttle = loaded.pilot.run(frame, *extras)
                took = time.perf_counter() - started
        except BurroError as error:
            return {"error": error.line()}
        return {"angle": float(angle), "throttle": float(throttle), "ms": round(took * 1e3, 3)}


def _warm_up(pilot: Any) -> None:
    """One run on a black frame: a runtime's first inference sets itself up (LiteRT's
    delegate, a traced Keras function) and would show as the pilot's time on the first frame."""
    import numpy as np

    try:
        pilot.run(np.zeros(pilot.input_shape, np.uint8),
                  *(np.zeros(extra.size, np.float32) for extra in pilot.extra_inputs))
    except BurroError:
        pass  # the real frame will say what is wrong


def _transformations_for(pilot: Any, cfg: Any) -> Any:
    from burro.parts.transformations import Transformations

    return Transformations.for_pilot(cfg, pilot)


def parse_choices(given: Any, resolve: Any, where: str = "pilots") -> list[PilotChoice]:
    """[{"path": FILE, "type": TYPE?}, ...] (1 to 4) from the browser, each path resolved
    inside the roots by `resolve`."""
    if not isinstance(given, list) or not 1 <= len(given) <= MAX_PILOTS:
        raise BurroError(f"choose 1 to {MAX_PILOTS} pilots", where,
                         'send [{"path": "models/pilot.tflite"}, ...]')
    return [parse_choice(item, resolve, where) for item in given]


def parse_choice(item: Any, resolve: Any, where: str = "pilot") -> PilotChoice:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise BurroError("a pilot is named by its path", where,
                         'send {"path": "models/pilot.tflite", "type": "linear"}')
    model_type = item.get("type") or None
    if model_type is not None and not isinstance(model_type, str):
        raise BurroError("the pilot's type is a name", where, "send e.g. \"type\": \"linear\"")
    path = resolve(item["path"])
    if not path.is_file():
        raise BurroError("not a pilot file", item["path"], "choose a .tflite, .onnx, .keras "
                         "or .h5 file")
    return PilotChoice(path, model_type)
