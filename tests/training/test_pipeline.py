"""The tf.data pipeline on real tub frames: decoding, caching, shuffling, raw pixel values."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from burro.training.pipeline import decode_frames, training_dataset, validation_dataset

tf = pytest.importorskip("tensorflow")


@pytest.fixture
def image_paths(shared_tub_path):
    return [str(shared_tub_path / "images" / f"{index}_cam_image_array_.jpg")
            for index in range(40)]


def test_decoded_frames_are_the_raw_jpeg_pixels(image_paths):
    frames, bad = decode_frames(image_paths, 120, 160, 3)
    assert bad == []
    cached = frames.cache.numpy()
    assert cached.shape == (40, 120, 160, 3) and cached.dtype == np.uint8
    pillow = np.asarray(Image.open(image_paths[7]).convert("RGB"))
    assert np.abs(cached[7].astype(int) - pillow).mean() < 2  # same JPEG, decoder rounding


def test_unreadable_images_are_reported_not_fatal(image_paths, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(Path(image_paths[0]).read_bytes()[:300])
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    paths = [image_paths[0], str(broken), image_paths[1], str(empty), str(tmp_path / "gone.jpg")]
    frames, bad = decode_frames(paths, 120, 160, 3)
    assert bad == [1, 3, 4]
    assert len(frames) == 2 and frames.cache.shape[0] == 2


def test_other_image_sizes_are_resized_like_donkey(image_paths, tmp_path):
    small = tmp_path / "small.jpg"
    Image.open(image_paths[0]).resize((80, 60)).save(small)
    frames, bad = decode_frames([str(small)], 120, 160, 3)
    assert bad == [] and frames.cache.shape == (1, 120, 160, 3)


def test_training_batches_are_float_pixels_reshuffled_every_epoch(image_paths):
    frames, _ = decode_frames(image_paths, 120, 160, 3)
    rows = np.arange(0, 40, 2)
    targets = {"n_outputs0": rows.astype(np.float32)[:, None]}
    dataset = training_dataset(frames, rows, targets, batch_size=8, seed=1)
    epochs = [[(x.numpy(), y["n_outputs0"].numpy()[:, 0]) for x, y in dataset] for _ in range(2)]
    orders = [np.concatenate([y for _, y in epoch]) for epoch in epochs]
    assert sorted(orders[0]) == sorted(rows.astype(np.float32))
    assert not np.array_equal(orders[0], orders[1])
    x, y = epochs[0][0]
    assert x.dtype == np.float32 and x.max() > 1.5  # raw 0..255, never normalised here
    cached = frames.cache.numpy()
    np.testing.assert_array_equal(x, cached[y.astype(int)].astype(np.float32))


def test_without_cache_the_same_frames_come_from_the_files(image_paths):
    cached, _ = decode_frames(image_paths, 120, 160, 3)
    streamed, _ = decode_frames(image_paths, 120, 160, 3, keep=False)
    assert streamed.cache is None
    rows = np.arange(10, 30)
    targets = {"t": rows.astype(np.float32)}
    from_ram = np.concatenate([x for x, _ in validation_dataset(cached, rows, targets, 8)])
    from_disk = np.concatenate([x for x, _ in validation_dataset(streamed, rows, targets, 8)])
    np.testing.assert_array_equal(from_ram, from_disk)


def test_augmentation_runs_inside_the_training_pipeline(image_paths):
    from burro.config import default_config
    from burro.training.augment import make_augmenter

    cfg = default_config()
    cfg.AUGMENTATIONS = ["MULTIPLY"]
    cfg.AUG_PROBABILITY = 1.0
    cfg.AUG_MULTIPLY_RANGE = (0.5, 0.5)
    frames, _ = decode_frames(image_paths, 120, 160, 3)
    rows = np.arange(8)
    dataset = training_dataset(frames, rows, {"t": rows.astype(np.float32)}, 8, 1,
                               make_augmenter(cfg))
    x, y = next(iter(dataset))
    expected = frames.cache.numpy()[y["t"].numpy().astype(int)] * 0.5
    np.testing.assert_allclose(x.numpy(), expected, atol=1e-4)
