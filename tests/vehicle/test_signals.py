import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CAR = Path(__file__).with_name("signal_car.py")
RATE_HZ = 10


def _wait_for(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} did not appear"
        time.sleep(0.01)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_at_a_tick_boundary_shuts_down_and_exits_0(tmp_path, signum):
    proc = subprocess.Popen([sys.executable, str(CAR), str(tmp_path), str(RATE_HZ)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(tmp_path / "ready", 30)
        sent = time.monotonic()
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=10)
    finally:
        proc.kill()
    exited = time.monotonic() - sent
    assert proc.returncode == 0, stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["reason"] == signal.Signals(signum).name
    assert result["threads"] == []  # the camera's thread was joined
    assert result["ticks"] >= 6
    assert (tmp_path / "tub.txt").read_text().startswith("closed after frame")
    neutral_at = json.loads((tmp_path / "actuator.json").read_text())["neutral_at"]
    assert 0 <= neutral_at - result["stop_requested_at"] < 1 / RATE_HZ  # within one tick
    assert "part BrokenShutdown: shutdown() raised RuntimeError" in stderr
    assert "Traceback" not in stderr
    assert "loop: " in stdout and "Camera" in stdout
    assert exited < 5
