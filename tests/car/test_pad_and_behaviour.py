"""`manage.py drive --js` of a simulated car with TRAIN_BEHAVIORS: a pad (a FIFO carrying real
`js_event` records) and the web page (a WebSocket client) switch the behaviour state, the
simulator's expert changes lane on command, and the tub records the behaviour keys."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from tests.car.carkit import create_car, recorded

from burro.parts.joystick.device import BUTTON, pack_event
from burro.parts.joystick.maps import controller_map
from burro.tub import Tub

pytestmark = pytest.mark.slow  # a real-time drive of several seconds

SETTINGS = """
SIM_REALTIME = True
SIM_TRACK = "two_lane"
SIM_EXPERT_LANE = "left"
TRAIN_BEHAVIORS = True
CONTROLLER_TYPE = "ps4"
AUTO_CREATE_NEW_TUB = True
WEB_BIND_ADDRESS = "127.0.0.1"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def press(fd: int, number: int) -> None:
    os.write(fd, pack_event(1, BUTTON, number) + pack_event(0, BUTTON, number))


def open_fifo_for_writing(path, process, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.set_blocking(fd, True)
            return fd
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the car never opened the pad's device file") from None
            time.sleep(0.05)


def send_behavior(port: int, state: int) -> None:
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    async def send() -> None:
        connection = await websocket_connect(f"ws://127.0.0.1:{port}/wsDrive")
        await connection.write_message(json.dumps({"behavior": state}))
        await connection.read_message()
        connection.close()

    IOLoop.current().run_sync(send, timeout=10)


def lane_runs(states: list[int]) -> list[int]:
    """The states in order, each run of equal values once."""
    return [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]


def test_l1_on_the_pad_and_the_web_page_switch_the_lane_the_expert_keeps(tmp_path):
    port = free_port()
    fifo = tmp_path / "js0"
    os.mkfifo(fifo)
    car = create_car(tmp_path, settings=SETTINGS + f"WEB_CONTROL_PORT = {port}\n"
                     f"JOYSTICK_DEVICE_FILE = {str(fifo)!r}\n")
    process = subprocess.Popen([sys.executable, str(car / "manage.py"), "drive", "--js"],
                               cwd=car, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        fd = open_fifo_for_writing(fifo, process)
        l1 = controller_map("ps4").default_layout()[1].index(controller_map("ps4")
                                                             .button_code("L1"))
        time.sleep(3.0)
        press(fd, l1)  # Left_Lane -> Right_Lane
        time.sleep(4.0)
        send_behavior(port, 0)  # the web page: back to Left_Lane
        time.sleep(4.0)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "JoystickController" in out and "Behavior" in out
    assert "the pad only switches the behaviour state" in out
    count, tub_path = recorded(out)
    records = list(Tub(tub_path))
    assert count == len(records) > 150
    states = [r["behavior/state"] for r in records]
    assert lane_runs(states) == [0, 1, 0], lane_runs(states)
    labels = {r["behavior/state"]: r["behavior/label"] for r in records}
    assert labels == {0: "Left_Lane", 1: "Right_Lane"}
    assert all(r["behavior/one_hot_state_array"] == [1.0 - s, float(s)]
               for r, s in zip(records, states))
    # the expert moved to the commanded lane: the left lane is left of the centre line
    def settled(state):
        run = [r["pos/cte"] for r, s in zip(records, states) if s == state]
        return run[len(run) // 2:]
    first_left = settled(0)
    right = settled(1)
    assert sum(right) / len(right) * (sum(first_left) / len(first_left)) < 0  # opposite sides
    assert "behaviour state: Right_Lane" in err and "behaviour state: Left_Lane" in err
