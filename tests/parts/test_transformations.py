"""The Transformations part (TRANSFORMATIONS before a Donkey pilot) against burro's in-model
layers on the same real tub frame: both must give the pilot the same pixels."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tests.conftest import SHARED_TUB

from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.transformations import Transformations

DONKEY_DATA = Path(__file__).resolve().parents[1] / "data" / "donkey"


@pytest.fixture(scope="module")
def frame() -> np.ndarray:
    with open(SHARED_TUB / "catalog_0.catalog", encoding="utf-8") as catalog:
        name = json.loads(next(catalog))["cam/image_array"]
    return np.asarray(Image.open(SHARED_TUB / "images" / name))


def through_layers(cfg: dict, frame: np.ndarray) -> np.ndarray:
    from burro.models.transforms import transformation_layers

    batch = frame.astype(np.float32)[None]
    for layer in transformation_layers(cfg):
        batch = np.asarray(layer(batch))
    return batch[0]


CONFIGS = {
    "crop": ({"TRANSFORMATIONS": ["CROP"], "ROI_CROP_TOP": 45, "ROI_CROP_LEFT": 10,
              "ROI_CROP_RIGHT": 7, "ROI_CROP_BOTTOM": 3}, 0),
    "trapeze": ({"TRANSFORMATIONS": ["TRAPEZE"]}, 0),  # Donkey's default trapezoid
    "crop+trapeze": ({"TRANSFORMATIONS": ["CROP", "TRAPEZE"]}, 0),
    "resize": ({"TRANSFORMATIONS": ["RESIZE"], "RESIZE_WIDTH": 80, "RESIZE_HEIGHT": 60}, 0.5),
    "gray (post)": ({"TRANSFORMATIONS": ["CROP"], "POST_TRANSFORMATIONS": ["RGB2GRAY"]}, 0.5),
}


@pytest.mark.parametrize("case", list(CONFIGS))
def test_part_gives_what_the_in_model_layers_give(case, frame):
    """Masks agree exactly; RESIZE and GRAY differ only by the part's rounding to uint8."""
    cfg, tolerance = CONFIGS[case]
    part = Transformations.from_config(cfg)
    out = part.run(frame)
    layers = through_layers(cfg, frame)
    assert out.dtype == np.uint8
    if out.ndim == 2:  # GRAY gives (H, W), as OpenCV does; the layer keeps a channel axis
        out = out[..., None]
    assert out.shape == layers.shape
    assert np.abs(out.astype(np.float32) - layers).max() <= tolerance + 1e-3
    assert out.shape != frame.shape or not np.array_equal(out, frame)  # it did something


def test_crop_zeroes_rows_as_donkey_and_keeps_the_size(frame):
    out = Transformations([{"name": "CROP", "ROI_CROP_TOP": 45, "ROI_CROP_BOTTOM": 0,
                            "ROI_CROP_LEFT": 0, "ROI_CROP_RIGHT": 0}]).run(frame)
    assert out.shape == frame.shape
    assert not out[:45].any()
    np.testing.assert_array_equal(out[45:], frame[45:])  # Donkey keeps rows 45..119


def test_order_transformations_then_post_and_names():
    part = Transformations.from_config({"TRANSFORMATIONS": ["trapeze"],
                                        "POST_TRANSFORMATIONS": ["CROP"]})
    assert part.names() == ["TRAPEZE", "CROP"]


def test_none_frame_gives_none():
    assert Transformations.from_config({"TRANSFORMATIONS": ["CROP"]}).run(None) is None


def test_unknown_transformation_is_a_one_line_error_at_start():
    with pytest.raises(BurroError, match="unknown transformation 'BLURRY'.*TRANSFORMATIONS"):
        Transformations.from_config({"TRANSFORMATIONS": ["BLURRY"]})


def test_registered_as_transformations():
    assert PARTS.get("Transformations") is Transformations


def test_only_a_donkey_pilot_gets_the_part(frame):
    """A burro pilot applies its transformations inside the model: never twice."""
    from burro.parts.pilot import PilotPart

    cfg = {"TRANSFORMATIONS": ["CROP"], "IMAGE_W": 80, "IMAGE_H": 80, "IMAGE_DEPTH": 3}
    donkey = PilotPart(DONKEY_DATA / "5.3.0" / "linear.tflite", "tflite_linear", cfg=cfg,
                       reload=False)
    assert donkey.is_donkey
    assert "trained by Donkey" in donkey.startup_line()
    part = Transformations.for_pilot(cfg, donkey)
    assert part is not None and part.names() == ["CROP"]
    assert Transformations.for_pilot({**cfg, "TRANSFORMATIONS": []}, donkey) is None

    class BurroPilot:  # what burro.pilots.load gives for a pilot with its .json
        donkey = False

    assert Transformations.for_pilot(cfg, BurroPilot()) is None


def test_donkey_pilot_drives_on_the_transformed_frame():
    frames = np.load(DONKEY_DATA / "5.3.0" / "frames.npz")["frames"]
    from burro.parts.pilot import PilotPart

    cfg = {"TRANSFORMATIONS": ["CROP"], "ROI_CROP_TOP": 40, "IMAGE_W": 80, "IMAGE_H": 80,
           "IMAGE_DEPTH": 3}
    pilot = PilotPart(DONKEY_DATA / "5.3.0" / "linear.tflite", "tflite_linear", cfg=cfg,
                      reload=False)
    part = Transformations.for_pilot(cfg, pilot)
    masked = frames[0].copy()
    masked[:40] = 0
    angle, throttle, _ = pilot.run(part.run(frames[0]), 1.0)
    assert (angle, throttle) == pytest.approx(pilot.pilot.run(masked), abs=1e-6)
    assert (angle, throttle) != pytest.approx(pilot.pilot.run(frames[0]), abs=1e-6)
