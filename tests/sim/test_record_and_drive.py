import json

import numpy as np
import pytest

from burro.cli.main import main
from burro.errors import BurroError
from burro.sim.evaluate import autonomy, drive
from burro.sim.record import record_laps
from burro.sim.simulator import SimSettings
from burro.tub import Tub


def test_recorded_tub_opens_with_donkey_keys(tmp_path):
    result = record_laps(SimSettings(track="oval"), tmp_path / "tub", laps=1)
    tub = Tub(tmp_path / "tub")
    assert len(tub) == result.records > 150 and result.laps == 1 and result.off_track == 0
    assert tub.inputs[:4] == ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
    assert {"pos/pos_x", "pos/pos_y", "pos/speed", "pos/cte"} <= set(tub.inputs)
    records = list(tub)
    assert records[0]["user/mode"] == "user"
    assert records[0].image("cam/image_array").shape == (120, 160, 3)
    angles = np.array([r["user/angle"] for r in records])
    assert angles.min() < -0.3  # the oval's left bends: Donkey's negative angle
    assert tub.metadata["sim_track"] == "oval"


def test_lane_recording_adds_behavior_keys(tmp_path):
    record_laps(SimSettings(track="two_lane"), tmp_path / "tub", laps=1, lane="switch",
                max_steps=300)
    records = list(Tub(tmp_path / "tub"))
    assert len(records) == 300
    labels = {r["behavior/label"] for r in records}
    assert labels <= {"Left_Lane", "Right_Lane"} and "Left_Lane" in labels
    first = records[0]
    assert first["behavior/one_hot_state_array"] == [1.0, 0.0] and first["behavior/state"] == 0


def test_a_constant_driver_leaves_the_track_and_is_counted():
    report = drive(lambda image: (0.0, 0.4), SimSettings(track="oval"), laps=1, max_steps=400)
    assert report.off_track_events >= 1
    assert report.autonomy_pct == pytest.approx(
        autonomy(report.off_track_events, report.sim_seconds))
    assert report.max_abs_cte >= 0.5 and report.steps <= 400


def test_autonomy_is_pilotnets_formula():
    assert autonomy(0, 60.0) == 100.0
    assert autonomy(1, 60.0) == pytest.approx(90.0)
    assert autonomy(20, 60.0) == 0.0


def test_bad_mode_and_laps_are_refused():
    with pytest.raises(BurroError):
        drive(lambda image: (0.0, 0.0), SimSettings(track="oval"), laps=1, mode="fast")
    with pytest.raises(BurroError):
        record_laps(SimSettings(track="oval"), "unused", laps=0)


def test_cli_record_view_and_errors(tmp_path, capsys):
    assert main(["sim", "record", "--track", "oval", "--laps", "1", "--max-steps", "40",
                 "--tub", str(tmp_path / "tub")]) == 0
    assert len(Tub(tmp_path / "tub")) == 40
    assert main(["sim", "view", "--track", "technical", "--frames", "3",
                 "--out", str(tmp_path / "view.png")]) == 0
    assert (tmp_path / "view.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["sim", "record", "--track", "moon", "--tub", str(tmp_path / "t2")]) == 2
    assert "unknown track 'moon'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:  # argparse refuses it (tests/cli/test_errors.py)
        main(["sim", "record", "--laps", "0", "--tub", str(tmp_path / "t3")])
    assert refused.value.code == 2 and not (tmp_path / "t3").exists()
    assert main(["sim", "drive", "--model", str(tmp_path / "missing.tflite")]) == 2
    assert "pilot file not found" in capsys.readouterr().err
    assert main(["sim", "view", "--track", "oval", "--lane", "left",
                 "--out", str(tmp_path / "v.png")]) == 2
    assert "has one lane" in capsys.readouterr().err


def test_report_json_and_plot(tmp_path):
    from burro.sim.evaluate import plot_drive, write_report
    from burro.sim.track import load_track

    report = drive(lambda image: (0.0, 0.4), SimSettings(track="oval"), laps=1, max_steps=200)
    write_report(report, tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["off_track_events"] == report.off_track_events and "path" not in data
    plot_drive(report, load_track("oval"), tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 10_000


def test_intended_labels_drive_the_same_but_record_the_correction(tmp_path):
    for labels in ("executed", "intended"):
        record_laps(SimSettings(track="oval"), tmp_path / labels, laps=1, max_steps=200,
                    labels=labels)
    executed, intended = (list(Tub(tmp_path / name)) for name in ("executed", "intended"))
    assert [r["pos/pos_x"] for r in executed] == [r["pos/pos_x"] for r in intended]
    jitter = [np.abs(np.diff([r["user/angle"] for r in rs])).mean() for rs in (executed, intended)]
    assert jitter[1] < jitter[0]  # no hand noise in the intended commands
    assert Tub(tmp_path / "intended").metadata["sim_labels"] == "intended"
    with pytest.raises(BurroError):
        record_laps(SimSettings(track="oval"), tmp_path / "x", laps=1, labels="dreamt")
