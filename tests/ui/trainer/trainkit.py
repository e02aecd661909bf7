"""`burro ui` in a subprocess for the Trainer tests, a small car with a 100-record copy of the
real tub, and JSON over HTTP."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Quick runs: no summary, no exports (their converters take longer than the training).
MYCONFIG = """\
# the test car
PRINT_MODEL_SUMMARY = False
CREATE_TF_LITE = False
CREATE_ONNX = False
TRAIN_SEED = 1
"""
RECORDS = 100


def make_car(folder: Path, shared_tub: Path) -> tuple[Path, Path]:
    """A car folder (myconfig.py) with data/tub1: the real tub, all but RECORDS records
    soft-deleted (training honours the deleted indexes)."""
    car = folder / "mycar"
    tub = car / "data" / "tub_1_26-12-01"
    shutil.copytree(shared_tub, tub, copy_function=shutil.copyfile)
    manifest = tub / "manifest.json"
    lines = manifest.read_text().splitlines()
    state = json.loads(lines[4])
    state["deleted_indexes"] = list(range(RECORDS, state["current_index"]))
    lines[4] = json.dumps(state)
    manifest.write_text("\n".join(lines) + "\n")
    (car / "myconfig.py").write_text(MYCONFIG)
    return car, tub


@dataclass
class UiServer:
    process: subprocess.Popen
    url: str
    log: Path

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, value = self.call(method, path, body)
        assert status == 200, (status, value)
        return value

    def wait_job(self, until, timeout: float = 240) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.ok("GET", "/api/trainer/job")
            if until(job):
                return job
            time.sleep(0.3)
        raise AssertionError(f"the job did not get there in {timeout} s: {job}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_ui(car: Path, tub: Path, root: Path) -> UiServer:
    log = root / "ui.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "burro", "ui", "--car", str(car), "--tub", str(tub),
             "--no-browser", "--port", "0", "--root", str(root)],
            stdout=output, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text()
        if "burro ui: http" in text:
            url = text.split("burro ui: ", 1)[1].split()[0].rstrip("/")
            return UiServer(process, url, log)
        if process.poll() is not None:
            raise AssertionError(f"burro ui ended at start-up:\n{text}")
        time.sleep(0.1)
    process.kill()
    raise AssertionError("burro ui did not start in 60 s")


def request(tub: Path, **changes: Any) -> dict:
    """A training request as the page sends it: linear, 2 epochs."""
    body = {"tubs": [str(tub)], "type": "linear", "transfer": None, "comment": "",
            "overrides": [{"key": "MAX_EPOCHS", "value": "2"}], "save_to_myconfig": False}
    return {**body, **changes}
