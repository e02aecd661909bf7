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
    streamed, _ = decode_frames(image_paths, 120, 160, 3, policy="NOCACHE")
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


@pytest.mark.parametrize("policy", ["BINARY", "NOCACHE"])
def test_every_cache_policy_gives_the_same_frames(image_paths, policy):
    cached, _ = decode_frames(image_paths, 120, 160, 3, policy="ARRAY")
    other, bad = decode_frames(image_paths, 120, 160, 3, policy=policy)
    assert bad == [] and other.cache is None and other.policy == policy
    if policy == "BINARY":  # the files' own bytes, not a re-encoded copy (Donkey re-encodes)
        assert other.encoded.numpy()[5] == Path(image_paths[5]).read_bytes()
    else:
        assert other.encoded is None
    rows = np.arange(3, 33)
    targets = {"t": rows.astype(np.float32)}
    expected = np.concatenate([x for x, _ in validation_dataset(cached, rows, targets, 8)])
    got = np.concatenate([x for x, _ in validation_dataset(other, rows, targets, 8)])
    np.testing.assert_array_equal(got, expected)
    x, y = next(iter(training_dataset(other, rows, targets, 8, seed=1)))
    np.testing.assert_array_equal(x.numpy(), cached.cache.numpy()[y["t"].numpy().astype(int)])


def test_binary_cache_skips_unreadable_files_up_front(image_paths, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(Path(image_paths[0]).read_bytes()[:300])
    frames, bad = decode_frames([image_paths[0], str(broken), image_paths[1]], 120, 160, 3,
                                policy="BINARY")
    assert bad == [1] and frames.encoded.shape == (2,)


def test_cache_images_and_cache_policy_combine(image_paths, monkeypatch, caplog):
    from burro.training import pipeline

    choose = pipeline.choose_cache_policy
    assert choose("ARRAY", True, image_paths, 120, 160, 3) == "ARRAY"
    assert choose("BINARY", True, image_paths, 120, 160, 3) == "BINARY"
    assert choose("NOCACHE", True, image_paths, 120, 160, 3) == "NOCACHE"
    for policy in pipeline.CACHE_POLICIES:  # CACHE_IMAGES False / --no-cache wins
        assert choose(policy, False, image_paths, 120, 160, 3) == "NOCACHE"
    frame_bytes = 40 * 120 * 160 * 3
    monkeypatch.setattr(pipeline, "available_ram_bytes", lambda: frame_bytes)  # arrays too big
    with caplog.at_level("INFO", logger="burro.training"):
        assert choose("ARRAY", True, image_paths, 120, 160, 3) == "BINARY"
    assert "do not fit in RAM" in caplog.text and "CACHE_POLICY BINARY" in caplog.text
    monkeypatch.setattr(pipeline, "available_ram_bytes", lambda: 1000)  # files too big too
    assert choose("ARRAY", True, image_paths, 120, 160, 3) == "NOCACHE"
    with pytest.raises(ValueError, match="ARRAY, BINARY, NOCACHE"):
        choose("array", True, image_paths, 120, 160, 3)


def test_a_wrong_cache_policy_is_a_one_line_config_error(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "burro", "config", "check", "--car",
                           str(tmp_path), "--set", "CACHE_POLICY='RAM'"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "CACHE_POLICY" in lines[0] and "'NOCACHE'" in lines[0]


@pytest.mark.slow
def test_train_honours_cache_policy(shared_tub_path, tmp_path, caplog):
    from burro.config import default_config
    from burro.training import train

    cfg = default_config()
    cfg.CAR_PATH = str(tmp_path)
    cfg.MAX_EPOCHS = 1
    cfg.BATCH_SIZE = 128
    cfg.PRINT_MODEL_SUMMARY = cfg.VERBOSE_TRAIN = cfg.SHOW_PLOT = False
    cfg.CREATE_TF_LITE = cfg.CREATE_ONNX = False
    cfg.CACHE_POLICY = "BINARY"
    with caplog.at_level("DEBUG", logger="burro.training"):
        result = train(cfg, str(shared_tub_path), tmp_path / "binary.keras", "linear")
    assert result.records_used == 1000
    assert "image cache: CACHE_POLICY BINARY" in caplog.text


def test_the_decode_pass_does_not_hold_the_frames_twice(shared_tub_path):
    # The old pass filled a NumPy array and then copied it into the variable: twice the RAM
    # at its peak and 2.9 s more for 12.5k frames (benchmarks/large_tub_bench.py).
    import tracemalloc

    paths = [str(shared_tub_path / "images" / f"{index}_cam_image_array_.jpg")
             for index in range(200)]
    frame_bytes = 200 * 120 * 160 * 3
    tracemalloc.start()
    try:
        frames, _ = decode_frames(paths, 120, 160, 3, policy="ARRAY")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert frames.cache.shape == (200, 120, 160, 3)
    assert peak < frame_bytes / 4  # NumPy never holds the frames (TensorFlow's copy does)
