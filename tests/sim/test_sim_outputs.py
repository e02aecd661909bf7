"""What the simulator commands leave on disk: simulated time in the tub, the records kept on
Ctrl-C, and report/plot/video/view files that appear only complete (issue 12, items 1, 8, 9)."""

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from burro.errors import BurroError
from burro.sim.evaluate import VideoWriter, drive, plot_drive, write_report
from burro.sim.record import record_laps
from burro.sim.simulator import SimSettings, Simulator
from burro.sim.track import load_track
from burro.sim.view import camera_strip
from burro.tub import Tub
from burro.tub.summary import summarize


def test_recorded_tub_carries_simulated_time(tmp_path):
    settings = SimSettings(track="oval")
    first = record_laps(settings, tmp_path / "tub", laps=1, max_steps=120)
    record_laps(settings, tmp_path / "tub", laps=1, max_steps=80)  # a second session
    tub = Tub(tmp_path / "tub")
    stamps = [record.timestamp_ms for record in tub]
    assert len(stamps) == 200
    step_ms = 1000 / settings.hz
    assert np.diff(stamps[:120]).tolist() == [step_ms] * 119  # 20 Hz of simulated driving
    assert stamps[120] > stamps[119]  # the appended session starts after the first one ends
    summary = summarize(tub)
    assert summary.duration_s == pytest.approx((119 + 79) * step_ms / 1000, abs=0.01)
    assert first.sim_seconds == pytest.approx(120 * step_ms / 1000)
    deleted = Tub(tmp_path / "tub").delete_last_seconds(1.0)  # 1 s of driving, not 100
    assert 20 <= len(deleted) <= 21


def test_ctrl_c_during_sim_record_keeps_and_counts_the_records(tmp_path):
    tub = tmp_path / "tub"
    process = subprocess.Popen([sys.executable, "-m", "burro", "sim", "record", "--track", "oval",
                                "--laps", "100", "--tub", str(tub)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("lap 1:")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("burro: interrupted — kept the "), stderr
    kept = int(lines[0].split("kept the ")[1].split()[0])
    reader = Tub(tub)
    assert kept == len(reader) == len(list(reader)) > 150  # more than the first lap
    checked = subprocess.run([sys.executable, "-m", "burro", "tub", "check", str(tub)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture
def short_drive():
    return drive(lambda image: (0.0, 0.4), SimSettings(track="oval"), laps=1, max_steps=20)


def _disk_full_after_half(write):
    """A writer that writes half its data to the temporary file and then runs out of space."""

    def failing(self, data, *args, **kwargs):
        write(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    return failing


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name not in keep)


def test_report_write_that_fails_keeps_the_previous_report(tmp_path, short_drive, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text('{"previous": true}\n')
    monkeypatch.setattr(Path, "write_text", _disk_full_after_half(Path.write_text))
    with pytest.raises(BurroError, match="free space"):
        write_report(short_drive, target)
    assert target.read_text() == '{"previous": true}\n'
    assert _leftovers(tmp_path, {"report.json"}) == []


def test_plot_write_that_fails_keeps_the_previous_plot(tmp_path, short_drive, monkeypatch):
    import matplotlib.figure

    target = tmp_path / "drive.png"
    target.write_bytes(b"old plot")

    def full_disk(self, path, **kwargs):
        Path(path).write_bytes(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", full_disk)
    with pytest.raises(BurroError, match="drive.png"):
        plot_drive(short_drive, load_track("oval"), target)
    assert target.read_bytes() == b"old plot"
    assert _leftovers(tmp_path, {"drive.png"}) == []


def test_video_appears_only_when_complete(tmp_path):
    sim = Simulator(SimSettings(track="oval"))
    frame = sim.reset()
    target = tmp_path / "drive.mp4"
    with pytest.raises(RuntimeError), VideoWriter(target, 20) as video:
        video.add(frame)
        assert not target.exists()
        raise RuntimeError("the drive failed")
    assert _leftovers(tmp_path, set()) == []
    with VideoWriter(target, 20) as video:
        for _ in range(5):
            video.add(frame)
    assert target.stat().st_size > 1000 and _leftovers(tmp_path, {"drive.mp4"}) == []


def test_view_image_failing_to_write_keeps_the_old_one(tmp_path, monkeypatch):
    import burro.sim.view as view

    target = tmp_path / "view.png"
    target.write_bytes(b"old view")
    def full_disk(path, image):  # OpenCV writes what fits, then reports failure
        Path(path).write_bytes(b"\x89PNG half")
        return False

    monkeypatch.setattr(view.cv2, "imwrite", full_disk)
    with pytest.raises(BurroError, match="view.png"):
        camera_strip(SimSettings(track="oval"), 2, target)
    assert target.read_bytes() == b"old view" and _leftovers(tmp_path, {"view.png"}) == []


def test_view_refuses_a_name_without_an_image_writer_before_simulating(tmp_path, monkeypatch):
    import burro.sim.view as view

    monkeypatch.setattr(view, "Simulator", None)  # would fail if the simulation started
    with pytest.raises(BurroError, match="end the name in .png or .jpg"):
        camera_strip(SimSettings(track="oval"), 2, tmp_path / "view.xyz")
