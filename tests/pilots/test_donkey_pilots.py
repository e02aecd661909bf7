"""Pilots trained by real Donkey Car 5.3.0 and 5.4.0 drive in burro.

The files in tests/data/donkey/<version>/ were made once by scripts/make_donkey_pilots.py
with real Donkey installs under /tmp (`donkey train`, 1 epoch, 80x80 frames; see the README
there); `expected.json` holds Donkey's own `pilot.run(frame)` for the frames in `frames.npz`.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from burro.errors import BurroError
from burro.pilots import load
from burro.pilots.donkey import match_outputs

DATA = Path(__file__).resolve().parents[1] / "data" / "donkey"
PILOTS = sorted((folder.name, name) for folder in DATA.iterdir() if folder.is_dir()
                for name in json.loads((folder / "expected.json").read_text())["pilots"])


def expected(version: str) -> tuple[dict, np.ndarray]:
    folder = DATA / version
    return (json.loads((folder / "expected.json").read_text()),
            np.load(folder / "frames.npz")["frames"])


def test_both_donkey_versions_and_every_format_are_covered():
    versions = {version for version, _ in PILOTS}
    suffixes = {Path(name).suffix for _, name in PILOTS}
    assert versions == {"5.3.0", "5.4.0"}
    assert suffixes == {".h5", ".keras", ".tflite"}


@pytest.mark.parametrize(("version", "name"), PILOTS)
def test_burro_predicts_what_donkey_predicted(version, name):
    info, frames = expected(version)
    entry = info["pilots"][name]
    pilot = load(DATA / version / name, model_type=entry["type"])
    assert pilot.input_shape == tuple(info["image"])
    got = np.array([pilot.run(frame) for frame in frames])
    want = np.array(entry["angle_throttle"])
    np.testing.assert_allclose(got, want, atol=1e-4, rtol=0)
    assert np.ptp(got, axis=0).max() > 0  # the frames give different outputs: input reached the model


def test_frames_scaled_to_zero_one_as_donkey_does():
    """Fed raw 0..255 pixels (a burro pilot's convention) the same model predicts otherwise."""
    info, frames = expected("5.3.0")
    pilot = load(DATA / "5.3.0" / "linear.tflite", model_type="tflite_linear")
    raw = pilot.predict(frames[0].astype(np.float32))
    scaled = pilot.predict(frames[0].astype(np.float32) / 255)
    assert abs(float(raw["n_outputs0"].ravel()[0]) - pilot.run(frames[0])[0]) > 1e-3
    assert float(scaled["n_outputs0"].ravel()[0]) == pytest.approx(pilot.run(frames[0])[0], abs=1e-6)


def test_categorical_throttle_range_comes_from_the_car_config():
    info, frames = expected("5.4.0")
    path = DATA / "5.4.0" / "categorical.tflite"
    default = load(path, model_type="tflite_categorical").run(frames[0])[1]
    halved = load(path, model_type="categorical",
                  cfg={"MODEL_CATEGORICAL_MAX_THROTTLE_RANGE": 0.4, "IMAGE_W": 80,
                       "IMAGE_H": 80, "IMAGE_DEPTH": 3}).run(frames[0])[1]
    assert info["MODEL_CATEGORICAL_MAX_THROTTLE_RANGE"] == 0.8
    assert halved == pytest.approx(default / 2)


def test_tflite_without_signature_is_read_from_the_tensor_details():
    from ai_edge_litert.interpreter import Interpreter

    path = DATA / "5.4.0" / "linear.tflite"
    assert Interpreter(model_path=str(path)).get_signature_list() == {}
    assert load(path, model_type="tflite_linear").input_shape == (80, 80, 3)


def test_input_size_is_checked_against_the_car_config():
    cfg = {"IMAGE_W": 160, "IMAGE_H": 120, "IMAGE_DEPTH": 3}
    with pytest.raises(BurroError, match=r"takes 80x80x3 frames, the car config gives 160x120x3 "
                                         r"\(.*linear\.tflite\) — set IMAGE_W = 80, IMAGE_H = 80"):
        load(DATA / "5.3.0" / "linear.tflite", model_type="tflite_linear", cfg=cfg)
    assert load(DATA / "5.3.0" / "linear.tflite", model_type="linear",
                cfg={**cfg, "IMAGE_W": 80, "IMAGE_H": 80}).input_shape == (80, 80, 3)


def test_wrong_type_for_the_outputs_is_one_line():
    with pytest.raises(BurroError, match=r"the model has 2 outputs, --type expects 1 "
                                         r"\(n_outputs0\) \(.*linear\.tflite\)"):
        load(DATA / "5.3.0" / "linear.tflite", model_type="inferred").run(
            np.zeros((80, 80, 3), np.uint8))


def test_missing_type_is_a_one_line_cli_error(tmp_path):
    """`--type` is required for a Donkey pilot: the error says so (CLI, subprocess)."""
    code = ("import sys\nfrom burro.errors import BurroError\nfrom burro.pilots import load\n"
            "try:\n    load(sys.argv[1])\nexcept BurroError as error:\n"
            "    print(error.line()); sys.exit(2)\n")
    result = subprocess.run([sys.executable, "-c", code, str(DATA / "5.3.0" / "linear.tflite")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "needs --type" in lines[0] and "linear.tflite" in lines[0]
    assert "tflite_linear" in lines[0]


def test_unknown_type_lists_the_types():
    with pytest.raises(BurroError, match="unknown model type 'lineer'"):
        load(DATA / "5.3.0" / "linear.tflite", model_type="lineer")


def test_donkey_tflite_path_imports_no_tensorflow():
    code = ("import sys, numpy as np\nfrom burro.pilots import load\n"
            f"p = load({str(DATA / '5.4.0' / 'categorical.tflite')!r}, model_type='tflite_categorical')\n"
            "p.run(np.zeros((80, 80, 3), np.uint8))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_outputs_matched_by_name_then_size_then_order():
    angle, throttle = np.zeros((1, 15)), np.zeros((1, 20))
    wanted = ("angle_out", "throttle_out")
    by_name = match_outputs(wanted, [("throttle_out", throttle), ("angle_out", angle)], "x")
    assert by_name["angle_out"] is angle and by_name["throttle_out"] is throttle
    by_size = match_outputs(wanted, [("Identity", throttle), ("Identity_1", angle)], "x")
    assert by_size["angle_out"] is angle and by_size["throttle_out"] is throttle
    first, second = np.zeros((1, 1)), np.ones((1, 1))
    by_order = match_outputs(("n_outputs0", "n_outputs1"),
                             [("Identity", first), ("Identity_1", second)], "x")
    assert by_order["n_outputs0"] is first and by_order["n_outputs1"] is second
    signed = match_outputs(("n_outputs0", "n_outputs1"), [("StatefulPartitionedCall:n_outputs1",
                                                            first), ("n_outputs0", second)], "x")
    assert signed["n_outputs0"] is second


@pytest.mark.slow
def test_single_output_keras_model_without_metadata(tmp_path):
    """An `inferred` Keras file (Keras 3 returns its one output bare) drives as inferred."""
    import keras

    from burro.models.types.inferred import throttle_from_angle

    image = keras.Input((8, 8, 3), name="img_in")
    angle = keras.layers.Dense(1, name="n_outputs0")(keras.layers.Flatten()(image))
    path = tmp_path / "inferred.keras"
    keras.Model(image, angle).save(path)
    pilot = load(path, model_type="inferred")
    frame = np.full((8, 8, 3), 255, np.uint8)
    got_angle, got_throttle = pilot.run(frame)
    model = keras.models.load_model(path)
    assert got_angle == pytest.approx(float(model(np.ones((1, 8, 8, 3)))[0, 0]), abs=1e-5)
    assert got_throttle == pytest.approx(throttle_from_angle(got_angle))


def test_burro_pilot_without_its_json_is_not_taken_for_donkeys(tmp_path):
    """A burro .onnx without its .json: metadata missing (Donkey writes no ONNX)."""
    path = tmp_path / "pilot.onnx"
    path.write_bytes(b"whatever")
    with pytest.raises(BurroError, match=r"model metadata not found \(.*pilot\.json\)"):
        load(path, model_type="linear")


@pytest.mark.parametrize("suffix", [".tflite", ".h5", ".keras"])
def test_corrupt_donkey_file_is_a_one_line_error(tmp_path, suffix):
    path = tmp_path / f"pilot{suffix}"
    path.write_bytes(b"not a model at all")
    with pytest.raises(BurroError, match=r"cannot open the pilot .*\(.*pilot\.\w+\) — give the "
                                         r"file Donkey wrote"):
        load(path, model_type="linear")
