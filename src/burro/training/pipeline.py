"""The tf.data input pipeline: JPEG files -> decoded uint8 frames -> batches of raw pixels.

1. One parallel decoding pass (`decode_frames`: tf.io.decode_image, which runs the JPEG
   decoder, with num_parallel_calls=AUTOTUNE) reads every image once before training: it
   finds unreadable files up front (they are skipped and counted, never fail an epoch),
   resizes frames of another size, and, when the frames fit in RAM, keeps them as one uint8
   array.
2. Per epoch (`training_dataset` / `validation_dataset`): shuffle the row numbers, batch,
   gather the batch's frames (from RAM, or decode them again when not cached), cast to
   float32, augment the whole batch in-graph, prefetch. Nothing runs Python per sample.

The model takes raw 0..255 pixels (its input `img_in`): scaling and transformations live inside it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

log = logging.getLogger("burro.training")

RAM_SHARE_FOR_CACHE = 0.5  # cache frames only when they take under half of the free RAM
DECODE_BATCH = 256

Augmenter = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]


@dataclass
class Frames:
    """Decoded frames of a record list: `cache` holds them all (N, H, W, C) or is None."""

    paths: np.ndarray  # str, one per kept record
    cache: tf.Variable | None
    height: int
    width: int
    depth: int

    def __len__(self) -> int:
        return len(self.paths)


def available_ram_bytes() -> int:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def cache_fits(count: int, height: int, width: int, depth: int) -> bool:
    return count * height * width * depth < RAM_SHARE_FOR_CACHE * available_ram_bytes()


def _decode(path: tf.Tensor, height: int, width: int, depth: int) -> tf.Tensor:
    """One JPEG (or PNG) file -> (H, W, C) uint8, resized (like Donkey) when the camera size differs."""
    image = tf.io.decode_image(tf.io.read_file(path), channels=depth, expand_animations=False)
    shape = tf.shape(image)
    image = tf.cond(
        tf.logical_and(tf.equal(shape[0], height), tf.equal(shape[1], width)),
        lambda: image,
        lambda: tf.cast(tf.clip_by_value(tf.round(
            tf.image.resize(image, [height, width])), 0, 255), tf.uint8),
    )
    return tf.ensure_shape(image, [height, width, depth])


def decode_frames(paths: list[str], height: int, width: int, depth: int,
                  keep: bool = True) -> tuple[Frames, list[int]]:
    """Decode every image in parallel once; returns the frames and the rows that failed.

    With `keep`, the decoded frames are kept in RAM for training (`Frames.cache`).
    """
    count = len(paths)
    rows = tf.data.Dataset.from_tensor_slices((np.arange(count), np.asarray(paths, dtype=str)))
    decoded = (rows.map(lambda row, path: (row, _decode(path, height, width, depth)),
                        num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)
               .ignore_errors()
               .batch(DECODE_BATCH)
               .prefetch(2))
    frames = np.empty((count, height, width, depth), np.uint8) if keep else None
    ok = np.zeros(count, dtype=bool)
    for batch_rows, batch_images in decoded:
        batch_rows = batch_rows.numpy()
        ok[batch_rows] = True
        if frames is not None:
            frames[batch_rows] = batch_images.numpy()
    bad = np.flatnonzero(~ok).tolist()
    for row in bad[:5]:
        log.warning("skipped unreadable image %s", paths[row])
    if len(bad) > 5:
        log.warning("... and %d more unreadable images", len(bad) - 5)
    kept_paths = np.asarray(paths, dtype=str)[ok]
    cache = None
    if frames is not None:
        cache = tf.Variable(frames[ok] if bad else frames, trainable=False, name="frame_cache")
    return Frames(kept_paths, cache, height, width, depth), bad


def training_dataset(frames: Frames, rows: np.ndarray, targets: Mapping[str, np.ndarray],
                     batch_size: int, seed: int,
                     augment: Augmenter | None = None) -> tf.data.Dataset:
    """Frames `rows` with their `targets`, shuffled each epoch, augmented, batched.

    Elements are (x, y): x = the model's `img_in`, float32 (B, H, W, C) in 0..255, and
    y = {output name: targets}.
    """
    samples = _rows_and_targets(rows, targets)
    samples = samples.shuffle(len(rows), seed=seed, reshuffle_each_iteration=True)
    batches = _load_batches(frames, samples, batch_size)
    if augment is not None:
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        batches = tf.data.Dataset.zip(batches, seeds).map(
            lambda xy, pair: (augment(xy[0], pair), xy[1]),
            num_parallel_calls=tf.data.AUTOTUNE)
    return batches.prefetch(tf.data.AUTOTUNE)


def validation_dataset(frames: Frames, rows: np.ndarray, targets: Mapping[str, np.ndarray],
                       batch_size: int) -> tf.data.Dataset:
    """Frames `rows` in record order, never augmented."""
    return _load_batches(frames, _rows_and_targets(rows, targets), batch_size).prefetch(
        tf.data.AUTOTUNE)


def _rows_and_targets(rows: np.ndarray, targets: Mapping[str, np.ndarray]) -> tf.data.Dataset:
    columns = {name: np.asarray(values, dtype=np.float32) for name, values in targets.items()}
    return tf.data.Dataset.from_tensor_slices((np.asarray(rows, dtype=np.int64), columns))


def _load_batches(frames: Frames, samples: tf.data.Dataset, batch_size: int) -> tf.data.Dataset:
    if frames.cache is not None:
        cache = frames.cache
        return samples.batch(batch_size).map(
            lambda row, y: (tf.cast(tf.gather(cache, row), tf.float32), y),
            num_parallel_calls=tf.data.AUTOTUNE)
    paths = tf.constant(frames.paths)
    size = (frames.height, frames.width, frames.depth)
    return (samples.map(lambda row, y: (_decode(tf.gather(paths, row), *size), y),
                     num_parallel_calls=tf.data.AUTOTUNE)
            .batch(batch_size)
            .map(lambda image, y: (tf.cast(image, tf.float32), y),
                 num_parallel_calls=tf.data.AUTOTUNE))
