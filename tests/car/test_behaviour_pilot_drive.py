"""The seed's last step in the simulated car: `python manage.py drive --model
models/beh.tflite --type behavior` with TRAIN_BEHAVIORS; the web page switches the Behavior
part's state and the pilot gets it as its behaviour input.

The pilot is trained (`manage.py train --type behavior`) on simulator frames whose steering
label is set by the behaviour state alone (each frame once per state), so what it steers
shows which state reached it. How well a behaviour pilot drives is benchmarks/behavior_bench.py's.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys

import pytest
from tests.car.carkit import create_car, manage, recorded
from tests.car.test_pad_and_behaviour import free_port

from burro.tub import Tub

pytestmark = pytest.mark.slow  # trains a small pilot, then drives several seconds in real time

STEER = {0: -0.5, 1: 0.5}  # Left_Lane steers left, Right_Lane right
SETTINGS = """
SIM_REALTIME = True
SIM_TRACK = "two_lane"
TRAIN_BEHAVIORS = True
RECORD_DURING_AI = True
AUTO_CREATE_NEW_TUB = True
WEB_BIND_ADDRESS = "127.0.0.1"
WEB_TIMEOUT = 60.0
"""


def write_state_labelled_tub(path, frames: int = 60) -> None:
    from burro.sim.simulator import SimSettings, Simulator

    sim = Simulator(SimSettings(track="two_lane"))
    keys = [("cam/image_array", "image_array"), ("user/angle", "float"),
            ("user/throttle", "float"), ("user/mode", "str"), ("behavior/state", "int"),
            ("behavior/label", "str"), ("behavior/one_hot_state_array", "vector")]
    tub = Tub(path, [k for k, _ in keys], [t for _, t in keys], {})
    try:
        for frame in range(frames):
            offset = (0.35, -0.35)[frame % 2]
            image = sim.place(frame * sim.track.length / frames, offset).image
            for state, label in enumerate(("Left_Lane", "Right_Lane")):
                tub.write_record({"cam/image_array": image, "user/angle": STEER[state],
                                  "user/throttle": 0.3, "user/mode": "user",
                                  "behavior/state": state, "behavior/label": label,
                                  "behavior/one_hot_state_array": [1.0 - state, float(state)]})
    finally:
        tub.close()


async def drive_switching_state(port: int, process: subprocess.Popen) -> None:
    """As a person on the page: recording on, then Right_Lane, then stop the car (Ctrl-C)."""
    from tornado.websocket import websocket_connect

    for _ in range(300):  # the server comes up after the pilot has loaded
        try:
            connection = await websocket_connect(f"ws://127.0.0.1:{port}/wsDrive")
            break
        except OSError:
            assert process.poll() is None, "manage.py drive ended before its web server came up"
            await asyncio.sleep(0.1)
    else:
        raise AssertionError("the web controller never answered")
    await connection.write_message(json.dumps({"recording": True}))
    await asyncio.sleep(3.0)
    await connection.write_message(json.dumps({"behavior": 1}))
    await asyncio.sleep(3.0)
    process.send_signal(signal.SIGINT)
    await asyncio.sleep(0.5)
    connection.close()


def test_the_page_switches_the_state_the_behaviour_pilot_drives_on(tmp_path):
    port = free_port()
    car = create_car(tmp_path, settings=SETTINGS + f"WEB_CONTROL_PORT = {port}\n")
    write_state_labelled_tub(car / "data" / "states")
    train = manage(car, "train", "--type", "behavior", "--tub", "data/states",
                   "--model", "models/beh.keras", "--split", "random",
                   "--set", "MAX_EPOCHS=10", "--set", "BATCH_SIZE=8", "--set", "USE_EARLY_STOP=False",
                   "--set", "CREATE_ONNX=False",
                   "--set", "SHOW_PLOT=False", "--set", "VERBOSE_TRAIN=False",
                   "--set", "PRINT_MODEL_SUMMARY=False", "--set", "TRAIN_SEED=1", timeout=300)
    assert train.returncode == 0, train.stderr

    process = subprocess.Popen([sys.executable, str(car / "manage.py"), "drive",
                                "--model", "models/beh.tflite", "--type", "behavior"],
                               cwd=car, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        asyncio.run(drive_switching_state(port, process))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Behavior" in out and "beh.tflite (type behavior" in out, out
    assert "behaviour state: Right_Lane" in err
    _, tub_path = recorded(out)
    records = [r for r in Tub(tub_path) if r["user/mode"] == "local"]
    by_state = {state: [r["pilot/angle"] for r in records if r["behavior/state"] == state]
                for state in (0, 1)}
    assert len(by_state[0]) > 20 and len(by_state[1]) > 20, {s: len(a) for s, a in by_state.items()}
    assert all(r["behavior/one_hot_state_array"] == [1.0 - r["behavior/state"],
                                                     float(r["behavior/state"])] for r in records)
    # the pilot steers as the state it is given says: left in Left_Lane, right in Right_Lane
    assert max(by_state[0]) < -0.2 < 0.2 < min(by_state[1]), by_state
