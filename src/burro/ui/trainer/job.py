"""One training run of the Trainer: `burro train` in a subprocess, its progress file tailed.

The UI process never imports TensorFlow; the run goes on when the browser closes, and the
page asks for `view()` again when it comes back. Cancel sends SIGINT, as Ctrl-C does:
after the first epoch the run saves the best epoch so far (`interrupted`), before it
nothing is saved.
"""

from __future__ import annotations

import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.training.progress import read_progress

EXIT_INTERRUPTED = 130
LOG_TAIL_LINES = 20


class TrainingJob:
    def __init__(self, number: int, request: Any, folder: Path):
        self.number = number
        self.request = request
        self.folder = folder
        self.progress_path = folder / "progress.jsonl"
        self.log_path = folder / "train.log"
        self.started = time.time()
        self.ended: float | None = None
        self.cancelled = False
        self.events: list[dict[str, Any]] = []
        self._offset = 0
        self._lock = threading.Lock()
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = subprocess.Popen(request.argv(self.progress_path), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=request.car_dir)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def cancel(self) -> None:
        if not self.running:
            raise BurroError("the training has already ended", f"run {self.number}",
                             "start a new one")
        self.cancelled = True
        self.process.send_signal(signal.SIGINT)

    def view(self) -> dict[str, Any]:
        """Everything the page shows about this run, read fresh from the progress file."""
        with self._lock:
            code = self.process.poll()
            new, self._offset = read_progress(self.progress_path, self._offset)
            self.events += new
            if code is not None and self.ended is None:
                self.ended = time.time()
        return {"number": self.number, "request": self.request.summary(),
                "started": self.started, "ended": self.ended,
                "elapsed_s": (self.ended or time.time()) - self.started,
                "exit_code": code, "state": self._state(code), "cancelled": self.cancelled,
                **self._progress(), "log": self._log_tail(), "error": self._error(code)}

    def _state(self, code: int | None) -> str:
        """running, finished, saved_best (cancelled, best epoch kept), cancelled (nothing
        saved) or failed."""
        finished = self._last("finished")
        if code is None:
            return "running"
        if finished and code in (0, EXIT_INTERRUPTED):
            return "saved_best" if finished.get("interrupted") else "finished"
        # a SIGINT while Python starts ends it with the signal (-2), not burro's 130
        return "cancelled" if self.cancelled or code == EXIT_INTERRUPTED else "failed"

    def _progress(self) -> dict[str, Any]:
        plan, fit, step = self._last("plan") or {}, self._last("fit") or {}, self._last("step")
        epochs = [event for event in self.events if event["event"] == "epoch"]
        max_epochs = fit.get("epochs") or plan.get("max_epochs")
        phase = self.events[-1]["event"] if self.events else "starting"
        fraction = 0.0
        if step and step.get("steps") and step["epoch"] == len(epochs) + 1:
            fraction = min(step["step"] / step["steps"], 1.0)
        return {"phase": phase, "model": plan.get("model"), "max_epochs": max_epochs,
                "epochs": epochs, "epoch_fraction": fraction,
                "time_left_s": _time_left(epochs, max_epochs, fraction, phase),
                "data": self._last("data"), "result": self._last("finished")}

    def _last(self, event: str) -> dict[str, Any] | None:
        return next((e for e in reversed(self.events) if e["event"] == event), None)

    def _log_tail(self) -> list[str]:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return [line[-300:] for line in text.splitlines()[-LOG_TAIL_LINES:]]

    def _error(self, code: int | None) -> str | None:
        if code in (None, 0, EXIT_INTERRUPTED) or self.cancelled:
            return None
        errors = [line for line in self._log_tail() if ": error:" in line or "error:" in line]
        return errors[-1] if errors else f"burro train ended with exit status {code}"


def _time_left(epochs: list[dict], max_epochs: int | None, fraction: float,
               phase: str) -> float | None:
    """Seconds until MAX_EPOCHS at the pace of the epochs so far (early stopping may end it
    sooner); None before the first epoch has ended."""
    if not epochs or not max_epochs or phase in ("saving", "finished"):
        return None
    steady = [event["seconds"] for event in epochs[1:]] or [epochs[0]["seconds"]]
    per_epoch = sum(steady) / len(steady)
    return max(per_epoch * (max_epochs - len(epochs) - fraction), 0.0)


class Trainer:
    """The runs of this UI session; one runs at a time (training takes every core)."""

    def __init__(self) -> None:
        self.jobs: list[TrainingJob] = []
        self.folder = Path(tempfile.mkdtemp(prefix="burro-ui-train-"))
        self._lock = threading.Lock()

    @property
    def current(self) -> TrainingJob | None:
        return self.jobs[-1] if self.jobs else None

    def start(self, request: Any) -> TrainingJob:
        with self._lock:
            if self.current is not None and self.current.running:
                raise BurroError("a training is already running", f"run {self.current.number}",
                                 "wait for it or cancel it first")
            number = len(self.jobs) + 1
            folder = self.folder / f"run-{number}"
            folder.mkdir()
            job = TrainingJob(number, request, folder)
            self.jobs.append(job)
            return job
