"""Small tubs and CLI runs for the training tests."""

import json
import subprocess
import sys

import numpy as np
from PIL import Image

from burro.tub import Tub

INPUTS = ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
TYPES = ["image_array", "float", "float", "str"]
TINY = ["--set", "MAX_EPOCHS=2", "--set", "PRINT_MODEL_SUMMARY=False",
        "--set", "VERBOSE_TRAIN=False", "--set", "TRAIN_SEED=1", "--set", "EARLY_STOP_PATIENCE=9"]


def frame(seed: int, width: int = 160, height: int = 120) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([(x * 255 // width + seed * 9) % 256, (y * 255 // height) % 256,
                       np.full_like(x, seed * 7 % 256)], axis=-1)
    return pixels.astype(np.uint8)


def make_tub(path, count: int = 40, width: int = 160, height: int = 120):
    """A v2 tub of `count` records whose angle follows the frame's colour."""
    with Tub(path, INPUTS, TYPES) as tub:
        for i in range(count):
            tub.write_record({"cam/image_array": frame(i, width, height),
                              "user/angle": round((i % 20) / 10 - 1, 2),
                              "user/throttle": 0.3, "user/mode": "user"})
    return path


def make_v1_tub(path, count: int = 30, sizes=((160, 120),)):
    """A Donkey v1 tub; record i has a frame of sizes[i % len(sizes)]."""
    path.mkdir(parents=True)
    (path / "meta.json").write_text(json.dumps(
        {"inputs": INPUTS, "types": TYPES, "start": 1_600_000_000.0}))
    for i in range(1, count + 1):
        width, height = sizes[i % len(sizes)]
        image = f"{i}_cam-image_array_.jpg"
        Image.fromarray(frame(i, width, height)).save(path / image)
        (path / f"record_{i}.json").write_text(json.dumps(
            {"cam/image_array": image, "user/angle": (i % 20) / 10 - 1, "user/throttle": 0.3,
             "user/mode": "user", "milliseconds": 50 * i}))
    return path


def resize_frames(tub_path, indexes, width: int, height: int) -> None:
    """Give the frames of `indexes` another size (as a camera change would)."""
    for index in indexes:
        image = tub_path / "images" / f"{index}_cam_image_array_.jpg"
        image.unlink()
        Image.fromarray(frame(index, width, height)).save(image)


PROBE = """
import json, sys, time
started = time.perf_counter()
from burro.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - started,
                  "tensorflow": "tensorflow" in sys.modules}))
"""


def run_train(*args: str, timeout: float = 600) -> tuple[dict, str, str]:
    """`burro train ARGS` in a subprocess: (outcome, stdout before it, stderr)."""
    done = subprocess.run([sys.executable, "-c", PROBE, "train", *args], capture_output=True,
                          text=True, timeout=timeout)
    *lines, last = done.stdout.strip().splitlines() or [""]
    try:
        outcome = json.loads(last)
    except json.JSONDecodeError:
        outcome = {"code": done.returncode}
    return outcome, "\n".join(lines), done.stderr


BEHAVIOR_INPUTS = INPUTS + ["behavior/state", "behavior/label", "behavior/one_hot_state_array"]
BEHAVIOR_TYPES = TYPES + ["int", "str", "vector"]


def make_behavior_tub(path, count: int = 40, states=("Left_Lane", "Right_Lane")):
    """A v2 tub recorded with TRAIN_BEHAVIORS: the state changes every 5 records and the
    angle follows it (-0.5 in the first state, +0.5 in the second)."""
    with Tub(path, BEHAVIOR_INPUTS, BEHAVIOR_TYPES) as tub:
        for i in range(count):
            state = (i // 5) % len(states)
            tub.write_record({"cam/image_array": frame(i), "user/angle": -0.5 + state,
                              "user/throttle": 0.3, "user/mode": "user",
                              "behavior/state": state, "behavior/label": states[state],
                              "behavior/one_hot_state_array": [float(state == j)
                                                               for j in range(len(states))]})
    return path
