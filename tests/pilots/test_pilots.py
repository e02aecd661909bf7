"""Every export of a trained model drives alike; .tflite/.onnx pilots run without TensorFlow."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tests.pilots.conftest import FORMATS

from burro.errors import BurroError
from burro.pilots import load

pytestmark = pytest.mark.slow  # trains three small models once per session (~30 s)


@pytest.mark.parametrize("name", ["linear", "categorical", "inferred"])
def test_all_formats_agree_on_real_frames(trained_pilots, real_frames, name):
    frames = real_frames[0][::10]
    controls = {}
    for suffix in FORMATS:
        pilot = load(trained_pilots[name].with_suffix(suffix))
        assert pilot.model_type.name == name
        controls[suffix] = np.array([pilot.run(frame) for frame in frames])
    reference = controls[".keras"]
    assert np.all(np.isfinite(reference))
    for suffix, values in controls.items():
        assert np.abs(values - reference).max() <= 1e-3, suffix


def test_pilot_output_is_trained_behaviour_not_a_constant(trained_pilots, real_frames):
    pilot = load(trained_pilots["linear"].with_suffix(".tflite"))
    angles = [pilot.run(frame)[0] for frame in real_frames[0][::20]]
    assert np.ptp(angles) > 0


def test_crop_inside_the_pilot_ignores_the_masked_rows(trained_pilots, real_frames):
    frame = real_frames[0][0].copy()
    pilot = load(trained_pilots["linear"].with_suffix(".onnx"))
    before = pilot.run(frame)
    frame[:45] = 255 - frame[:45]  # rows the default CROP (ROI_CROP_TOP=45) masks
    assert pilot.run(frame) == pytest.approx(before, abs=1e-6)


def test_tflite_and_onnx_pilots_do_not_import_tensorflow(trained_pilots, real_frames):
    stem = trained_pilots["categorical"]
    frame_path = stem.parent / "frame.npy"
    np.save(frame_path, real_frames[0][0])
    code = f"""
import sys
import numpy as np
from burro.pilots import load
frame = np.load({str(frame_path)!r})
for suffix in (".tflite", ".onnx"):
    angle, throttle = load({str(stem)!r} + suffix).run(frame)
    assert -1 <= angle <= 1 and 0 <= throttle <= 0.8, (angle, throttle)
heavy = [name for name in ("tensorflow", "keras", "tf2onnx") if name in sys.modules]
print("heavy:", heavy)
"""
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "heavy: []" in result.stdout


def test_metadata_describes_the_model(trained_pilots):
    info = json.loads(trained_pilots["categorical"].with_suffix(".json").read_text())
    assert info["type"] == "categorical"
    assert info["input_shape"] == [120, 160, 3]
    assert info["outputs"] == ["angle_out", "throttle_out"]
    assert info["transformations"][0]["name"] == "CROP"
    assert info["transformations"][0]["ROI_CROP_TOP"] == 45
    assert info["config"] == {"MODEL_CATEGORICAL_MAX_THROTTLE_RANGE": 0.8}
    assert info["control_ranges"] == {"angle": [-1.0, 1.0], "throttle": [0.0, 0.8]}
    assert info["burro_version"]


def test_wrong_image_shape_is_a_one_line_error(trained_pilots):
    pilot = load(trained_pilots["linear"].with_suffix(".tflite"))
    with pytest.raises(BurroError, match=r"image shape \(240, 320, 3\) does not match .*\(120, 160, 3\)"):
        pilot.run(np.zeros((240, 320, 3), np.uint8))


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(BurroError, match="pilot file not found"):
        load(tmp_path / "nope.tflite")
    (tmp_path / "model.pt").write_bytes(b"x")
    with pytest.raises(BurroError) as error:
        load(tmp_path / "model.pt")
    assert error.value.line() == (f"unknown pilot format '.pt' ({tmp_path / 'model.pt'}) — "
                                  "use one of: .h5, .keras, .onnx, .tflite")


def copy_without(stem: Path, suffix: str, target: Path) -> Path:
    target.mkdir(exist_ok=True)
    copy = target / f"{stem.name}{suffix}"
    copy.write_bytes(stem.with_suffix(suffix).read_bytes())
    return copy


def test_missing_metadata_says_where(trained_pilots, tmp_path):
    lonely = copy_without(trained_pilots["linear"], ".onnx", tmp_path)
    with pytest.raises(BurroError, match=r"model metadata not found \(.*linear\.json\)"):
        load(lonely)


def test_unknown_type_in_metadata(trained_pilots, tmp_path):
    pilot_path = copy_without(trained_pilots["linear"], ".onnx", tmp_path)
    info = json.loads(trained_pilots["linear"].with_suffix(".json").read_text())
    pilot_path.with_suffix(".json").write_text(json.dumps({**info, "type": "imu9"}))
    with pytest.raises(BurroError, match="unknown model type 'imu9'"):
        load(pilot_path)


@pytest.mark.parametrize("suffix", [".tflite", ".onnx", ".keras", ".h5"])
def test_corrupt_model_file_is_a_one_line_error(trained_pilots, tmp_path, suffix):
    pilot_path = copy_without(trained_pilots["linear"], suffix, tmp_path)
    pilot_path.write_bytes(b"not a model at all")
    pilot_path.with_suffix(".json").write_bytes(trained_pilots["linear"].with_suffix(".json").read_bytes())
    with pytest.raises(BurroError, match="cannot (open the pilot|load the Keras model)"):
        load(pilot_path)


def test_greyscale_camera_pilot_takes_two_dimensional_frames(tmp_path, real_frames):
    from burro.config import default_config
    from burro.models import get_model_type
    from burro.models.export import export_onnx
    from burro.models.metadata import model_metadata, write_metadata

    cfg = default_config()
    cfg.IMAGE_DEPTH = 1
    cfg.TRANSFORMATIONS = ["GRAY", "CROP"]  # GRAY passes one-channel frames through
    model = get_model_type("linear").build(cfg)
    path = export_onnx(model, tmp_path / "grey.onnx")
    write_metadata(path, model_metadata("linear", cfg))
    grey = real_frames[0][0].mean(axis=-1).astype(np.uint8)
    pilot = load(path)
    assert pilot.run(grey) == pytest.approx(pilot.run(grey[..., None]))
    expected = model(grey[None, ..., None].astype(np.float32))
    assert pilot.run(grey)[0] == pytest.approx(float(expected["n_outputs0"][0, 0]), abs=1e-5)
