"""The control parts wired as the complete template wires them, run by a minimal loop with
Donkey's memory semantics (the Vehicle itself is tested in tests/vehicle)."""

import numpy as np

from burro.config import load_config
from burro.parts import PARTS
from burro.tub import Tub


class Camera:
    def run(self):
        return np.zeros((12, 16, 3), np.uint8)


class Pilot:
    def run(self, image):
        return 0.2, 0.6


class Driver:
    """A user who holds a throttle of 0.4 from tick 2 and lets go at tick 5."""

    def __init__(self):
        self.tick = 0

    def run(self):
        self.tick += 1
        return -0.1, 0.4 if 2 <= self.tick < 5 else 0.0, "user", False


def build(cfg, user):
    writer = PARTS.get("TubWriter").from_config(cfg)
    parts = [
        (Camera(), [], ["cam/image_array"]),
        (user, [], ["user/angle", "user/throttle", "user/mode", "recording"]),
        (PARTS.get("ThrottleFilter").from_config(cfg), ["user/throttle"], ["user/throttle"]),
        (Pilot(), ["cam/image_array"], ["pilot/angle", "pilot/throttle"]),
        (PARTS.get("AiLaunch").from_config(cfg), ["user/mode", "pilot/throttle", "loop/time"],
         ["pilot/throttle"]),
        (PARTS.get("DriveMode").from_config(cfg),
         ["user/mode", "user/angle", "user/throttle", "pilot/angle", "pilot/throttle"],
         ["angle", "throttle"]),
        (PARTS.get("RecordingControl").from_config(cfg),
         ["user/mode", "user/throttle", "recording"], ["recording"]),
        (writer, writer.inputs, ["tub/num_records"]),
    ]
    return parts, writer


def drive(parts, ticks: int) -> list[dict]:
    memory, seen = {}, []
    for tick in range(ticks):
        memory["loop/time"] = 3.0 + tick * 0.05
        for part, inputs, outputs in parts:
            result = part.run(*[memory.get(key) for key in inputs])
            if result is not None:
                memory.update(zip(outputs, result if len(outputs) > 1 else [result]))
        seen.append(dict(memory))
    for part, _, _ in parts:
        getattr(part, "shutdown", lambda: None)()
    return seen


def test_web_init_mode_local_drives_on_the_pilot_alone_with_a_launch(tmp_path):
    (tmp_path / "myconfig.py").write_text(
        'WEB_INIT_MODE = "local"\nAI_THROTTLE_MULT = 0.5\nAI_LAUNCH_DURATION = 0.1\n'
        "AI_LAUNCH_THROTTLE = 1.0\nAI_LAUNCH_KEEP_ENABLED = True\n")
    cfg = load_config(tmp_path)
    parts, writer = build(cfg, PARTS.get("NeutralUser").from_config(cfg))
    seen = drive(parts, 6)
    assert [m["throttle"] for m in seen] == [0.5, 0.5, 0.5, 0.3, 0.3, 0.3]
    assert {m["angle"] for m in seen} == {0.2}
    assert not any(m["recording"] for m in seen) and len(list(Tub(writer.tub.path))) == 0


def test_a_user_driving_records_while_the_throttle_is_held(tmp_path):
    cfg = load_config(tmp_path)
    parts, writer = build(cfg, Driver())
    seen = drive(parts, 7)
    assert [m["throttle"] for m in seen] == [0.0, 0.4, 0.4, 0.4, 0.0, 0.0, 0.0]
    assert [m["tub/num_records"] for m in seen] == [0, 1, 2, 3, 3, 3, 3]
    records = list(Tub(tmp_path / "data"))
    assert [(r["user/angle"], r["user/throttle"], r["user/mode"]) for r in records] == \
        [(-0.1, 0.4, "user")] * 3
