"""The pilot part with real exported pilots: formats, --type, latency, hot reload."""

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import SHARED_TUB
from tests.pilots.conftest import read_frames

from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.pilot import PilotPart
from burro.pilots import load

pytestmark = pytest.mark.slow  # exports a few untrained pilots once per session (~10 s)

TICK = 0.05


@pytest.fixture(scope="session")
def frames() -> np.ndarray:
    return read_frames(SHARED_TUB, 40)[0][::10]


@pytest.fixture(scope="session")
def pilots(tmp_path_factory) -> dict[str, Path]:
    """Untrained linear pilots told apart by their output biases: `a` in every format, `b`
    (.tflite), `grey` (IMAGE_DEPTH 1, .tflite). {name: stem}."""
    from burro.config import default_config
    from burro.models import get_model_type
    from burro.models.export import export_onnx, export_tflite, save_keras_model
    from burro.models.metadata import model_metadata, write_metadata

    folder = tmp_path_factory.mktemp("drive-pilots")
    linear = get_model_type("linear")
    stems = {}
    for name, bias, depth, suffixes in (("a", 0.3, 3, (".keras", ".h5", ".tflite", ".onnx")),
                                        ("b", -0.4, 3, (".tflite",)),
                                        ("grey", 0.1, 1, (".tflite",))):
        cfg = default_config()
        cfg.IMAGE_DEPTH = depth
        model = linear.build(cfg)
        model.get_layer("n_outputs0").bias.assign([bias])
        model.get_layer("n_outputs1").bias.assign([bias / 2])
        stem = folder / name
        for suffix in suffixes:
            {".keras": save_keras_model, ".h5": save_keras_model, ".tflite": export_tflite,
             ".onnx": export_onnx}[suffix](model, stem.with_suffix(suffix))
        write_metadata(stem.with_suffix(".json"), model_metadata("linear", cfg))
        stems[name] = stem
    return stems


def put(source_stem: Path, target: Path, suffix: str = ".tflite") -> None:
    """Install a pilot the way rsync does: write a temporary file, rename it over the old."""
    for ending in (suffix, ".json"):
        temporary = target.with_name(f".{target.stem}{ending}.partial")
        shutil.copyfile(source_stem.with_suffix(ending), temporary)
        os.replace(temporary, target.with_suffix(ending))


@pytest.fixture
def car_model(tmp_path, pilots) -> Path:
    path = tmp_path / "models" / "pilot.tflite"
    path.parent.mkdir()
    put(pilots["a"], path)
    return path


class Ticks:
    """Calls the part once per tick on a synthetic loop clock."""

    def __init__(self, part: PilotPart, frame: np.ndarray):
        self.part, self.frame, self.now = part, frame, 0.0

    def run(self, advance: bool = True):
        self.now += TICK if advance else 0.0
        angle, throttle, frame_time = self.part.run(self.frame, self.now - 0.01, self.now)
        assert frame_time == self.now - 0.01
        return angle, throttle

    def until(self, done, seconds: float = 20.0):
        """Tick (letting the loader thread work) until `done(output)`; the last output."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            output = self.run()
            if done(output):
                return output
            time.sleep(0.005)
        raise AssertionError(f"not done after {seconds} s; last output {output}")


def expected(stem: Path, frame: np.ndarray) -> tuple[float, float]:
    return load(stem.with_suffix(".tflite")).run(frame)


def test_registered_as_pilot():
    assert PARTS.get("Pilot") is PilotPart


@pytest.mark.parametrize("suffix", [".keras", ".h5", ".tflite", ".onnx"])
def test_every_format_drives_alike(pilots, frames, suffix):
    part = PilotPart(pilots["a"].with_suffix(suffix))
    reference = load(pilots["a"].with_suffix(".keras"))
    for index, frame in enumerate(frames):
        angle, throttle, frame_time = part.run(frame, float(index), float(index))
        assert (angle, throttle) == pytest.approx(reference.run(frame), abs=1e-3)
        assert frame_time == float(index)


def test_no_frame_no_output(pilots):
    part = PilotPart(pilots["a"].with_suffix(".tflite"))
    assert part.run(None, None, 1.0) == (None, None, None)


def test_latency_and_startup_line(pilots, frames):
    path = pilots["a"].with_suffix(".tflite")
    part = PilotPart(path)
    assert part.latency_ms is None and part.latency_summary() == {}
    assert part.startup_line() == f"pilot: {path} (type linear, runtime LiteRT, input 160x120x3)"
    for frame in frames:
        part.run(frame, 0.0, 0.0)
    assert 0 < part.latency_ms < 1000
    summary = part.latency_summary()
    assert summary["calls"] == len(frames)
    assert 0 < summary["p50"] <= summary["p99"] <= summary["max"]
    onnx = PilotPart(pilots["a"].with_suffix(".onnx"))
    assert "runtime ONNX Runtime, input 160x120x3" in onnx.startup_line()
    grey = PilotPart(pilots["grey"].with_suffix(".tflite"))
    assert grey.startup_line().endswith("input 160x120x1)")


@pytest.mark.parametrize("given", ["linear", "tflite_linear"])
def test_matching_type_is_accepted(pilots, given):
    assert PilotPart(pilots["a"].with_suffix(".tflite"), model_type=given).pilot.model_type.name \
        == "linear"


@pytest.mark.parametrize("given", ["categorical", "tflite_categorical"])
def test_wrong_type_is_one_line_naming_both(pilots, given):
    with pytest.raises(BurroError) as caught:
        PilotPart(pilots["a"].with_suffix(".onnx"), model_type=given)
    line = caught.value.line()
    assert "\n" not in line
    assert f"--type {given} does not match the pilot's type linear" in line
    assert "a.json" in line and "give --type linear" in line


def test_unknown_type_lists_the_types(pilots):
    with pytest.raises(BurroError, match="unknown model type 'lineer'.*--type.*categorical"):
        PilotPart(pilots["a"].with_suffix(".tflite"), model_type="lineer")


def test_hot_reload_swaps_in_the_new_pilot(car_model, pilots, frames):
    frame = frames[1]
    old, new = expected(pilots["a"], frame), expected(pilots["b"], frame)
    assert abs(old[0] - new[0]) > 0.1
    ticks = Ticks(PilotPart(car_model, settle_s=0.5), frame)
    assert [ticks.run() for _ in range(3)] == [old] * 3

    put(pilots["b"], car_model)
    for _ in range(8):  # 0.4 s of loop time (0.25 s real): the change has not settled yet
        assert ticks.run() == old
        time.sleep(0.03)
    assert ticks.until(lambda output: output != old) == new
    assert ticks.part.reloads == 1
    assert [ticks.run() for _ in range(5)] == [new] * 5


def test_a_broken_new_file_keeps_the_old_pilot_and_warns_once(car_model, pilots, frames, caplog):
    caplog.set_level(logging.WARNING, logger="burro.parts.pilot")
    frame = frames[2]
    old = expected(pilots["a"], frame)
    part = PilotPart(car_model, settle_s=0.1)
    ticks = Ticks(part, frame)
    ticks.run()

    def replace_with_garbage(content: bytes) -> None:
        temporary = car_model.with_name(".pilot.tflite.partial")
        temporary.write_bytes(content)
        os.replace(temporary, car_model)

    replace_with_garbage(b"this is not a flatbuffer" * 100)
    assert ticks.until(lambda output: part.failed_reloads == 1) == old
    assert [ticks.run() for _ in range(30)] == [old] * 30  # it is not tried again
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert warnings[0].startswith("pilot reload failed, keeping the running pilot: ")
    assert str(car_model) in warnings[0] and "\n" not in warnings[0]

    replace_with_garbage(b"\0" * 64)  # changed again: tried again, warned again
    assert ticks.until(lambda output: part.failed_reloads == 2) == old
    assert len(caplog.records) == 2
    put(pilots["b"], car_model)  # a good file after the bad ones
    assert ticks.until(lambda output: output != old) == expected(pilots["b"], frame)


def test_a_new_pilot_with_another_input_shape_is_refused(car_model, pilots, frames, caplog):
    caplog.set_level(logging.WARNING, logger="burro.parts.pilot")
    frame = frames[0]
    part = PilotPart(car_model, settle_s=0.0)
    ticks = Ticks(part, frame)
    put(pilots["grey"], car_model)
    assert ticks.until(lambda output: part.failed_reloads == 1) == expected(pilots["a"], frame)
    assert "takes (120, 160, 1) frames, the running one (120, 160, 3)" in caplog.records[0].message


def test_removed_file_keeps_driving(car_model, pilots, frames):
    part = PilotPart(car_model, settle_s=0.0)
    ticks = Ticks(part, frames[0])
    car_model.unlink()
    assert ticks.until(lambda output: part.failed_reloads == 1) == expected(pilots["a"], frames[0])


def test_without_reload_the_file_is_not_watched(car_model, pilots, frames):
    part = PilotPart(car_model, reload=False)
    ticks = Ticks(part, frames[0])
    put(pilots["b"], car_model)
    for _ in range(20):
        assert ticks.run() == expected(pilots["a"], frames[0])
        time.sleep(0.005)


def test_tflite_and_onnx_pilot_parts_do_not_import_tensorflow(pilots, frames, tmp_path):
    frame_path = tmp_path / "frame.npy"
    np.save(frame_path, frames[0])
    code = f"""
import sys
import numpy as np
from burro.parts import PARTS
frame = np.load({str(frame_path)!r})
names = PARTS.names()
for suffix in (".tflite", ".onnx"):
    part = PARTS.get("Pilot")({str(pilots["a"])!r} + suffix, model_type="linear")
    for tick in range(3):
        angle, throttle, frame_time = part.run(frame, float(tick), float(tick))
    part.shutdown()
    print(part.startup_line())
heavy = [name for name in ("tensorflow", "keras", "tf2onnx") if name in sys.modules]
print("heavy:", heavy)
"""
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "heavy: []" in result.stdout
    assert "runtime LiteRT" in result.stdout and "runtime ONNX Runtime" in result.stdout
