"""What the browser asks to train, checked by burro's own code before anything slow.

The config overrides go through `load_config(car, overrides=["KEY=VALUE", ...])`, the code
behind `burro train --set`, and the whole request through the training plan (`make_plan`:
model type, keys, tubs, records, frame size, transfer file, model folder) — no TensorFlow
loads in the UI process. The training itself runs `burro train` with the same options.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from burro.errors import BurroError

TRAIN_SECTIONS = ("training", "training pipeline", "augmentations", "transformations")


@dataclass
class TrainRequest:
    car_dir: Path
    tubs: list[Path]
    model_type: str
    transfer: Path | None = None
    comment: str = ""
    overrides: list[str] = field(default_factory=list)  # "KEY=VALUE", as --set takes them
    save_to_myconfig: bool = False

    def config(self) -> Any:
        from burro.config import load_config

        return load_config(self.car_dir, None, self.overrides)

    def argv(self, progress: Path) -> list[str]:
        """`burro train` with these options (run with the UI's Python)."""
        argv = [sys.executable, "-m", "burro", "-v", "train", "--car", str(self.car_dir),
                "--tub", *map(str, self.tubs), "--type", self.model_type,
                "--progress", str(progress)]
        if self.transfer is not None:
            argv += ["--transfer", str(self.transfer)]
        if self.comment:
            argv += ["--comment", self.comment]
        for item in self.overrides:
            argv += ["--set", item]
        return argv

    def summary(self) -> dict[str, Any]:
        return {"car": str(self.car_dir), "tubs": [str(tub) for tub in self.tubs],
                "type": self.model_type, "transfer": str(self.transfer) if self.transfer else None,
                "comment": self.comment, "overrides": list(self.overrides)}


def parse_request(ui: Any, body: dict[str, Any]) -> TrainRequest:
    """The request from the page's JSON; each field checked with a one-line error."""
    if ui.car_dir is None:
        raise BurroError("no car folder is open", "Trainer",
                         "open the car folder first (Car: in the top bar)")
    opened = {str(tub): tub for tub in ui.tubs}
    tubs = body.get("tubs")
    if not isinstance(tubs, list) or not tubs:
        raise BurroError("no tub chosen", "Trainer", "tick at least one of the opened tubs")
    chosen = []
    for tub in tubs:
        path = ui.resolve(str(tub))
        if str(path) not in opened:
            raise BurroError("not an opened tub", str(tub), "open it first (Tubs: in the top bar)")
        chosen.append(path)
    model_type = body.get("type")
    if not isinstance(model_type, str) or not model_type:
        raise BurroError("no model type chosen", "Trainer", "pick a model type")
    transfer = body.get("transfer") or None
    if transfer is not None:
        transfer = ui.resolve(str(transfer))
    comment = body.get("comment") or ""
    if not isinstance(comment, str) or "\n" in comment:
        raise BurroError("the comment must be one line of text", "comment", "shorten it")
    return TrainRequest(ui.car_dir, chosen, model_type, transfer, comment,
                        overrides_from(body.get("overrides") or []),
                        bool(body.get("save_to_myconfig")))


def overrides_from(items: Any) -> list[str]:
    """[{"key", "value"}] → ["KEY=VALUE"]; only keys of burro's key table."""
    from burro.config import KEYS_BY_NAME

    if not isinstance(items, list):
        raise BurroError("overrides must be a list", "overrides", 'send [{"key", "value"}]')
    result = []
    for item in items:
        key = str(item.get("key", "")).strip() if isinstance(item, dict) else ""
        value = str(item.get("value", "")).strip() if isinstance(item, dict) else ""
        if key not in KEYS_BY_NAME:
            raise BurroError(f"unknown config key {key or '(empty)'}", "config overrides",
                             "pick a key from the list")
        if not value:
            raise BurroError(f"no value for {key}", "config overrides",
                             f"type a value, e.g. {KEYS_BY_NAME[key].default!r}")
        result.append(f"{key}={value}")
    return result


def check_request(request: TrainRequest) -> dict[str, Any]:
    """Run the training plan's checks (raises the BurroError a training would end with);
    returns what the run will do, with the plan's warnings. Call it off the IOLoop."""
    from burro.training.plan import make_plan

    cfg = request.config()
    if cfg.DEFAULT_AI_FRAMEWORK != "tensorflow":
        raise BurroError(f"framework {cfg.DEFAULT_AI_FRAMEWORK!r} is not supported",
                         "DEFAULT_AI_FRAMEWORK", "set it to 'tensorflow'")
    with _warnings_of_this_thread() as warnings:
        plan = make_plan(cfg, request.tubs, model_type=request.model_type,
                         transfer=request.transfer)
    return {"ok": True, "model": str(plan.model_path), "type": plan.model_type.name,
            "records": len(plan.records), "skipped": sum(plan.records.skipped.values()),
            "frame_size": plan.frame_size.line, "max_epochs": plan.cfg.MAX_EPOCHS,
            "replaces": [str(path) for path in plan.replaces], "warnings": warnings}


def save_overrides(request: TrainRequest) -> list[str]:
    """Write each override into the car's myconfig.py (keeping its other lines)."""
    from burro.config.myconfig_edit import set_key

    cfg = request.config()
    names = [item.partition("=")[0] for item in request.overrides]
    for name in names:
        set_key(request.car_dir / "myconfig.py", name, cfg.get(name))
    return names


def editable_keys(cfg: Any) -> list[dict[str, Any]]:
    """Every key of the table, training sections first, with its type and current value."""
    from burro.config import KEYS

    keys = sorted(KEYS, key=lambda key: (key.section not in TRAIN_SECTIONS,))
    return [{"name": key.name, "type": key.type.name, "section": key.section,
             "default": repr(key.default), "current": repr(cfg.get(key.name)),
             "meaning": key.meaning} for key in keys]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage())


class _warnings_of_this_thread:
    """The warnings burro logs in this thread while the block runs (the plan's notes)."""

    def __enter__(self) -> list[str]:
        self.handler = _Collector()
        logging.getLogger("burro").addHandler(self.handler)
        return self.handler.lines

    def __exit__(self, *exc: Any) -> None:
        logging.getLogger("burro").removeHandler(self.handler)
