"""Transformation layers on known images: exactly which pixels CROP/TRAPEZE keep, GRAY, RESIZE."""

import cv2
import numpy as np
import pytest

from burro.config import default_config
from burro.errors import BurroError
from burro.models import get_model_type
from burro.models.transform_spec import transformation_specs
from burro.models.transforms import CropMask, Grayscale, TrapezeMask, transformation_layers

WHITE = np.full((1, 120, 160, 3), 255.0, dtype=np.float32)


def kept(layer, image=WHITE) -> np.ndarray:
    """Boolean (H, W) map of the pixels a mask layer keeps on a white image."""
    return np.asarray(layer(image))[0].max(axis=-1) > 0


def test_crop_top_keeps_rows_45_to_119_like_donkey():
    mask = kept(CropMask(top=45))
    assert not mask[:45].any()
    assert mask[45:].all()


def test_crop_on_all_sides_is_inclusive_of_h_minus_bottom_and_w_minus_right():
    mask = kept(CropMask(top=10, bottom=20, left=5, right=30))
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    # Donkey fills the rectangle [left .. W-right] x [top .. H-bottom], both ends included.
    assert (rows.min(), rows.max()) == (10, 100)
    assert (cols.min(), cols.max()) == (5, 130)
    assert mask[10:101, 5:131].all() and mask.sum() == 91 * 126


def test_crop_keeps_pixel_values_and_channels():
    image = np.random.default_rng(0).uniform(0, 255, (1, 120, 160, 3)).astype(np.float32)
    out = np.asarray(CropMask(top=45)(image))
    np.testing.assert_array_equal(out[:, 45:], image[:, 45:])
    assert np.all(out[:, :45] == 0)


def test_trapeze_keeps_the_configured_trapezoid():
    mask = kept(TrapezeMask(ll=0, lr=160, ul=20, ur=140, min_y=60, max_y=120))
    assert not mask[:60].any()
    top_row = np.flatnonzero(mask[60])
    assert (top_row.min(), top_row.max()) == (20, 140)
    bottom_row = np.flatnonzero(mask[119])
    assert bottom_row.min() <= 1 and bottom_row.max() == 159
    widths = mask[60:].sum(axis=1)
    assert np.all(np.diff(widths) >= 0)  # widens downwards
    assert mask[90, 80] and not mask[61, 5] and not mask[61, 155]


def test_gray_uses_rgb2gray_weights():
    image = np.zeros((1, 2, 2, 3), dtype=np.float32)
    image[0, 0, 0] = [255, 0, 0]
    image[0, 0, 1] = [0, 255, 0]
    image[0, 1, 0] = [0, 0, 255]
    image[0, 1, 1] = [100, 100, 100]
    out = np.asarray(Grayscale()(image))
    assert out.shape == (1, 2, 2, 1)
    np.testing.assert_allclose(out[0, :, :, 0], [[76.245, 149.685], [29.07, 100.0]], rtol=1e-5)


def test_model_with_all_transformations_reads_raw_pixels():
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["CROP", "TRAPEZE"]
    cfg.POST_TRANSFORMATIONS = ["RGB2GRAY", "RESIZE"]
    cfg.RESIZE_WIDTH, cfg.RESIZE_HEIGHT = 128, 96
    model = get_model_type("linear").build(cfg)
    names = [layer.name for layer in model.layers[1:6]]
    assert names == ["crop", "trapeze", "gray", "resize", "rescale"]
    assert model.input_shape == (None, 120, 160, 3)
    assert model.get_layer("rescale").output.shape[1:] == (96, 128, 1)
    resized = np.asarray(model.get_layer("resize")(np.full((1, 120, 160, 1), 200.0, np.float32)))
    np.testing.assert_allclose(resized, 200.0, rtol=1e-6)


@pytest.mark.parametrize("size", [(96, 128), (60, 80), (144, 192)])
def test_resize_matches_opencv_bilinear_like_donkey(size):
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["RESIZE"]
    cfg.RESIZE_HEIGHT, cfg.RESIZE_WIDTH = size
    (layer,) = transformation_layers(cfg)
    image = np.random.default_rng(1).uniform(0, 255, (120, 160, 3)).astype(np.float32)
    expected = cv2.resize(image, (size[1], size[0]), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_allclose(np.asarray(layer(image[None]))[0], expected, atol=0.01)


def test_transformation_specs_carry_their_config_values():
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["crop"]
    cfg.ROI_CROP_TOP = 30
    assert transformation_specs(cfg) == [{"name": "CROP", "ROI_CROP_TOP": 30, "ROI_CROP_BOTTOM": 0,
                                          "ROI_CROP_LEFT": 0, "ROI_CROP_RIGHT": 0}]


def test_the_same_transformation_twice_gets_unique_layer_names():
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["CROP", "CROP"]
    assert [layer.name for layer in transformation_layers(cfg)] == ["crop", "crop_1"]


def test_unknown_transformation_is_a_one_line_config_error():
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["CANNY"]
    with pytest.raises(BurroError, match="unknown transformation 'CANNY'.*TRANSFORMATIONS"):
        get_model_type("linear").build(cfg)


def test_image_too_small_for_the_network_is_a_config_error():
    cfg = default_config()
    cfg.TRANSFORMATIONS = ["RESIZE"]
    cfg.RESIZE_WIDTH, cfg.RESIZE_HEIGHT = 80, 60
    with pytest.raises(BurroError, match="60x80 image is too small"):
        get_model_type("linear").build(cfg)


def test_every_registered_transformation_builds_its_layer_from_its_declared_keys():
    from burro.models.transformations import TRANSFORMATIONS

    for name, entry in TRANSFORMATIONS.entries().items():
        cfg = default_config()
        cfg.TRANSFORMATIONS = [name.lower()]
        (spec,) = transformation_specs(cfg)
        assert spec == {"name": name, **{key.name: key.default for key in entry.keys}}
        (layer,) = transformation_layers(cfg)
        assert layer.name == name.lower()
        assert np.asarray(layer(WHITE)).shape[0] == 1


def test_donkey_grey_spellings_mean_gray():
    cfg = default_config()
    cfg.POST_TRANSFORMATIONS = ["RGB2GRAY", "grey", "rgb2grey"]
    assert [spec["name"] for spec in transformation_specs(cfg)] == ["GRAY"] * 3
