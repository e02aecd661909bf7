"""Keras callbacks of a training run: per-epoch record keeping, best weights, early stop."""

from __future__ import annotations

import logging
import math
import sys
import time
from typing import Any

import keras

log = logging.getLogger("burro.training")


class EpochRecorder(keras.callbacks.Callback):
    """Keeps each finished epoch's seconds and metrics, and the weights of the epoch with
    the lowest val_loss, so that the run ends (or, on Ctrl-C, is saved) with the best epoch.

    It holds its own history because Keras' History is lost when fit() is interrupted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.seconds: list[float] = []
        self.best_loss = math.inf
        self.best_epoch = 0  # 1-based; 0 until an epoch with a finite val_loss ended
        self.best_weights: list[Any] | None = None

    @property
    def epochs(self) -> int:
        return len(self.seconds)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        loss = float(logs.get("val_loss", math.nan))
        if loss < self.best_loss:
            self.best_loss, self.best_epoch = loss, epoch + 1
            self.best_weights = self.model.get_weights()
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))
        self.seconds.append(time.perf_counter() - self._start)
        log.debug("epoch %d: %.2f s, loss %.5f, val_loss %.5f", epoch + 1, self.seconds[-1],
                  logs.get("loss", math.nan), loss)

    def on_train_end(self, logs: dict | None = None) -> None:
        self.restore_best()

    def restore_best(self) -> None:
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)


class ProgressReporter(keras.callbacks.Callback):
    """Writes fitting progress to a ProgressFile (burro.training.progress): the start, the
    steps (at most every `every` seconds) and each epoch's metrics with the best so far.
    Runs after the EpochRecorder, whose numbers it reports."""

    def __init__(self, progress: Any, recorder: EpochRecorder, every: float = 0.5) -> None:
        super().__init__()
        self.progress, self.recorder, self.every = progress, recorder, every
        self._last = 0.0
        self._epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.progress.write("fit", epochs=self.params.get("epochs"),
                            steps=self.params.get("steps"))

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.progress.write("step", epoch=self._epoch, step=batch + 1,
                                steps=self.params.get("steps"))

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        metrics = {key: float(value) for key, value in (logs or {}).items()}
        self.progress.write("epoch", epoch=epoch + 1, seconds=self.recorder.seconds[-1],
                            best_epoch=self.recorder.best_epoch, **metrics)


def make_callbacks(cfg: Any, recorder: EpochRecorder, progress: Any = None) -> list[Any]:
    callbacks: list[Any] = [recorder]
    if progress is not None and progress.path is not None:
        callbacks.append(ProgressReporter(progress, recorder))
    if cfg.USE_EARLY_STOP:  # it only stops; the recorder restores the best weights
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=cfg.EARLY_STOP_PATIENCE, min_delta=cfg.MIN_DELTA))
    return callbacks


def keras_verbosity(verbose_train: bool) -> int:
    """A progress bar on a terminal; one line per epoch in a log file or pipe."""
    if not verbose_train:
        return 0
    return 1 if sys.stdout.isatty() else 2
