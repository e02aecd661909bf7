"""`train()`: tubs in, a trained pilot and its companion files out.

Order of work: the plan checks every input before anything slow (plan.py, no TensorFlow),
then decode every frame once, split, build (or transfer) and compile the network
(network.py), fit with early stopping on val_loss, keeping the best epoch (callbacks.py),
and write the model, metadata, plot, exports and database row all or nothing (outputs.py).
Ctrl-C during fitting saves the best epoch so far unless the plan says not to.
"""

from __future__ import annotations

import logging
import statistics
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from burro.errors import BurroError
from burro.training.plan import TrainPlan, make_plan
from burro.training.result import TrainResult, summary_lines

log = logging.getLogger("burro.training")

__all__ = ["Data", "TrainResult", "summary_lines", "train"]


def train(cfg: Any, tubs: Any, model_path: str | Path | None = None,
          model_type: str | None = None, transfer: str | Path | None = None,
          comment: str | None = None, split: str | None = None,
          cache: bool | None = None, save_on_interrupt: bool = True,
          progress: str | Path | None = None) -> TrainResult:
    """Train a pilot on `tubs` (Tub objects or what `--tub` accepts) and write its files.

    `model_path` None picks `<MODELS_PATH>/pilot_YY-MM-DD_N.keras` (.h5 with SAVE_MODEL_AS_H5);
    `split` and `cache` override TRAIN_SPLIT and CACHE_IMAGES. On Ctrl-C after the first
    epoch the best epoch so far is saved (`interrupted` in the result) unless
    `save_on_interrupt` is False; before that, KeyboardInterrupt propagates. `progress`: a
    file to append the run's progress to as JSON lines (burro.training.progress).
    """
    started = time.perf_counter()
    plan = make_plan(cfg, tubs, model_path, model_type, transfer, split, cache,
                     save_on_interrupt)
    from burro.training.network import make_model
    from burro.training.outputs import write_outputs
    from burro.training.progress import ProgressFile

    report = ProgressFile(progress)
    report.write("plan", model=str(plan.model_path), type=plan.model_type.name,
                 records=len(plan.records), max_epochs=plan.cfg.MAX_EPOCHS)
    data = prepare_data(plan)
    report.write("data", train=len(data.split.train_rows), validation=len(data.split.val_rows))
    model = make_model(plan)
    fit = fit_model(plan, data, model, report)
    report.write("saving")
    written = write_outputs(plan, data, model, fit, comment)
    result = _result(plan, data, fit, written, time.perf_counter() - started)
    report.write("finished", model=str(result.model_path), epochs=result.epochs,
                 best_epoch=result.best_epoch, best_val_loss=result.best_val_loss,
                 interrupted=result.interrupted, files=[str(path) for path in result.files])
    if not fit.interrupted:
        from burro.training.quality import constant_prediction_warnings

        result.warnings = constant_prediction_warnings(plan.model_type, model, plan.cfg, data)
    for warning in result.warnings:
        log.warning(warning)
    return result


@dataclass
class Data:
    records: Any
    frames: Any
    targets: dict[str, np.ndarray]
    split: Any
    inputs: dict[str, np.ndarray] | None = None  # extra model inputs by name (behavior, ...)

    def inputs_of(self, rows: np.ndarray) -> dict[str, np.ndarray] | None:
        return _rows(self.inputs, rows) if self.inputs else None


def prepare_data(plan: TrainPlan) -> Data:
    from burro.training.pipeline import choose_cache_policy, decode_frames
    from burro.training.split import split_records

    cfg, records = plan.cfg, plan.records
    size = (cfg.IMAGE_H, cfg.IMAGE_W, cfg.IMAGE_DEPTH)
    policy = choose_cache_policy(cfg.CACHE_POLICY, plan.cache, records.image_paths, *size)
    frames, bad = decode_frames(records.image_paths, *size, policy=policy)
    if bad:
        log.warning("%d frame%s could not be decoded and are skipped: %s", len(bad),
                    "s" * (len(bad) != 1), records.places(bad))
        skipped = records.skipped
        records = records.subset(np.setdiff1d(np.arange(len(records)), bad))
        records.skipped = skipped + Counter({"unreadable image": len(bad)})
        if not len(records):
            raise BurroError("no frame of the tubs could be decoded",
                             ", ".join(records.tub_paths), "run `burro tub check --decode`")
    targets = plan.model_type.targets(records.columns, cfg)
    inputs = plan.model_type.inputs(records.columns, cfg)
    split = split_records(records.groups, cfg.TRAIN_TEST_SPLIT, plan.split, plan.seed)
    log.info("validation split: %s", split.reason)
    log.info("%d records (%d train, %d validation, split by %s); %d skipped",
             len(records), len(split.train_rows), len(split.val_rows), split.method,
             sum(records.skipped.values()))
    return Data(records, frames, targets, split, inputs)


@dataclass
class Fit:
    history: dict[str, list[float]]
    epoch_seconds: list[float]
    seconds: float
    best_epoch: int
    best_val_loss: float
    interrupted: bool = False


def fit_model(plan: TrainPlan, data: Data, model: Any, progress: Any = None) -> Fit:
    from burro.training.callbacks import EpochRecorder, keras_verbosity, make_callbacks
    from burro.training.pipeline import training_dataset, validation_dataset

    cfg, split, targets = plan.cfg, data.split, data.targets
    augment = _augmenter(cfg)
    train_ds = training_dataset(data.frames, split.train_rows, _rows(targets, split.train_rows),
                                cfg.BATCH_SIZE, plan.seed, augment,
                                inputs=data.inputs_of(split.train_rows))
    val_ds = validation_dataset(data.frames, split.val_rows, _rows(targets, split.val_rows),
                                cfg.BATCH_SIZE, inputs=data.inputs_of(split.val_rows))
    recorder = EpochRecorder()
    started = time.perf_counter()
    interrupted = False
    try:
        with warnings.catch_warnings():  # Keras notes that it does not shuffle a tf.data input
            warnings.filterwarnings("ignore", message=".*shuffle=True.*")
            model.fit(train_ds, validation_data=val_ds, epochs=cfg.MAX_EPOCHS,
                      callbacks=make_callbacks(cfg, recorder, progress),
                      verbose=keras_verbosity(cfg.VERBOSE_TRAIN))
    except KeyboardInterrupt:
        if not recorder.best_epoch or not plan.save_on_interrupt:
            if not plan.save_on_interrupt:
                why = "--no-save-on-interrupt"
            else:
                why = "no epoch had ended" if not recorder.epochs else "val_loss was never finite"
            log.warning("interrupted: nothing saved (%s)", why)
            raise
        recorder.restore_best()
        interrupted = True
        log.warning("interrupted during epoch %d: saving the best epoch so far (%d)",
                    recorder.epochs + 1, recorder.best_epoch)
    seconds = time.perf_counter() - started
    if not recorder.best_epoch:
        raise BurroError("val_loss was never a finite number: training diverged",
                         "LEARNING_RATE", "lower LEARNING_RATE, or check the recorded values")
    epochs = recorder.epochs
    history = {key: values[:epochs] for key, values in recorder.history.items()}
    return Fit(history, recorder.seconds[:epochs], seconds, recorder.best_epoch,
               recorder.best_loss, interrupted)


def _augmenter(cfg: Any) -> Any:
    from burro.training.augment import make_augmenter

    return make_augmenter(cfg)


def _rows(targets: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[rows] for name, values in targets.items()}


def _result(plan: TrainPlan, data: Data, fit: Fit, written: Any, seconds: float) -> TrainResult:
    split = data.split
    images_per_epoch = len(split.train_rows) + len(split.val_rows)
    steady = fit.epoch_seconds[1:] or fit.epoch_seconds
    return TrainResult(
        model_path=plan.model_path,
        files=written.files,
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
        export_errors=written.errors,
        frame_size=plan.frame_size.line,
        interrupted=fit.interrupted,
        replaced=[path for path in plan.replaces if path.suffix == plan.model_path.suffix],
        removed=written.removed,
    )
