"""Pilots trained briefly on the real tub and exported to every format (built once per type)."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tests.conftest import SHARED_TUB

FRAMES = 200
FORMATS = (".keras", ".h5", ".tflite", ".onnx")


def read_frames(tub: Path, count: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The first `count` records of the real tub: uint8 frames and their user controls."""
    with open(tub / "catalog_0.catalog", encoding="utf-8") as catalog:
        records = [json.loads(line) for _, line in zip(range(count), catalog)]
    frames = np.stack([np.asarray(Image.open(tub / "images" / r["cam/image_array"]))
                       for r in records])
    columns = {key: np.array([r[key] for r in records]) for key in ("user/angle", "user/throttle")}
    return frames, columns


@pytest.fixture(scope="session")
def real_frames() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return read_frames(SHARED_TUB, FRAMES)


@pytest.fixture(scope="session")
def trained_pilots(tmp_path_factory, real_frames):
    """{type: stem path} of each type trained 1 epoch with CROP and exported to all formats."""
    from burro.config import default_config
    from burro.models import get_model_type
    from burro.models.export import export_onnx, export_tflite, save_keras_model
    from burro.models.metadata import model_metadata, write_metadata

    frames, columns = real_frames
    folder = tmp_path_factory.mktemp("pilots")
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["CROP"]
    stems = {}
    for name in ("linear", "categorical", "inferred"):
        model_type = get_model_type(name)
        model = model_type.build(cfg)
        model_type.compile(model, cfg)
        model.fit(frames.astype(np.float32), model_type.targets(columns, cfg), batch_size=32,
                  epochs=1, verbose=0)
        stem = folder / name
        save_keras_model(model, stem.with_suffix(".keras"))
        save_keras_model(model, stem.with_suffix(".h5"))
        export_tflite(model, stem.with_suffix(".tflite"))
        export_onnx(model, stem.with_suffix(".onnx"))
        write_metadata(stem.with_suffix(".keras"), model_metadata(name, cfg))
        stems[name] = stem
    return stems


BEHAVIOR_ANGLES = (-0.5, 0.5)  # what the behaviour pilot learns to steer in state 0 / 1
BEHAVIOR_FORMATS = FORMATS


def behavior_columns(count: int) -> dict[str, np.ndarray]:
    """Alternating behaviour states whose steering differs: the image alone cannot tell it."""
    state = np.arange(count) % 2
    return {"user/angle": np.asarray(BEHAVIOR_ANGLES)[state], "user/throttle": np.full(count, 0.3),
            "behavior/one_hot_state_array": np.eye(2)[state]}


@pytest.fixture(scope="session")
def behavior_pilot(tmp_path_factory, real_frames):
    """Stem of a behavior pilot trained (in-process, ~15 s) until the state steers it,
    exported to every format with its metadata."""
    import keras

    from burro.config import default_config
    from burro.models import get_model_type
    from burro.models.export import export_onnx, export_tflite, save_keras_model
    from burro.models.metadata import model_metadata, write_metadata

    frames = real_frames[0][:64]
    columns = behavior_columns(len(frames))
    cfg = default_config()
    keras.utils.set_random_seed(2)
    model_type = get_model_type("behavior")
    model = model_type.build(cfg)
    model_type.compile(model, cfg)
    model.fit({"img_in": frames.astype(np.float32), **model_type.inputs(columns, cfg)},
              model_type.targets(columns, cfg), batch_size=16, epochs=25, verbose=0)
    stem = tmp_path_factory.mktemp("behavior-pilot") / "beh"
    save_keras_model(model, stem.with_suffix(".keras"))
    save_keras_model(model, stem.with_suffix(".h5"))
    export_tflite(model, stem.with_suffix(".tflite"))
    export_onnx(model, stem.with_suffix(".onnx"))
    write_metadata(stem.with_suffix(".keras"), model_metadata("behavior", cfg))
    return stem
