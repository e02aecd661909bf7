import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from burro.vehicle import SimulatedClock, Vehicle
from burro.vehicle.signals import StopRequest

CAR = Path(__file__).with_name("signal_car.py")


def _wait_for(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} did not appear"
        time.sleep(0.01)


@pytest.mark.parametrize("signum, rate_hz", [
    (signal.SIGTERM, 10), (signal.SIGINT, 10),
    (signal.SIGTERM, 1),  # the signal lands in a 1 s sleep: it must not wait it out
])
def test_signal_stops_at_a_tick_boundary_shuts_down_and_exits_0(tmp_path, signum, rate_hz):
    proc = subprocess.Popen([sys.executable, str(CAR), str(tmp_path), str(rate_hz)],
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
    assert result["ticks"] >= 3
    assert (tmp_path / "tub.txt").read_text().startswith("closed after frame")
    neutral_at = json.loads((tmp_path / "actuator.json").read_text())["neutral_at"]
    assert 0 <= neutral_at - result["stop_requested_at"] < 0.1  # within one tick at 10 Hz
    assert "part BrokenShutdown: shutdown() raised RuntimeError" in stderr
    assert "Traceback" not in stderr
    assert "loop: " in stdout and "Camera" in stdout
    assert exited < 5


def test_stop_request_wakes_a_waiting_sleep_from_another_thread():
    request = StopRequest()
    threading.Timer(0.05, request.set).start()
    started = time.monotonic()
    assert request.wait(5) is True
    assert time.monotonic() - started < 2
    request.close()
    request.set()  # after close: still a flag, no error
    assert request.is_set()


def test_in_process_signal_ends_the_loop_after_that_tick_and_handlers_are_restored():
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    v = Vehicle(SimulatedClock())
    ticks = []

    class KillsAtThree:
        def run(self, tick):
            ticks.append(tick)
            if tick == 3:
                os.kill(os.getpid(), signal.SIGTERM)

    v.add(KillsAtThree(), inputs=["loop/tick"])
    assert v.start(max_loop_count=100)[0] == 4
    assert ticks == [0, 1, 2, 3] and v.stop_reason == "SIGTERM"
    assert {s: signal.getsignal(s) for s in before} == before


def test_importing_the_vehicle_imports_no_heavy_library():
    code = ("import sys, burro.vehicle; "
            "print(sorted(m for m in ('numpy', 'tensorflow', 'cv2', 'PIL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
