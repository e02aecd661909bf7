"""Ctrl-C during `burro train` saves the best epoch so far as a usable pilot."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from tests.training.tubs import make_tub

pytest.importorskip("tensorflow")

LONG = ["--set", "MAX_EPOCHS=500", "--set", "EARLY_STOP_PATIENCE=500",
        "--set", "PRINT_MODEL_SUMMARY=False", "--set", "VERBOSE_TRAIN=False",
        "--set", "TRAIN_SEED=3"]


def _train_and_interrupt(*args: str) -> tuple[int, str, str]:
    """Start `burro -v train ARGS`, send SIGINT once the first epoch has ended."""
    process = subprocess.Popen([sys.executable, "-m", "burro", "-v", "train", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    deadline = time.monotonic() + 300
    for line in process.stderr:
        seen.append(line)
        if line.startswith("epoch 1:"):
            process.send_signal(signal.SIGINT)
            break
        assert time.monotonic() < deadline, "no epoch ended"
    out, err = process.communicate(timeout=300)
    return process.returncode, out, "".join(seen) + err


@pytest.mark.slow
def test_ctrl_c_saves_the_best_epoch_in_every_format(tmp_path):
    from burro.pilots import load

    tub = make_tub(tmp_path / "tub", 40)
    model = tmp_path / "models" / "stopped.keras"
    code, out, err = _train_and_interrupt("--tub", str(tub), "--car", str(tmp_path),
                                          "--model", str(model), *LONG)
    assert code == 130, err
    assert "interrupted during epoch" in err and "saving the best epoch so far" in err
    assert "(interrupted: the best epoch so far is saved)" in out
    info = json.loads(model.with_suffix(".json").read_text())
    training = info["training"]
    assert training["interrupted"] is True
    assert 1 <= training["best_epoch"] <= training["epochs"] < 500
    assert len(training["history"]["val_loss"]) == training["epochs"]
    rows = json.loads((tmp_path / "models" / "database.json").read_text())
    assert [row["Interrupted"] for row in rows] == [True]
    frame = np.full((120, 160, 3), 100, np.uint8)
    for suffix in (".keras", ".tflite", ".onnx"):
        angle, throttle = load(model.with_suffix(suffix)).run(frame)
        assert np.isfinite(angle) and np.isfinite(throttle)


@pytest.mark.slow
def test_ctrl_c_with_no_save_on_interrupt_writes_nothing(tmp_path):
    tub = make_tub(tmp_path / "tub", 40)
    code, out, err = _train_and_interrupt("--tub", str(tub), "--car", str(tmp_path),
                                          "--model", str(tmp_path / "models" / "x.keras"),
                                          "--no-save-on-interrupt", *LONG)
    assert code == 130
    assert "interrupted: nothing saved (--no-save-on-interrupt)" in err
    assert not (tmp_path / "models").exists()
