"""Augmentations on known images: ranges, statistics, edges and determinism under a seed."""

import numpy as np
import pytest

from burro.config import default_config
from burro.errors import BurroError
from burro.training.augment import AUGMENTATIONS, check_names, make_augmenter

tf = pytest.importorskip("tensorflow")

SEED = np.array([7, 11], dtype=np.int64)


def augment(images: np.ndarray, names: list[str], seed=SEED, **settings) -> np.ndarray:
    cfg = default_config()
    cfg.AUGMENTATIONS = names
    cfg.AUG_PROBABILITY = 1.0
    for key, value in settings.items():
        setattr(cfg, key, value)
    return make_augmenter(cfg)(tf.constant(images, tf.float32), tf.constant(seed)).numpy()


def grey(value: float, count: int = 16, size: int = 32) -> np.ndarray:
    return np.full((count, size, size, 3), value, dtype=np.float32)


def vertical_edge(count: int = 4) -> np.ndarray:
    images = np.zeros((count, 32, 32, 3), dtype=np.float32)
    images[:, :, 16:, :] = 200.0
    return images


def test_multiply_scales_each_image_by_one_factor_in_range():
    out = augment(grey(100.0), ["MULTIPLY"], AUG_MULTIPLY_RANGE=(0.5, 1.5))
    factors = out[:, 0, 0, 0] / 100.0
    assert np.all((factors >= 0.5) & (factors <= 1.5))
    assert np.allclose(out, factors[:, None, None, None] * 100.0, atol=1e-3)
    assert factors.std() > 0.1  # different images get different factors


def test_blur_softens_a_sharp_edge_and_keeps_the_mean():
    images = vertical_edge()
    out = augment(images, ["BLUR"], AUG_BLUR_RANGE=(2.0, 3.0))
    row = out[0, 16]
    assert 0 < row[15, 0] < 200 and 0 < row[16, 0] < 200  # the step is now a ramp
    assert np.all(np.diff(row[:, 0]) >= -1e-3)  # monotonic, no ringing
    assert out.mean() == pytest.approx(images.mean(), abs=0.5)
    np.testing.assert_allclose(out[:, 0], out[:, 31])  # blurred along columns only here


def test_blur_with_zero_sigma_changes_nothing():
    images = vertical_edge()
    np.testing.assert_allclose(augment(images, ["BLUR"], AUG_BLUR_RANGE=(0.0, 0.0)), images,
                               atol=1e-3)


def test_noise_has_the_configured_standard_deviation_and_no_bias():
    images = grey(128.0, count=8, size=64)
    residual = augment(images, ["NOISE"], AUG_NOISE_RANGE=(10.0, 10.0)) - images
    assert residual.mean() == pytest.approx(0.0, abs=0.2)
    assert residual.std() == pytest.approx(10.0, rel=0.03)


def test_contrast_keeps_each_images_mean():
    rng = np.random.default_rng(0)
    images = rng.uniform(60, 190, (8, 16, 16, 3)).astype(np.float32)
    out = augment(images, ["CONTRAST"], AUG_CONTRAST_RANGE=(0.5, 1.5))
    np.testing.assert_allclose(out.mean(axis=(1, 2)), images.mean(axis=(1, 2)), atol=1e-2)
    assert not np.allclose(out, images)


def test_brightness_shifts_within_the_donkey_range():
    out = augment(grey(100.0), ["BRIGHTNESS"], AUG_BRIGHTNESS_RANGE=0.2)
    # x * (1 + c) + b * 255 with |b|, |c| <= 0.2
    assert np.all(out >= 100 * 0.8 - 0.2 * 255 - 1e-3)
    assert np.all(out <= 100 * 1.2 + 0.2 * 255 + 1e-3)
    assert out[:, 0, 0, 0].std() > 5


def test_hue_saturation_leaves_grey_alone_and_recolours_colour():
    assert np.allclose(augment(grey(90.0), ["HUE_SATURATION"]), 90.0, atol=0.5)
    red = np.zeros((8, 4, 4, 3), np.float32)
    red[..., 0] = 130.0
    red[..., 1:] = 80.0
    out = augment(red, ["HUE_SATURATION"], AUG_HUE_RANGE=0.2, AUG_SATURATION_RANGE=(0.8, 0.9))
    assert np.abs(out - red).max() > 10
    luma = np.array([0.299, 0.587, 0.114], np.float32)
    np.testing.assert_allclose(out @ luma, red @ luma, atol=0.5)  # brightness (luma) kept


def test_shadow_darkens_one_side_of_a_line_by_a_factor_in_range():
    out = augment(grey(200.0, count=32), ["SHADOW"], AUG_SHADOW_RANGE=(0.4, 0.6))
    ratios = out / 200.0
    darkened = ratios < 0.999
    assert np.all((ratios[darkened] >= 0.4 - 1e-4) & (ratios[darkened] <= 0.6 + 1e-4))
    assert np.all(ratios[~darkened] == pytest.approx(1.0))
    share = darkened.mean(axis=(1, 2, 3))
    assert share.min() < 0.5 < share.max()  # random lines, random sides


def test_results_are_clipped_to_pixel_range():
    out = augment(grey(250.0), ["MULTIPLY", "NOISE"], AUG_MULTIPLY_RANGE=(1.5, 2.0))
    assert out.max() <= 255.0 and out.min() >= 0.0


def test_same_seed_same_result_other_seed_other_result():
    images = vertical_edge(8)
    names = list(AUGMENTATIONS)
    first = augment(images, names)
    np.testing.assert_array_equal(first, augment(images, names))
    assert not np.allclose(first, augment(images, names, seed=np.array([1, 2])))


def test_probability_zero_changes_nothing_and_half_changes_about_half():
    cfg = default_config()
    cfg.AUGMENTATIONS = ["MULTIPLY"]
    cfg.AUG_MULTIPLY_RANGE = (2.0, 2.0)
    images = tf.constant(grey(50.0, count=400, size=2))
    cfg.AUG_PROBABILITY = 0.0
    assert np.array_equal(make_augmenter(cfg)(images, tf.constant(SEED)).numpy(), images.numpy())
    cfg.AUG_PROBABILITY = 0.5
    changed = make_augmenter(cfg)(images, tf.constant(SEED)).numpy()[:, 0, 0, 0] > 50.0
    assert 0.4 < changed.mean() < 0.6


def test_no_augmentations_means_no_augmenter():
    assert make_augmenter(default_config()) is None


def test_unknown_name_is_one_line_listing_the_valid_ones():
    with pytest.raises(BurroError) as error:
        check_names(["multiply", "FLIP"])
    line = error.value.line()
    assert "'FLIP'" in line and "AUGMENTATIONS" in line and "\n" not in line
    assert all(name in line for name in AUGMENTATIONS)
    assert check_names(["multiply", "blur"]) == ["MULTIPLY", "BLUR"]


def test_colour_augmentations_are_refused_for_grey_frames_before_tensorflow():
    from burro.training.augment import check_augmentations

    cfg = default_config()
    cfg.AUGMENTATIONS, cfg.IMAGE_DEPTH = ["MULTIPLY", "hue_saturation"], 1
    with pytest.raises(BurroError) as error:
        check_augmentations(cfg)
    assert error.value.line() == (
        "HUE_SATURATION needs colour frames but IMAGE_DEPTH is 1 (AUGMENTATIONS / IMAGE_DEPTH) "
        "— set IMAGE_DEPTH = 3 or drop HUE_SATURATION from AUGMENTATIONS")
    cfg.AUGMENTATIONS = [name for name in AUGMENTATIONS if not AUGMENTATIONS.get(name).needs_colour]
    check_augmentations(cfg)  # the others work on one channel
    cfg.IMAGE_DEPTH, cfg.AUGMENTATIONS = 3, list(AUGMENTATIONS)
    check_augmentations(cfg)


def test_burro_train_says_grey_frames_cannot_take_hue_in_one_line(shared_tub_path, tmp_path):
    import subprocess
    import sys

    argv = [sys.executable, "-m", "burro", "train", "--car", str(tmp_path),
            "--tub", str(shared_tub_path), "--set", 'AUGMENTATIONS=["HUE_SATURATION"]',
            "--set", "IMAGE_DEPTH=1"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "burro: error: HUE_SATURATION needs colour frames but IMAGE_DEPTH is 1 "
        "(AUGMENTATIONS / IMAGE_DEPTH) — set IMAGE_DEPTH = 3 or drop HUE_SATURATION from "
        "AUGMENTATIONS"]
    assert not (tmp_path / "models").exists()
