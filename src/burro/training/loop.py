"""`train()`: tubs in, a trained pilot and its companion files out.

Order of work: check the inputs (type, augmentations, paths) before anything slow, gather
the records, decode every frame once, split, build (or transfer) and compile the model, fit
with early stopping on val_loss (best weights kept), then write the model, its metadata,
the loss plot, the database row and the .tflite/.onnx exports.
"""

from __future__ import annotations

import logging
import secrets
import statistics
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras
import numpy as np

from burro.errors import BurroError

log = logging.getLogger("burro.training")


@dataclass
class TrainResult:
    model_path: Path
    files: list[Path]
    model_type: str
    records_used: int
    records_skipped: int
    skipped_reasons: dict[str, int]
    train_records: int
    val_records: int
    split_method: str
    epochs: int
    best_epoch: int
    best_val_loss: float
    seconds: float
    fit_seconds: float
    images_per_second: float
    epoch_seconds: list[float] = field(default_factory=list)
    history: dict[str, list[float]] = field(default_factory=dict)
    export_errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def train(cfg: Any, tubs: Any, model_path: str | Path | None = None,
          model_type: str | None = None, transfer: str | Path | None = None,
          comment: str | None = None, split: str | None = None,
          cache: bool | None = None) -> TrainResult:
    """Train a pilot on `tubs` (Tub objects or what `--tub` accepts) and write its files.

    `model_path` None picks `<MODELS_PATH>/pilot_YY-MM-DD_N.keras` (.h5 with SAVE_MODEL_AS_H5);
    `split` and `cache` override TRAIN_SPLIT and CACHE_IMAGES.
    """
    started = time.perf_counter()
    plan = _plan(cfg, tubs, model_path, model_type, transfer, split, cache)
    data = _prepare_data(cfg, plan)
    model = _make_model(cfg, plan)
    fit = _fit(cfg, plan, data, model)
    files = _write_outputs(cfg, plan, data, model, fit, comment)
    result = _result(plan, data, fit, files, time.perf_counter() - started)
    result.warnings = constant_prediction_warnings(plan.model_type, model, cfg, data)
    for warning in result.warnings:
        log.warning(warning)
    return result


# ----- planning: every user error is found here, before anything slow ----------------------

@dataclass
class _Plan:
    model_type: Any
    tubs: list[Any]
    model_path: Path
    models_dir: Path
    transfer: Path | None
    split: str
    cache: bool
    seed: int
    augment: Any


def _plan(cfg: Any, tubs: Any, model_path: str | Path | None, model_type: str | None,
          transfer: str | Path | None, split: str | None, cache: bool | None) -> _Plan:
    from burro.models import get_model_type
    from burro.training.augment import make_augmenter
    from burro.training.database import next_model_path

    mt = get_model_type(model_type or cfg.DEFAULT_MODEL_TYPE)
    augment = make_augmenter(cfg)
    models_dir = cfg.path("MODELS_PATH")
    if model_path is None:
        model_path = next_model_path(models_dir, h5=cfg.SAVE_MODEL_AS_H5)
    model_path = Path(model_path).expanduser()
    if model_path.suffix not in (".keras", ".h5"):
        raise BurroError(f"cannot save a model as {model_path.suffix or 'a file without suffix'}",
                         str(model_path), "name the model file .keras or .h5")
    if transfer is not None and not Path(transfer).expanduser().is_file():
        raise BurroError("transfer model not found", str(transfer), "check the --transfer path")
    seed = cfg.TRAIN_SEED if cfg.TRAIN_SEED is not None else secrets.randbelow(2**31)
    return _Plan(mt, _open(tubs), model_path, models_dir,
                 Path(transfer).expanduser() if transfer is not None else None,
                 split or cfg.TRAIN_SPLIT, cfg.CACHE_IMAGES if cache is None else cache,
                 seed, augment)


def _open(tubs: Any) -> list[Any]:
    from burro.tub import open_tubs

    if isinstance(tubs, str | Path):
        return open_tubs(tubs)
    items = list(tubs)
    if items and all(isinstance(item, str | Path) for item in items):
        return open_tubs(items)
    if not items:
        raise BurroError("no tub given", "--tub", "pass a tub folder, a glob or a comma list")
    return items


# ----- data ---------------------------------------------------------------------------------

@dataclass
class _Data:
    records: Any
    frames: Any
    targets: dict[str, np.ndarray]
    split: Any


def _prepare_data(cfg: Any, plan: _Plan) -> _Data:
    from burro.training.pipeline import choose_cache_policy, decode_frames
    from burro.training.records import collect_records
    from burro.training.split import split_records

    records = collect_records(plan.tubs, plan.model_type.record_keys)
    size = (cfg.IMAGE_H, cfg.IMAGE_W, cfg.IMAGE_DEPTH)
    policy = choose_cache_policy(cfg.CACHE_POLICY, plan.cache, records.image_paths, *size)
    frames, bad = decode_frames(records.image_paths, *size, policy=policy)
    if bad:
        skipped = records.skipped
        records = records.subset(np.setdiff1d(np.arange(len(records)), bad))
        records.skipped = skipped + Counter({"unreadable image": len(bad)})
    targets = plan.model_type.targets(records.columns, cfg)
    split = split_records(records.groups, cfg.TRAIN_TEST_SPLIT, plan.split, plan.seed)
    log.info("%d records (%d train, %d validation, split by %s); %d skipped",
             len(records), len(split.train_rows), len(split.val_rows), split.method,
             sum(records.skipped.values()))
    return _Data(records, frames, targets, split)


# ----- model --------------------------------------------------------------------------------

def _make_model(cfg: Any, plan: _Plan) -> Any:
    if cfg.TRAIN_SEED is not None:
        keras.utils.set_random_seed(cfg.TRAIN_SEED)
    model = plan.model_type.build(cfg)
    if plan.transfer is not None:
        _transfer_weights(model, plan.transfer)
        if cfg.FREEZE_LAYERS:
            _freeze_all_but_last(model, cfg.NUM_LAST_LAYERS_TO_TRAIN)
    plan.model_type.compile(model, cfg, jit_compile=cfg.TRAIN_JIT_COMPILE)
    if cfg.PRINT_MODEL_SUMMARY:
        model.summary(print_fn=lambda line, **_: log.info(line))
    return model


def _transfer_weights(model: Any, source_path: Path) -> None:
    """Copy weights layer by layer (matched by name and shape) from a trained model."""
    from burro.models.export import load_keras_model

    source = {layer.name: layer for layer in load_keras_model(source_path).layers}
    copied = 0
    for layer in model.layers:
        donor = source.get(layer.name)
        if donor is None or not layer.weights:
            continue
        weights = donor.get_weights()
        if [w.shape for w in weights] == [tuple(w.shape) for w in layer.weights]:
            layer.set_weights(weights)
            copied += 1
    if not copied:
        raise BurroError("the transfer model shares no layer with this model type",
                         str(source_path), "transfer from a model with the same image size")
    log.info("transferred the weights of %d layers from %s", copied, source_path)


def _freeze_all_but_last(model: Any, trainable_count: int) -> None:
    for layer in model.layers[:-trainable_count]:
        layer.trainable = False
    log.info("froze %d layers; the last %d train", max(0, len(model.layers) - trainable_count),
             min(trainable_count, len(model.layers)))


# ----- fitting ------------------------------------------------------------------------------

@dataclass
class _Fit:
    history: dict[str, list[float]]
    epoch_seconds: list[float]
    seconds: float
    best_epoch: int
    best_val_loss: float


def _fit(cfg: Any, plan: _Plan, data: _Data, model: Any) -> _Fit:
    from burro.training.pipeline import training_dataset, validation_dataset

    split, targets = data.split, data.targets
    train_ds = training_dataset(data.frames, split.train_rows, _rows(targets, split.train_rows),
                                cfg.BATCH_SIZE, plan.seed, plan.augment)
    val_ds = validation_dataset(data.frames, split.val_rows, _rows(targets, split.val_rows),
                                cfg.BATCH_SIZE)
    timer = _EpochTimer()
    callbacks: list[Any] = [timer]
    if cfg.USE_EARLY_STOP:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=cfg.EARLY_STOP_PATIENCE, min_delta=cfg.MIN_DELTA,
            restore_best_weights=True))
    else:
        callbacks.append(_RestoreBest())
    started = time.perf_counter()
    with warnings.catch_warnings():  # Keras notes that it does not shuffle a tf.data input
        warnings.filterwarnings("ignore", message=".*shuffle=True.*")
        history = model.fit(train_ds, validation_data=val_ds, epochs=cfg.MAX_EPOCHS,
                            callbacks=callbacks, verbose=_keras_verbosity(cfg.VERBOSE_TRAIN))
    seconds = time.perf_counter() - started
    history = {key: [float(v) for v in values] for key, values in history.history.items()}
    val_losses = history["val_loss"]
    best = int(np.nanargmin(val_losses))
    return _Fit(history, timer.seconds, seconds, best + 1, float(val_losses[best]))


def _rows(targets: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[rows] for name, values in targets.items()}


def _keras_verbosity(verbose_train: bool) -> int:
    """A progress bar on a terminal; one line per epoch in a log file or pipe."""
    if not verbose_train:
        return 0
    return 1 if sys.stdout.isatty() else 2


class _EpochTimer(keras.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.seconds.append(time.perf_counter() - self._start)
        logs = logs or {}
        log.debug("epoch %d: %.2f s, loss %.5f, val_loss %.5f", epoch + 1, self.seconds[-1],
                  logs.get("loss", float("nan")), logs.get("val_loss", float("nan")))


class _RestoreBest(keras.callbacks.Callback):
    """Without early stopping: still end with the weights of the best val_loss epoch."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.best, self.weights = float("inf"), None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("val_loss", float("inf"))
        if loss < self.best:
            self.best, self.weights = loss, self.model.get_weights()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.weights is not None:
            self.model.set_weights(self.weights)


# ----- outputs ------------------------------------------------------------------------------

def _write_outputs(cfg: Any, plan: _Plan, data: _Data, model: Any, fit: _Fit,
                   comment: str | None) -> tuple[list[Path], dict[str, str]]:
    from burro.models.export import save_keras_model
    from burro.models.metadata import write_metadata

    files = [save_keras_model(model, plan.model_path)]
    files.append(write_metadata(plan.model_path, _metadata(cfg, plan, data, fit, comment)))
    if cfg.SHOW_PLOT:
        from burro.training.plot import plot_history

        files.append(plot_history(fit.history, plan.model_path.with_suffix(".png"),
                                  plan.model_path.stem))
    files.append(_add_database_row(plan, data, fit, comment))
    errors = {}
    for enabled, suffix, export in ((cfg.CREATE_TF_LITE, ".tflite", _export_tflite),
                                    (cfg.CREATE_ONNX, ".onnx", _export_onnx)):
        if not enabled:
            continue
        target = plan.model_path.with_suffix(suffix)
        try:
            files.append(export(cfg, model, target, data))
        # Converters raise many exception types; the trained model is saved already, so
        # report the failed export and keep the rest.
        except Exception as error:  # noqa: BLE001
            errors[suffix] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
            log.warning("could not write %s: %s", target, errors[suffix])
    return files, errors


def _export_tflite(cfg: Any, model: Any, target: Path, data: _Data) -> Path:
    from burro.models.export import export_tflite

    quantize = cfg.TFLITE_QUANTIZE
    frames = None
    if quantize == "int8":
        rows = data.split.train_rows[: min(200, len(data.split.train_rows))]
        frames = _representative_frames(data.frames, rows)
    return export_tflite(model, target, quantize=quantize, representative=frames)


def _representative_frames(frames: Any, rows: np.ndarray) -> list[np.ndarray]:
    from burro.training.pipeline import validation_dataset

    batches = validation_dataset(frames, rows, {"row": rows}, 32)
    return [image for batch, _ in batches for image in batch.numpy()]


def _export_onnx(cfg: Any, model: Any, target: Path, data: _Data) -> Path:
    from burro.models.export import export_onnx

    return export_onnx(model, target)


def _metadata(cfg: Any, plan: _Plan, data: _Data, fit: _Fit, comment: str | None
              ) -> dict[str, Any]:
    from burro.models.metadata import model_metadata

    best = fit.best_epoch - 1
    info = model_metadata(plan.model_type.name, cfg)
    info["training"] = {
        "tubs": data.records.records_per_tub(),
        "records": {"used": len(data.records), "train": len(data.split.train_rows),
                    "validation": len(data.split.val_rows),
                    "skipped": dict(data.records.skipped)},
        "split": data.split.method,
        "seed": plan.seed,
        "augmentations": list(cfg.AUGMENTATIONS),
        "epochs": len(fit.history["val_loss"]),
        "best_epoch": fit.best_epoch,
        "best": {key: values[best] for key, values in fit.history.items()},
        "history": fit.history,
        "epoch_seconds": fit.epoch_seconds,
        "transfer": str(plan.transfer) if plan.transfer else None,
        "comment": comment,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    info["config_used"] = cfg.to_dict()
    return info


def _add_database_row(plan: _Plan, data: _Data, fit: _Fit, comment: str | None) -> Path:
    from burro.training.database import append_row, database_path

    append_row(plan.models_dir, {
        "Name": plan.model_path.stem,
        "Pilot": str(plan.model_path),
        "Type": plan.model_type.name,
        "Tubs": ",".join(data.records.tub_paths),
        "Records": len(data.records),
        "Time": time.time(),
        "Epochs": len(fit.history["val_loss"]),
        "BestValLoss": fit.best_val_loss,
        "History": fit.history,
        "Transfer": plan.transfer.name if plan.transfer else None,
        "Comment": comment,
    })
    return database_path(plan.models_dir)


CONSTANT_SPREAD = 0.1


def constant_prediction_warnings(model_type: Any, model: Any, cfg: Any, data: _Data
                                 ) -> list[str]:
    """Warn when an MSE output hardly varies over the validation frames.

    A spread of predictions under a tenth of the targets' spread means the network outputs
    about one constant and has learnt nothing from the images (Donkey's `linear` at batch
    128 on small tubs ends like this).
    """
    from burro.training.pipeline import validation_dataset

    rows = data.split.val_rows
    names = [name for name, loss in model_type.losses().items() if loss == "mse"]
    if not names:
        return []
    predictions = model.predict(validation_dataset(data.frames, rows, _rows(data.targets, rows),
                                                   cfg.BATCH_SIZE), verbose=0)
    found = []
    for name in names:
        target_spread = float(np.std(data.targets[name][rows]))
        spread = float(np.std(predictions[name]))
        if target_spread > 0 and spread < CONSTANT_SPREAD * target_spread:
            found.append(f"{name} predicts about a constant: its spread on the validation "
                         f"frames is {spread:.4f} against {target_spread:.4f} in the records "
                         "— train longer, or try a smaller BATCH_SIZE so each epoch makes "
                         "more updates")
    return found


def _result(plan: _Plan, data: _Data, fit: _Fit, written: tuple[list[Path], dict[str, str]],
            seconds: float) -> TrainResult:
    files, errors = written
    split = data.split
    images_per_epoch = len(split.train_rows) + len(split.val_rows)
    steady = fit.epoch_seconds[1:] or fit.epoch_seconds
    return TrainResult(
        model_path=plan.model_path,
        files=files,
        model_type=plan.model_type.name,
        records_used=len(data.records),
        records_skipped=sum(data.records.skipped.values()),
        skipped_reasons=dict(data.records.skipped),
        train_records=len(split.train_rows),
        val_records=len(split.val_rows),
        split_method=split.method,
        epochs=len(fit.history["val_loss"]),
        best_epoch=fit.best_epoch,
        best_val_loss=fit.best_val_loss,
        seconds=seconds,
        fit_seconds=fit.seconds,
        images_per_second=images_per_epoch / statistics.median(steady),
        epoch_seconds=fit.epoch_seconds,
        history=fit.history,
        export_errors=errors,
    )


def summary_lines(result: TrainResult) -> list[str]:
    """The one block printed after training."""
    skipped = ", ".join(f"{count} {reason}" for reason, count in result.skipped_reasons.items())
    records = (f"{result.records_used} used ({result.train_records} train, "
               f"{result.val_records} validation, split by {result.split_method}), "
               f"{result.records_skipped} skipped{f' ({skipped})' if skipped else ''}")
    timing = (f"{result.seconds:.1f} s in all, {result.fit_seconds:.1f} s fitting, "
              f"{result.images_per_second:.0f} images/s (train + validation, median epoch)")
    epochs = f"{result.epochs}, best val_loss {result.best_val_loss:.4f} at epoch {result.best_epoch}"
    lines = [
        f"trained {result.model_type} pilot {result.model_path}",
        f"  records   {records}",
        f"  epochs    {epochs}",
        f"  time      {timing}",
        "  files     " + "\n            ".join(str(path) for path in result.files),
    ]
    for suffix, error in result.export_errors.items():
        lines.append(f"  not written: {suffix} ({error})")
    lines += [f"  warning   {warning}" for warning in result.warnings]
    return lines

