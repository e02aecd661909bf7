"""Export options and metadata files (the full train-export-reload loop is in tests/pilots)."""

import json

import numpy as np
import pytest
from tests.conftest import SHARED_TUB
from tests.pilots.conftest import read_frames

from burro.config import default_config
from burro.errors import BurroError
from burro.models import get_model_type
from burro.models.export import export_tflite, load_keras_model, save_keras_model
from burro.models.metadata import model_metadata, read_metadata, write_metadata
from burro.pilots import load


@pytest.fixture(scope="module")
def linear_model():
    return get_model_type("linear").build(default_config())


@pytest.mark.slow
@pytest.mark.parametrize("quantize", ["float16", "int8"])
def test_quantised_tflite_runs_and_stays_close(linear_model, tmp_path, quantize):
    frames, _ = read_frames(SHARED_TUB, 40)
    path = tmp_path / f"q_{quantize}.tflite"
    export_tflite(linear_model, path, quantize=quantize, representative=frames.astype(np.float32))
    write_metadata(path, model_metadata("linear", default_config()))
    outputs = linear_model(frames[:5].astype(np.float32))
    expected = np.stack([np.asarray(outputs["n_outputs0"])[:, 0],
                         np.asarray(outputs["n_outputs1"])[:, 0]], axis=1)
    pilot = load(path)
    got = np.array([pilot.run(frame) for frame in frames[:5]])
    tolerance = 1e-2 if quantize == "float16" else 0.1
    assert np.abs(got - expected).max() < tolerance


def test_int8_needs_representative_frames_and_unknown_quantisation_is_refused(linear_model, tmp_path):
    with pytest.raises(BurroError, match="representative"):
        export_tflite(linear_model, tmp_path / "m.tflite", quantize="int8")
    with pytest.raises(BurroError, match="unknown TFLite quantisation 'int4'"):
        export_tflite(linear_model, tmp_path / "m.tflite", quantize="int4")


def test_keras_save_checks_the_suffix_and_load_reports_missing_files(linear_model, tmp_path):
    with pytest.raises(BurroError, match=r"cannot save a Keras model as \.pb"):
        save_keras_model(linear_model, tmp_path / "m.pb")
    with pytest.raises(BurroError, match="model file not found"):
        load_keras_model(tmp_path / "absent.keras")


def test_metadata_round_trip_keeps_extra_training_fields(tmp_path):
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["TRAPEZE"]
    info = {**model_metadata("inferred", cfg), "history": {"val_loss": [0.5, 0.25]}}
    written = write_metadata(tmp_path / "pilot.keras", info)
    assert written == tmp_path / "pilot.json"
    back = read_metadata(tmp_path / "pilot.tflite")
    assert back["history"] == {"val_loss": [0.5, 0.25]}
    assert back["transformations"][0]["ROI_TRAPEZE_MIN_Y"] == 60
    assert back["outputs"] == ["n_outputs0"]


def test_write_metadata_refuses_an_incomplete_dict(tmp_path):
    with pytest.raises(ValueError, match="lacks"):
        write_metadata(tmp_path / "pilot.keras", {"history": {}})


def test_broken_metadata_is_a_one_line_error(tmp_path):
    (tmp_path / "pilot.json").write_text("{not json")
    with pytest.raises(BurroError, match=r"not valid JSON.*pilot\.json"):
        read_metadata(tmp_path / "pilot.onnx")
    (tmp_path / "pilot.json").write_text(json.dumps({"type": "linear"}))
    with pytest.raises(BurroError, match="lacks input_shape, outputs"):
        read_metadata(tmp_path / "pilot.onnx")


def test_a_failed_h5_write_is_one_line_and_leaves_the_old_file(linear_model, tmp_path,
                                                               monkeypatch):
    old = tmp_path / "m.h5"
    old.write_bytes(b"old pilot")

    def h5py_full_disk(path, *args, **kwargs):
        raise OSError("Unable to synchronously close file (file write failed: time = now\n"
                      ", errno = 28, error message = 'No space left on device')")

    monkeypatch.setattr(linear_model, "save", h5py_full_disk)
    with pytest.raises(BurroError) as error:
        save_keras_model(linear_model, old)
    line = error.value.line()
    assert "cannot write m.h5: No space left on device" in line and "\n" not in line
    assert old.read_bytes() == b"old pilot" and [p.name for p in tmp_path.iterdir()] == ["m.h5"]


@pytest.mark.slow
def test_int8_tflite_of_a_behavior_model_calibrates_both_inputs(tmp_path):
    cfg = default_config()
    model = get_model_type("behavior").build(cfg)
    frames, _ = read_frames(SHARED_TUB, 20)
    states = np.eye(2, dtype=np.float32)
    path = tmp_path / "beh_int8.tflite"
    export_tflite(model, path, quantize="int8",
                  representative=[(frame.astype(np.float32), states[i % 2])
                                  for i, frame in enumerate(frames)])
    write_metadata(path, model_metadata("behavior", cfg))
    pilot = load(path)
    for state in states:
        angle, throttle = pilot.run(frames[0], state)
        assert -1 <= angle <= 1 and 0 <= throttle <= 0.8
