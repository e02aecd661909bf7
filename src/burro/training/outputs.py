"""The files a training run writes: model, `<model>.json`, loss plot, exports, database row.

All or nothing: the .tflite/.onnx conversions run first (into memory), then every file is
written under a temporary name beside its target and only renamed into place when all of
them are complete and the database row is stored. A full disk or a Ctrl-C while saving
leaves the previous pilot with its files untouched and loadable; an OSError ends the run
with one line naming the file (files.atomic_output).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from burro.files import atomic_output

log = logging.getLogger("burro.training")


@dataclass
class Written:
    files: list[Path]
    errors: dict[str, str] = field(default_factory=dict)  # export suffix -> why not written
    removed: list[Path] = field(default_factory=list)  # the replaced pilot's stale exports
    replaced_row: bool = False


def write_outputs(plan: Any, data: Any, model: Any, fit: Any, comment: str | None) -> Written:
    from burro.models.export import save_keras_model
    from burro.models.metadata import metadata_path, metadata_text

    cfg, path = plan.cfg, plan.model_path
    exports, errors = _convert_exports(plan, data, model)
    path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as staged:
        def stage(target: Path) -> Path:
            return staged.enter_context(atomic_output(target))

        save_keras_model(model, stage(path))
        stage(metadata_path(path)).write_text(
            metadata_text(training_metadata(plan, data, fit, comment)), encoding="utf-8")
        files = [path, metadata_path(path)]
        if cfg.SHOW_PLOT:
            from burro.training.plot import plot_history

            plot_history(fit.history, stage(path.with_suffix(".png")), path.stem)
            files.append(path.with_suffix(".png"))
        for suffix, content in exports.items():
            stage(path.with_suffix(suffix)).write_bytes(content)
            files.append(path.with_suffix(suffix))
        replaced_row = _store_database_row(plan, data, fit, comment)
        files.append(_database_file(plan))
    removed = _remove_stale_files(plan.replaces, files)
    return Written(files, errors, removed, replaced_row)


def _convert_exports(plan: Any, data: Any, model: Any) -> tuple[dict[str, bytes], dict[str, str]]:
    """The .tflite/.onnx bytes; a converter failure is reported and the rest is still saved."""
    cfg = plan.cfg
    converters: list[tuple[bool, str, Callable[[], bytes]]] = [
        (cfg.CREATE_TF_LITE, ".tflite", lambda: _tflite(cfg, model, data)),
        (cfg.CREATE_ONNX, ".onnx", lambda: _onnx(model)),
    ]
    exports, errors = {}, {}
    for enabled, suffix, convert in converters:
        if not enabled:
            continue
        try:
            exports[suffix] = convert()
        # Converters raise many exception types; the trained model is still saved, so
        # report the failed export and keep the rest.
        except Exception as error:  # noqa: BLE001
            errors[suffix] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
            log.warning("could not convert to %s: %s", suffix, errors[suffix])
    return exports, errors


def _tflite(cfg: Any, model: Any, data: Any) -> bytes:
    from burro.models.export import tflite_flatbuffer

    frames = None
    if cfg.TFLITE_QUANTIZE == "int8":
        rows = data.split.train_rows[: min(200, len(data.split.train_rows))]
        frames = _representative_frames(data.frames, rows)
        if getattr(data, "inputs", None):  # (frame, *extra inputs) in the model's input order
            extras = [data.inputs[name][rows] for name in _extra_input_names(model)]
            frames = [(frame, *(values[i] for values in extras))
                      for i, frame in enumerate(frames)]
    return tflite_flatbuffer(model, quantize=cfg.TFLITE_QUANTIZE, representative=frames)


def _representative_frames(frames: Any, rows: np.ndarray) -> list[np.ndarray]:
    from burro.training.pipeline import validation_dataset

    batches = validation_dataset(frames, rows, {"row": rows}, 32)
    return [image for batch, _ in batches for image in batch.numpy()]


def _extra_input_names(model: Any) -> list[str]:
    from burro.models.export import input_name

    return [input_name(tensor) for tensor in model.inputs[1:]]


def _onnx(model: Any) -> bytes:
    from burro.models.export import onnx_bytes

    return onnx_bytes(model)


def training_metadata(plan: Any, data: Any, fit: Any, comment: str | None) -> dict[str, Any]:
    from burro.models.metadata import model_metadata

    cfg, best = plan.cfg, fit.best_epoch - 1
    info = model_metadata(plan.model_type.name, cfg)
    info["training"] = {
        "tubs": data.records.records_per_tub(),
        "records": {"used": len(data.records), "train": len(data.split.train_rows),
                    "validation": len(data.split.val_rows),
                    "skipped": dict(data.records.skipped)},
        "frame_size": plan.frame_size.line,
        "split": data.split.method,
        "split_reason": data.split.reason,
        "seed": plan.seed,
        "augmentations": list(cfg.AUGMENTATIONS),
        "epochs": len(fit.history["val_loss"]),
        "best_epoch": fit.best_epoch,
        "best": {key: values[best] for key, values in fit.history.items()},
        "history": fit.history,
        "epoch_seconds": fit.epoch_seconds,
        "interrupted": fit.interrupted,
        "transfer": str(plan.transfer) if plan.transfer else None,
        "comment": comment,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    info["config_used"] = cfg.to_dict() if hasattr(cfg, "to_dict") else dict(vars(cfg))
    return info


def _store_database_row(plan: Any, data: Any, fit: Any, comment: str | None) -> bool:
    from burro.training.database import put_row

    _, replaced = put_row(plan.models_dir, {
        "Name": plan.model_path.stem,
        "Pilot": str(plan.model_path),
        "Type": plan.model_type.name,
        "Tubs": ",".join(data.records.tub_paths),
        "Records": len(data.records),
        "Time": time.time(),
        "Epochs": len(fit.history["val_loss"]),
        "BestValLoss": fit.best_val_loss,
        "History": fit.history,
        "Interrupted": fit.interrupted,
        "Transfer": plan.transfer.name if plan.transfer else None,
        "Comment": comment,
    })
    return replaced


def _database_file(plan: Any) -> Path:
    from burro.training.database import database_path

    return database_path(plan.models_dir)


def _remove_stale_files(replaced: list[Path], written: list[Path]) -> list[Path]:
    """Exports and plot of the replaced pilot that this run did not write again: they
    belong to the old network, and a pilot loaded from them would not be the new one."""
    stale = [path for path in replaced if path not in written]
    for path in stale:
        path.unlink(missing_ok=True)
        log.debug("removed %s: it belonged to the replaced pilot", path)
    return stale
