"""Training outputs appear all or nothing; a full disk keeps the previous pilot loadable."""

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from tests.training.tubs import TINY, make_tub, run_train

from burro.config import default_config
from burro.errors import BurroError
from burro.training.plan import make_plan


class FakeModel:
    """Stands in for a Keras model: `save` writes a file of recognisable bytes."""

    def __init__(self, content: bytes):
        self.content = content

    def save(self, path):
        Path(path).write_bytes(self.content)


def _fake_run(tmp_path, tub, **settings):
    from burro.training.split import split_records

    cfg = default_config()
    cfg.CAR_PATH = str(tmp_path)
    cfg.CREATE_TF_LITE = cfg.CREATE_ONNX = False
    for key, value in settings.items():
        setattr(cfg, key, value)
    plan = make_plan(cfg, tub, tmp_path / "models" / "m.keras")
    split = split_records(plan.records.groups, 0.8, "random", 1)
    data = SimpleNamespace(records=plan.records, split=split)
    fit = SimpleNamespace(history={"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]},
                          epoch_seconds=[1.0, 1.0], best_epoch=2, best_val_loss=0.5,
                          interrupted=False)
    return plan, data, fit


def _old_pilot(models: Path) -> dict[str, bytes]:
    models.mkdir(parents=True, exist_ok=True)
    files = {"m.keras": b"old model", "m.json": b'{"old": true}', "m.png": b"old plot",
             "database.json": b"[]\n"}
    for name, content in files.items():
        (models / name).write_bytes(content)
    return files


@pytest.fixture(scope="module")
def tub(tmp_path_factory):
    return make_tub(tmp_path_factory.mktemp("tubs") / "tub", 30)


def test_a_failure_while_saving_leaves_every_previous_file_unchanged(tub, tmp_path,
                                                                     monkeypatch):
    from burro.training import outputs, plot

    old = _old_pilot(tmp_path / "models")
    plan, data, fit = _fake_run(tmp_path, tub)

    def disk_full(history, path, title):
        Path(path).write_bytes(b"half a png")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(plot, "plot_history", disk_full)
    with pytest.raises(BurroError) as error:
        outputs.write_outputs(plan, data, FakeModel(b"new model"), fit, None)
    line = error.value.line()
    assert "m.png" in line and "free space / check permissions" in line and "\n" not in line
    assert {p.name: p.read_bytes() for p in (tmp_path / "models").iterdir()
            if not p.name.startswith(".database.json.lock")} == old  # nothing new, no temp


def test_outputs_replace_the_pilot_its_row_and_remove_its_stale_exports(tub, tmp_path):
    from burro.training import outputs

    models = tmp_path / "models"
    _old_pilot(models)
    (models / "m.tflite").write_bytes(b"old tflite")
    (models / "database.json").write_text(json.dumps(
        [{"Number": 4, "Name": "m", "Pilot": str(models / "m.keras")},
         {"Number": 5, "Name": "other", "Pilot": str(models / "other.keras")}]))
    plan, data, fit = _fake_run(tmp_path, tub, SHOW_PLOT=False)
    written = outputs.write_outputs(plan, data, FakeModel(b"new model"), fit, "again")
    assert (models / "m.keras").read_bytes() == b"new model"
    info = json.loads((models / "m.json").read_text())
    assert info["training"]["best_epoch"] == 2 and info["training"]["interrupted"] is False
    assert info["training"]["frame_size"].startswith("frames 160x120")
    assert sorted(p.name for p in written.removed) == ["m.png", "m.tflite"]
    assert not (models / "m.tflite").exists() and not (models / "m.png").exists()
    rows = json.loads((models / "database.json").read_text())
    assert [(row["Number"], row["Name"]) for row in rows] == [(4, "m"), (5, "other")]
    assert rows[0]["Comment"] == "again" and written.replaced_row
    assert not [p for p in models.iterdir() if ".partial-" in p.name]


def _can_mount_tmpfs() -> str | None:
    if os.geteuid() != 0:
        return "needs root to mount a small tmpfs"
    if shutil.which("mount") is None:
        return "no mount command"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_can_mount_tmpfs() is not None, reason=str(_can_mount_tmpfs()))
def test_retraining_onto_a_full_disk_keeps_the_previous_pilot_loadable(tmp_path):
    from burro.models.export import load_keras_model
    from burro.models.metadata import read_metadata

    tub = make_tub(tmp_path / "tub", 40)
    outcome, out, err = run_train("--tub", str(tub), "--car", str(tmp_path), "--model",
                                  str(tmp_path / "first" / "pilot.keras"), *TINY,
                                  "--set", "CREATE_TF_LITE=False", "--set", "CREATE_ONNX=False",
                                  "--set", "SHOW_PLOT=False")
    assert outcome["code"] == 0, err
    old = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()
           if p.suffix in (".keras", ".json")}
    disk = tmp_path / "disk"
    disk.mkdir()
    # room for the old pilot, the new .keras and .json, but not for the .tflite as well
    size_kb = (sum(map(len, old.values())) * 2) // 1024 + 600
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                              str(disk)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        for name, content in old.items():
            (disk / name).write_bytes(content)
        outcome, out, err = run_train("--tub", str(tub), "--car", str(tmp_path), "--model",
                                      str(disk / "pilot.keras"), *TINY,
                                      "--set", "CREATE_ONNX=False")
        assert outcome["code"] == 2, err
        last = err.strip().splitlines()[-1]
        assert last.startswith("burro: error: cannot write pilot.")
        assert "free space / check permissions" in last
        assert "exists: this training replaces it" in err
        assert {p.name: p.read_bytes() for p in disk.iterdir()} == old  # no temp file left
        model = load_keras_model(disk / "pilot.keras")
        assert model.predict(np.zeros((1, 120, 160, 3), np.float32), verbose=0)
        assert read_metadata(disk / "pilot.keras")["type"] == "linear"
    finally:
        subprocess.run(["umount", str(disk)], check=False)
