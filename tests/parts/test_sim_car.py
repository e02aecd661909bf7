"""The simulator as a car: the SIM camera, the SIM drivetrain and the SimExpert user part."""

import math
import subprocess
import sys

import numpy as np
import pytest

from burro.cli.main import main
from burro.config import default_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.cameras import CAMERAS
from burro.parts.drivetrains import DRIVETRAINS
from burro.parts.sim_car import end_types, session_for, uses_simulated_clock
from burro.sim.expert import DrivingStyle, Expert
from burro.sim.simulator import SimSettings, Simulator
from burro.tub import Tub

RECORD_KEYS = [("cam/image_array", "image_array"), ("user/angle", "float"),
               ("user/throttle", "float"), ("user/mode", "str"), ("pos/pos_x", "float"),
               ("pos/pos_y", "float"), ("pos/pos_z", "float"), ("pos/speed", "float"),
               ("pos/cte", "float")]
BEHAVIOR_KEYS = [("behavior/state", "int"), ("behavior/label", "str"),
                 ("behavior/one_hot_state_array", "vector")]


def sim_config(**values):
    cfg = default_config()
    cfg.DONKEY_GYM = True
    cfg.SIM_TRACK = "oval"
    for name, value in values.items():
        setattr(cfg, name, value)
    return cfg


class Loop:
    """A tiny stand-in for the Vehicle on simulated time: memory, parts in order, loop/time."""

    def __init__(self, cfg):
        self.hz = cfg.DRIVE_LOOP_HZ
        self.mem: dict = {}
        self.parts: list = []
        self.tick = 0

    def add(self, part, inputs=(), outputs=()):
        self.parts.append((part, list(inputs), list(outputs)))
        return part

    def run(self, ticks, after_tick=None):
        for _ in range(ticks):
            self.mem["loop/time"] = self.tick / self.hz
            self.mem["loop/tick"] = self.tick
            for part, inputs, outputs in self.parts:
                run = getattr(part, "run", part)  # a plain function stands for a part
                result = run(*(self.mem.get(key) for key in inputs))
                values = result if isinstance(result, tuple) else (result,)
                self.mem.update(zip(outputs, values, strict=False))
            if after_tick:
                after_tick(self.mem)
            self.tick += 1

    def shutdown(self):
        for part, _, _ in self.parts:
            if hasattr(part, "shutdown"):
                part.shutdown()


def expert_driving(cfg):
    """SIM camera → SimExpert as the user → its command to the SIM drivetrain, in a Loop."""
    loop = Loop(cfg)
    camera, drivetrain = sim_ends(cfg)
    expert = PARTS.get("SimExpert")(cfg)
    loop.add(camera, camera.inputs, camera.outputs)
    loop.add(expert, expert.inputs, expert.outputs)
    loop.add(lambda a, t: (a, t), ["user/angle", "user/throttle"], ["angle", "throttle"])
    loop.add(drivetrain, drivetrain.inputs)
    return loop, drivetrain


def sim_ends(cfg):
    camera_type, drivetrain_type = end_types(cfg)
    camera = CAMERAS.get(camera_type)(cfg)
    drivetrain = DRIVETRAINS.get(drivetrain_type)(cfg)
    return camera, drivetrain


def test_importing_the_sim_parts_imports_no_simulator():
    code = ("import sys; from burro.config import default_config; cfg = default_config(); "
            "from burro.parts import PARTS; from burro.parts.cameras import CAMERAS; "
            "from burro.parts.drivetrains import DRIVETRAINS; "
            "assert 'SIM' in CAMERAS and 'SIM' in DRIVETRAINS and 'SimExpert' in PARTS; "
            "heavy = [m for m in ('cv2', 'burro.sim.simulator', 'burro.sim.render') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_donkey_gym_swaps_both_ends_and_sim_keys_have_donkeys_defaults():
    cfg = default_config()
    assert cfg.DONKEY_GYM is False and cfg.SIM_REALTIME is True
    assert cfg.SIM_RECORD_LOCATION is False and not uses_simulated_clock(cfg)
    cfg.DONKEY_GYM = True
    assert end_types(cfg) == ("SIM", "SIM") and not uses_simulated_clock(cfg)
    cfg.SIM_REALTIME = False
    assert uses_simulated_clock(cfg)
    assert CAMERAS.get("sim").__name__ == "SimCamera"


def test_camera_and_drivetrain_share_one_car_per_config(capsys):
    cfg, other = sim_config(), sim_config()
    camera, drivetrain = sim_ends(cfg)
    assert camera.session is drivetrain.session is session_for(cfg)
    second = CAMERAS.get("SIM")(other)
    assert second.session is not camera.session
    second.shutdown()
    capsys.readouterr()
    camera.shutdown()
    assert session_for(cfg) is drivetrain.session and not drivetrain.session.closed
    drivetrain.run(0.0, 0.5)
    drivetrain.shutdown()
    drivetrain.shutdown()  # twice is harmless
    assert session_for(cfg) is None and drivetrain.session.closed
    printed = capsys.readouterr().out
    assert printed.count("laps completed") == 1 and "off-track events    0" in printed
    fresh = CAMERAS.get("SIM")(cfg)
    assert fresh.session is not camera.session  # a new drive is a new session
    fresh.shutdown()


def test_a_tick_renders_the_state_then_steps_one_loop_period_with_latency():
    cfg = sim_config(SIM_ARTIFICIAL_LATENCY=100, SIM_RECORD_LOCATION=True, IMAGE_W=80,
                     IMAGE_H=60)
    reference = Simulator(SimSettings.from_config(cfg))
    expected = reference.reset()
    loop = Loop(cfg)
    camera, drivetrain = sim_ends(cfg)
    commands = [(0.3, 0.5), (-0.2, 0.6), (0.0, 0.4), (0.5, 0.3), (None, float("nan"))]
    loop.add(camera, camera.inputs, camera.outputs)
    loop.add(lambda tick: commands[tick], ["loop/tick"], ["angle", "throttle"])
    loop.add(drivetrain, drivetrain.inputs)
    frames = []
    loop.run(len(commands), after_tick=lambda mem: frames.append(dict(mem)))
    for tick, (mem, command) in enumerate(zip(frames, commands, strict=True)):
        assert mem["cam/image_array"].shape == (60, 80, 3)
        assert np.array_equal(mem["cam/image_array"], expected.image)  # state before the step
        assert mem["cam/frame_time"] == tick / cfg.DRIVE_LOOP_HZ
        assert (mem["pos/pos_x"], mem["pos/cte"]) == (expected.x, expected.cte)
        expected = reference.step(*(0.0 if v is None or math.isnan(v) else v for v in command))
    telemetry = drivetrain.session.telemetry
    assert telemetry.time == pytest.approx(5 / 20)
    assert (telemetry.x, telemetry.y, telemetry.speed) == (expected.x, expected.y, expected.speed)
    assert frames[1]["pos/speed"] == 0.0 and telemetry.speed > 0  # 100 ms = 2 ticks late
    loop.shutdown()


@pytest.mark.parametrize(("track", "lane", "labels"), [
    ("technical", "centre", "intended"), ("technical", "centre", "executed"),
    ("two_lane", "switch", "intended")])
def test_sim_expert_records_the_tub_burro_sim_record_writes(tmp_path, capsys, track, lane,
                                                            labels):
    steps = 160
    assert main(["sim", "record", "--track", track, "--seed", "3", "--laps", "5",
                 "--labels", labels, "--max-steps", str(steps),
                 "--tub", str(tmp_path / "recorded")]
                + ([] if lane == "centre" else ["--lane", lane])) == 0
    cfg = sim_config(SIM_TRACK=track, SIM_SEED=3, SIM_RECORD_LOCATION=True,
                     SIM_EXPERT_LABELS=labels, SIM_EXPERT_LANE=lane)
    keys = RECORD_KEYS + (BEHAVIOR_KEYS if lane != "centre" else [])
    loop, drivetrain = expert_driving(cfg)
    tub = Tub(tmp_path / "driven", [k for k, _ in keys], [t for _, t in keys])

    def write(mem):
        assert mem["recording"] is True
        tub.write_record({key: mem[key] for key, _ in keys},
                         timestamp_ms=round(mem["loop/time"] * 1000))

    loop.run(steps, after_tick=write)
    tub.close()
    loop.shutdown()
    recorded, driven = Tub(tmp_path / "recorded"), Tub(tmp_path / "driven")
    assert recorded.inputs == driven.inputs and recorded.types == driven.types
    pairs = list(zip(recorded, driven, strict=True))
    assert len(pairs) == steps
    for want, got in pairs:
        for key, kind in keys:
            if kind == "image_array":
                assert np.array_equal(want.image(key), got.image(key))
            else:
                assert want[key] == got[key], key
    angles = np.array([r["user/angle"] for r, _ in pairs])
    assert angles.std() > 0.05  # it steered through bends, not a trivial straight
    assert drivetrain.session.stats.off_track == 0


def test_a_pilot_drives_a_lap_through_the_sim_parts(capsys):
    cfg = sim_config(SIM_REALTIME=False)
    loop = Loop(cfg)
    camera, drivetrain = sim_ends(cfg)
    session = camera.session
    driver = Expert(session.sim.track, cfg.DRIVE_LOOP_HZ, style=DrivingStyle.perfect())

    def pilot(image):
        assert image.shape == (120, 160, 3)
        return driver.act(session.telemetry)

    loop.add(camera, camera.inputs, camera.outputs)
    loop.add(lambda: (0.0, 0.0, "local"), [], ["user/angle", "user/throttle", "user/mode"])
    loop.add(pilot, ["cam/image_array"], ["pilot/angle", "pilot/throttle"])
    loop.add(lambda a, t: (a, t), ["pilot/angle", "pilot/throttle"], ["angle", "throttle"])
    loop.add(drivetrain, drivetrain.inputs)
    ticks = 0
    while session.telemetry.lap_count < 1 and ticks < 400:
        loop.run(1)
        ticks += 1
    report = session.report()
    assert report.laps_completed == 1 and report.off_track_events == 0
    assert report.mean_speed > 1.0 and report.mean_abs_cte < 0.1
    assert report.autonomy_pct == 100.0
    loop.shutdown()
    printed = capsys.readouterr().out
    assert "laps completed      1" in printed and "off-track events    0" in printed


def test_leaving_the_track_is_counted_and_the_car_put_back(capsys):
    cfg = sim_config()
    loop = Loop(cfg)
    camera, drivetrain = sim_ends(cfg)
    loop.add(camera, camera.inputs, camera.outputs)
    loop.add(lambda: (0.0, 0.4), [], ["angle", "throttle"])
    loop.add(drivetrain, drivetrain.inputs)
    loop.run(400)
    session = drivetrain.session
    assert session.stats.off_track >= 1 and not session.telemetry.off_track
    assert session.report().autonomy_pct < 100.0
    assert f"off-track events    {session.stats.off_track}" in drivetrain.summary()
    loop.shutdown()


def test_bad_sim_settings_are_one_line_errors():
    with pytest.raises(BurroError, match="IMAGE_DEPTH"):
        CAMERAS.get("SIM")(sim_config(IMAGE_DEPTH=1))
    with pytest.raises(BurroError, match="SIM_EXPERT_LANE"):
        PARTS.get("SimExpert")(sim_config(SIM_EXPERT_LANE="left"))
    assert session_for(sim_config()) is None


@pytest.mark.slow
def test_a_tub_recorded_through_the_sim_parts_trains_a_pilot_that_drives_them(tmp_path, capsys):
    from burro import pilots

    cfg = sim_config(SIM_RECORD_LOCATION=True, SIM_REALTIME=False)
    loop, drivetrain = expert_driving(cfg)
    tub_path = tmp_path / "tub"
    with Tub(tub_path, [k for k, _ in RECORD_KEYS], [t for _, t in RECORD_KEYS]) as tub:
        loop.run(64, after_tick=lambda mem: tub.write_record(
            {key: mem[key] for key, _ in RECORD_KEYS}, timestamp_ms=round(mem["loop/time"] * 1000)))
    loop.shutdown()
    car, model = tmp_path / "car", tmp_path / "pilot.keras"
    car.mkdir()
    fast = ["--set", "MAX_EPOCHS=1", "--set", "BATCH_SIZE=16", "--set", "CREATE_ONNX=False",
            "--set", "SHOW_PLOT=False", "--set", "PRINT_MODEL_SUMMARY=False",
            "--set", "VERBOSE_TRAIN=False"]
    assert main(["train", "--car", str(car), "--tub", str(tub_path), "--type", "linear",
                 "--model", str(model), *fast]) == 0
    pilot = pilots.load(model.with_suffix(".tflite"))
    cfg = sim_config(SIM_REALTIME=False)
    loop = Loop(cfg)
    camera, drivetrain = sim_ends(cfg)
    loop.add(camera, camera.inputs, camera.outputs)
    loop.add(pilot.run, ["cam/image_array"], ["pilot/angle", "pilot/throttle"])
    loop.add(lambda a, t: (a, t), ["pilot/angle", "pilot/throttle"], ["angle", "throttle"])
    loop.add(drivetrain, drivetrain.inputs)
    loop.run(30)
    report = drivetrain.session.report()
    assert report.steps == 30 and all(math.isfinite(loop.mem[k]) for k in ("angle", "throttle"))
    assert drivetrain.session.telemetry.time == pytest.approx(30 / cfg.DRIVE_LOOP_HZ)
    loop.shutdown()
    assert "simulator: track oval, 30 steps" in capsys.readouterr().out
