"""`manage.py drive` of a simulated car in a subprocess, driven by a real WebSocket client:
the car moves, the tub holds what the client sent; Stop Car with the expert driving ends the
drive; a port in use is one line on stderr, exit 2."""

import asyncio
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.car.carkit import create_car, recorded, sim_figure
from tornado.websocket import websocket_connect

from burro.tub import Tub

pytestmark = pytest.mark.slow  # a real-time drive of a few seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def settings(port: int, expert: bool, ticks: int) -> str:
    return (f'SIM_TRACK = "oval"\nSIM_REALTIME = True\nSIM_EXPERT_AS_USER = {expert}\n'
            f"AUTO_CREATE_NEW_TUB = True\nWEB_CONTROL_PORT = {port}\n"
            f'WEB_BIND_ADDRESS = "127.0.0.1"\nMAX_LOOPS = {ticks}\n')


def start_drive(car: Path) -> tuple[subprocess.Popen, str]:
    """manage.py drive, and its start-up line for the web controller (read as it prints)."""
    process = subprocess.Popen([sys.executable, str(car / "manage.py"), "drive"], cwd=car,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("web controller: "):
            return process, line.strip()
    process.wait(10)
    raise AssertionError("no web controller line:\n" + "".join(lines) + process.stderr.read())


def finish(process: subprocess.Popen, timeout: float = 30) -> tuple[str, str]:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out, err


def test_a_websocket_client_drives_and_records_the_simulated_car(tmp_path):
    port = free_port()
    car = create_car(tmp_path, settings=settings(port, expert=False, ticks=120))
    process, line = start_drive(car)
    try:
        assert re.fullmatch(rf"web controller: http://127\.0\.0\.1:{port}/drive \(the Mode & "
                            rf"Pilot menu; calibrate: http://127\.0\.0\.1:{port}/calibrate\)", line)
        sent = {"drive_mode": "user", "angle": 0.25, "throttle": 0.5}

        async def drive():
            ws = await websocket_connect(f"ws://127.0.0.1:{port}/wsDrive")
            await ws.write_message(json.dumps({"hello": {"client": "e2e test"}}))
            for _ in range(25):  # 2.5 s, the page's 100 ms heartbeat
                await ws.write_message(json.dumps(sent))
                await asyncio.sleep(0.1)
            ws.close()  # the driver leaves: Stop Car

        asyncio.run(drive())
        out, err = finish(process)
    finally:
        process.kill()
    assert "stopped: the driver's connection closed (e2e test #" in err
    assert sim_figure(out, "mean speed") > 0.1  # the car moved
    count, path = recorded(out)
    assert count >= 30  # ~2.5 s at 20 Hz while the throttle was on (AUTO_RECORD_ON_THROTTLE)
    records = list(Tub(path))
    assert len(records) == count
    assert {(r["user/angle"], r["user/throttle"], r["user/mode"]) for r in records} == \
        {(0.25, 0.5, "user")}


def test_stop_car_from_the_page_ends_a_drive_the_expert_drives(tmp_path):
    port = free_port()
    car = create_car(tmp_path, settings=settings(port, expert=True, ticks=2000))
    process, line = start_drive(car)
    try:
        assert "watch only: the simulator's expert drives; Stop Car ends the drive" in line

        async def stop():
            telemetry = await websocket_connect(f"ws://127.0.0.1:{port}/wsTelemetry")
            assert json.loads(await telemetry.read_message())["hello"]["expert_drives"] is True
            ws = await websocket_connect(f"ws://127.0.0.1:{port}/wsDrive")
            await ws.write_message(json.dumps({"throttle": 1.0}))
            while "error" not in (message := json.loads(await ws.read_message())):
                pass
            assert "expert drives" in message["error"]
            await asyncio.sleep(1.0)
            await ws.write_message(json.dumps({"stop": True}))

        started = time.monotonic()
        asyncio.run(stop())
        out, _ = finish(process)
    finally:
        process.kill()
    assert time.monotonic() - started < 20
    assert re.search(r"^stopped: Stop Car from browser #\d+ \(127\.0\.0\.1\)$", out, re.M)
    assert sim_figure(out, "mean speed") > 0.1 and recorded(out)[0] > 0


def test_a_port_in_use_is_one_line_naming_the_key(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        car = create_car(tmp_path, settings=settings(taken.getsockname()[1], expert=False,
                                                     ticks=10))
        result = subprocess.run([sys.executable, str(car / "manage.py"), "drive"], cwd=car,
                                capture_output=True, text=True, timeout=60)
    finally:
        taken.close()
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("burro: error: port ") and "is in use" in lines[0]
    assert "(WEB_CONTROL_PORT)" in lines[0]
