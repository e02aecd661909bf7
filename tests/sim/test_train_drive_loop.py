"""Plumbing of the whole loop: record in the simulator, train a pilot, let it drive."""

import json

import pytest

from burro.cli.main import main


@pytest.mark.slow
def test_record_train_drive_runs_end_to_end(tmp_path, capsys):
    car, tub = tmp_path / "car", tmp_path / "tub"
    car.mkdir()
    assert main(["sim", "record", "--car", str(car), "--track", "oval", "--max-steps", "64",
                 "--tub", str(tub)]) == 0
    fast = ["--set", "MAX_EPOCHS=1", "--set", "BATCH_SIZE=16", "--set", "CREATE_ONNX=False",
            "--set", "SHOW_PLOT=False", "--set", "PRINT_MODEL_SUMMARY=False",
            "--set", "VERBOSE_TRAIN=False"]
    model = tmp_path / "pilot.keras"
    assert main(["train", "--car", str(car), "--tub", str(tub), "--type", "linear",
                 "--model", str(model), *fast]) == 0
    report = tmp_path / "report.json"
    assert main(["sim", "drive", "--car", str(car), "--model", str(model.with_suffix(".tflite")),
                 "--track", "oval", "--laps", "1", "--max-steps", "30",
                 "--report", str(report), "--plot", str(tmp_path / "drive.png")]) == 0
    data = json.loads(report.read_text())
    assert data["steps"] == 30 and data["track"] == "oval" and data["laps_target"] == 1
    assert (tmp_path / "drive.png").stat().st_size > 10_000
    assert "laps completed      0/1" in capsys.readouterr().out
