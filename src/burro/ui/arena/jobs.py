"""The arena's background work, polled by the page: predictions over a range of frames (a
thread) and a drive in the simulator (a `burro sim drive` process)."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from burro.errors import BurroError

MAX_POINTS = 2000  # a longer range is sampled evenly: the plot stays light
MAX_JOBS = 50
OUTPUT_LINES = 200


class Job:
    kind = ""

    def __init__(self, job_id: str):
        self.id = job_id
        self.state = "running"  # running | done | failed | cancelled
        self.error: str | None = None
        self.done = 0
        self.total = 0
        self.started = time.time()
        self.finished: float | None = None
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def forget(self) -> None:
        """Drop what the job left on disk (it is no longer listed)."""

    def _finish(self, state: str, error: str | None = None) -> None:
        self.state, self.error, self.finished = state, error, time.time()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "state": self.state, "error": self.error,
                "done": self.done, "total": self.total,
                "seconds": round((self.finished or time.time()) - self.started, 2)}


class RangeJob(Job):
    """Each pilot on every frame of [start, end): predicted vs recorded, and the MSE."""

    kind = "range"

    def __init__(self, job_id: str, frames: list, positions: list[int], choices: list,
                 predict: Any, view: Any = None):
        super().__init__(job_id)
        self.frames, self.positions, self.choices = frames, positions, choices
        self.predict, self.view = predict, view
        self.total = len(positions)
        self.result: dict[str, Any] | None = None
        threading.Thread(target=self._run, name=f"arena-range-{job_id}", daemon=True).start()

    def _run(self) -> None:
        try:
            series = [{"angle": [], "throttle": [], "errors": 0} for _ in self.choices]
            recorded = {"angle": [], "throttle": []}
            for position in self.positions:
                if self._cancel.is_set():
                    return self._finish("cancelled")
                frame = self.frames[position]
                image = frame.pixels()
                if self.view is not None:
                    image = self.view.augmented(image)
                recorded["angle"].append(frame.angle)
                recorded["throttle"].append(frame.throttle)
                for choice, line in zip(self.choices, series):
                    out = self.predict(choice, image, frame.values)
                    if "error" in out:
                        return self._finish("failed", f"{choice.label}: {out['error']}")
                    line["angle"].append(out["angle"])
                    line["throttle"].append(out["throttle"])
                self.done += 1
            self.result = {"positions": self.positions, "recorded": recorded,
                           "pilots": [{"label": choice.label, "path": str(choice.path),
                                       "angle": line["angle"], "throttle": line["throttle"],
                                       "mse": {field: mse(line[field], recorded[field])
                                               for field in ("angle", "throttle")}}
                                      for choice, line in zip(self.choices, series)]}
            self._finish("done")
        except BurroError as error:
            self._finish("failed", error.line())
        except Exception as error:  # noqa: BLE001 - shown to the user, not lost in a thread
            self._finish("failed", f"{type(error).__name__}: {error}")

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "result": self.result}


def mse(predicted: list[float], recorded: list[float]) -> float:
    if not predicted:
        return 0.0
    return sum((p - r) ** 2 for p, r in zip(predicted, recorded)) / len(predicted)


def sampled(start: int, end: int, limit: int = MAX_POINTS) -> list[int]:
    """Positions start..end-1, evenly thinned to at most `limit`."""
    count = end - start
    if count <= limit:
        return list(range(start, end))
    return sorted({start + (i * count) // limit for i in range(limit)})


class DriveJob(Job):
    """`burro sim drive` of one pilot for N laps with --report and --plot, in a process."""

    kind = "drive"

    def __init__(self, job_id: str, choice: Any, laps: int, track: str | None,
                 car_dir: Path | None):
        super().__init__(job_id)
        self.choice, self.laps, self.track = choice, laps, track
        self.folder = Path(tempfile.mkdtemp(prefix="burro-arena-"))
        self.report_path, self.plot_path = self.folder / "report.json", self.folder / "path.png"
        self.total = laps
        self.output: list[str] = []
        self.report: dict[str, Any] | None = None
        command = [sys.executable, "-m", "burro", "sim", "drive", "--model", str(choice.path),
                   "--laps", str(laps), "--report", str(self.report_path),
                   "--plot", str(self.plot_path)]
        if choice.model_type:
            command += ["--type", choice.model_type]
        if track:
            command += ["--track", track]
        if car_dir is not None:
            command += ["--car", str(car_dir)]
        self.command = command
        self.process = subprocess.Popen(command, cwd=self.folder, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        text=True, bufsize=1)
        threading.Thread(target=self._watch, name=f"arena-drive-{job_id}", daemon=True).start()

    def cancel(self) -> None:
        super().cancel()
        if self.process.poll() is None:
            self.process.terminate()

    def forget(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _watch(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output = [*self.output, line.rstrip()][-OUTPUT_LINES:]
        code = self.process.wait()
        if self._cancel.is_set():
            return self._finish("cancelled")
        if code != 0 or not self.report_path.is_file():
            failure = next((line for line in reversed(self.output) if line.strip()),
                           f"burro sim drive ended with exit status {code}")
            return self._finish("failed", failure)
        self.report = json.loads(self.report_path.read_text(encoding="utf-8"))
        self.done = int(self.report.get("laps_completed", 0))
        self._finish("done")

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "pilot": self.choice.label, "laps": self.laps,
                "track": self.track, "output": self.output[-20:], "report": self.report,
                "plot": self.plot_path.is_file() and self.state == "done"}


class Jobs:
    """The jobs started in this server, by id (the oldest finished ones dropped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)

    def next_id(self) -> str:
        return str(next(self._ids))

    def add(self, job: Job) -> Job:
        with self._lock:
            self._jobs[job.id] = job
            finished = [key for key, old in self._jobs.items() if old.state != "running"]
            for key in finished[:max(0, len(self._jobs) - MAX_JOBS)]:
                self._jobs.pop(key).forget()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise BurroError(f"no job {job_id}", "jobs", "start it again")
        return job

    def running(self, kind: str) -> list[Job]:
        with self._lock:
            return [job for job in self._jobs.values() if job.kind == kind
                    and job.state == "running"]
