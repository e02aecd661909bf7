"""The tf.data input pipeline: JPEG files -> decoded uint8 frames -> batches of raw pixels.

1. One parallel decoding pass (`decode_frames`: tf.io.decode_image, which runs the JPEG
   decoder, with num_parallel_calls=AUTOTUNE) reads every image once before training: it
   finds unreadable files up front (they are skipped and counted, never fail an epoch),
   resizes frames of another size, and keeps what the cache policy says in RAM.
2. Per epoch (`training_dataset` / `validation_dataset`): shuffle the row numbers, batch,
   gather the batch's frames (from RAM, or decode them again), cast to float32, augment the
   whole batch in-graph, prefetch. Nothing runs Python per sample.

Cache policies (`CACHE_POLICY`, Donkey's key and values; `choose_cache_policy`):
ARRAY keeps the decoded uint8 frames (57.6 kB per 160x120 RGB frame), BINARY keeps the image
files' bytes as they are on disk (a few kB each; decoded again every epoch), NOCACHE reads
and decodes the files every epoch. Unlike Donkey's cache, none holds an augmented image, so
augmentations are drawn afresh every epoch.

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
CACHE_POLICIES = ("ARRAY", "BINARY", "NOCACHE")
CACHE_MEANINGS = {"ARRAY": "decoded frames kept in RAM",
                  "BINARY": "image files' bytes kept in RAM, decoded every epoch",
                  "NOCACHE": "image files read and decoded every epoch"}

Augmenter = Callable[[tf.Tensor, tf.Tensor], tf.Tensor]


@dataclass
class Frames:
    """The frames of a record list: decoded in `cache` (N, H, W, C), or as file bytes in
    `encoded`, or neither (read from `paths` every epoch)."""

    paths: np.ndarray  # str, one per kept record
    cache: tf.Variable | None
    height: int
    width: int
    depth: int
    encoded: tf.Tensor | None = None

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def policy(self) -> str:
        return "ARRAY" if self.cache is not None else "BINARY" if self.encoded is not None \
            else "NOCACHE"


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


def choose_cache_policy(policy: str, cache_images: bool, paths: list[str], height: int,
                        width: int, depth: int) -> str:
    """The policy training uses: CACHE_IMAGES False (`--no-cache`) means NOCACHE whatever
    CACHE_POLICY says; a cache that does not fit in RAM falls back (ARRAY -> BINARY ->
    NOCACHE) with one log line."""
    if policy not in CACHE_POLICIES:  # the config checks it; this guards direct callers
        raise ValueError(f"CACHE_POLICY must be one of {', '.join(CACHE_POLICIES)}: {policy!r}")
    if not cache_images:
        policy = "NOCACHE"
    if policy == "ARRAY" and not cache_fits(len(paths), height, width, depth):
        log.info("decoded frames (%.1f GB) do not fit in RAM: keeping the image files' bytes "
                 "instead (CACHE_POLICY BINARY)", len(paths) * height * width * depth / 1e9)
        policy = "BINARY"
    if policy == "BINARY" and not _files_fit(paths):
        log.info("the image files do not fit in RAM: reading them again every epoch "
                 "(CACHE_POLICY NOCACHE)")
        policy = "NOCACHE"
    log.debug("image cache: CACHE_POLICY %s (%s)", policy, CACHE_MEANINGS[policy])
    return policy


def _files_fit(paths: list[str]) -> bool:
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total < RAM_SHARE_FOR_CACHE * available_ram_bytes()


def _decode_bytes(contents: tf.Tensor, height: int, width: int, depth: int) -> tf.Tensor:
    """One JPEG (or PNG) file's bytes -> (H, W, C) uint8, resized (like Donkey) when the
    camera size differs."""
    image = tf.io.decode_image(contents, channels=depth, expand_animations=False)
    shape = tf.shape(image)
    image = tf.cond(
        tf.logical_and(tf.equal(shape[0], height), tf.equal(shape[1], width)),
        lambda: image,
        lambda: tf.cast(tf.clip_by_value(tf.round(
            tf.image.resize(image, [height, width])), 0, 255), tf.uint8),
    )
    return tf.ensure_shape(image, [height, width, depth])


def decode_frames(paths: list[str], height: int, width: int, depth: int,
                  policy: str = "ARRAY") -> tuple[Frames, list[int]]:
    """Decode every image in parallel once; returns the frames and the rows that failed.

    `policy` (one of CACHE_POLICIES) says what stays in RAM for training.
    """
    count = len(paths)
    rows = tf.data.Dataset.from_tensor_slices((np.arange(count), np.asarray(paths, dtype=str)))
    decoded = (rows.map(lambda row, path: _decode_row(row, path, height, width, depth, policy),
                        num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)
               .ignore_errors()
               .batch(DECODE_BATCH)
               .prefetch(2))
    # Frames go straight into the variable: filling a NumPy array and then making the
    # variable from it took 2.9 s more for 12.5k frames and held them twice in RAM.
    cache = tf.Variable(tf.zeros((count, height, width, depth), tf.uint8), trainable=False,
                        name="frame_cache") if policy == "ARRAY" else None
    encoded = np.empty(count, dtype=object) if policy == "BINARY" else None
    ok = np.zeros(count, dtype=bool)
    for batch_rows, batch_kept in decoded:
        ok[batch_rows.numpy()] = True
        if cache is not None:
            cache.scatter_update(tf.IndexedSlices(batch_kept, batch_rows))
        elif encoded is not None:
            encoded[batch_rows.numpy()] = list(batch_kept.numpy())
    bad = np.flatnonzero(~ok).tolist()
    kept_paths = np.asarray(paths, dtype=str)[ok]
    if cache is not None and bad:
        cache = tf.Variable(tf.gather(cache, np.flatnonzero(ok)), trainable=False,
                            name="frame_cache")
    kept_bytes = tf.constant(list(encoded[ok])) if encoded is not None and ok.any() else None
    return Frames(kept_paths, cache, height, width, depth, kept_bytes), bad


def _decode_row(row: tf.Tensor, path: tf.Tensor, height: int, width: int, depth: int,
                policy: str) -> tuple[tf.Tensor, tf.Tensor]:
    """(row, what to keep): the frame for ARRAY, the file's bytes for BINARY, nothing else."""
    contents = tf.io.read_file(path)
    image = _decode_bytes(contents, height, width, depth)
    if policy == "ARRAY":
        return row, image
    with tf.control_dependencies([image]):  # still decode: a broken file must fail here
        return row, tf.identity(contents) if policy == "BINARY" else tf.zeros([], tf.uint8)


def training_dataset(frames: Frames, rows: np.ndarray, targets: Mapping[str, np.ndarray],
                     batch_size: int, seed: int, augment: Augmenter | None = None,
                     shuffle_buffer: int | None = None,
                     inputs: Mapping[str, np.ndarray] | None = None) -> tf.data.Dataset:
    """Frames `rows` with their `targets`, shuffled each epoch, augmented, batched.

    Elements are (x, y): x = the model's `img_in`, float32 (B, H, W, C) in 0..255, and
    y = {output name: targets}. With extra model `inputs` ({input name: values of `rows`},
    e.g. `xbehavior_in`), x is {"img_in": frames, **inputs}; augmentations touch only the
    frames. `shuffle_buffer` None shuffles over all rows (a new permutation every epoch); a
    number uses a buffer that size (0: no shuffling), for benchmarks.
    """
    samples = _rows_and_targets(rows, targets, inputs)
    buffer = len(rows) if shuffle_buffer is None else shuffle_buffer
    if buffer:
        samples = samples.shuffle(buffer, seed=seed, reshuffle_each_iteration=True)
    batches = _load_batches(frames, samples, batch_size)
    if augment is not None:
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        batches = tf.data.Dataset.zip(batches, seeds).map(
            lambda xy, pair: (augment(xy[0], pair), xy[1]),
            num_parallel_calls=tf.data.AUTOTUNE)
    return _with_inputs(batches, inputs).prefetch(tf.data.AUTOTUNE)


def validation_dataset(frames: Frames, rows: np.ndarray, targets: Mapping[str, np.ndarray],
                       batch_size: int, inputs: Mapping[str, np.ndarray] | None = None
                       ) -> tf.data.Dataset:
    """Frames `rows` in record order, never augmented (x as in `training_dataset`)."""
    batches = _load_batches(frames, _rows_and_targets(rows, targets, inputs), batch_size)
    return _with_inputs(batches, inputs).prefetch(tf.data.AUTOTUNE)


def _rows_and_targets(rows: np.ndarray, targets: Mapping[str, np.ndarray],
                      inputs: Mapping[str, np.ndarray] | None = None) -> tf.data.Dataset:
    """(row, y) elements; with extra `inputs`, y is (inputs, targets) until `_with_inputs`."""
    columns = {name: np.asarray(values, dtype=np.float32) for name, values in targets.items()}
    if inputs:
        extras = {name: np.asarray(values, dtype=np.float32) for name, values in inputs.items()}
        return tf.data.Dataset.from_tensor_slices((np.asarray(rows, dtype=np.int64),
                                                   (extras, columns)))
    return tf.data.Dataset.from_tensor_slices((np.asarray(rows, dtype=np.int64), columns))


def _with_inputs(batches: tf.data.Dataset, inputs: Mapping[str, np.ndarray] | None
                 ) -> tf.data.Dataset:
    """(frames, (extras, targets)) -> ({"img_in": frames, **extras}, targets)."""
    if not inputs:
        return batches
    return batches.map(lambda x, y: ({"img_in": x, **y[0]}, y[1]),
                       num_parallel_calls=tf.data.AUTOTUNE)


def _load_batches(frames: Frames, samples: tf.data.Dataset, batch_size: int) -> tf.data.Dataset:
    if frames.cache is not None:
        cache = frames.cache
        return samples.batch(batch_size).map(
            lambda row, y: (tf.cast(tf.gather(cache, row), tf.float32), y),
            num_parallel_calls=tf.data.AUTOTUNE)
    size = (frames.height, frames.width, frames.depth)
    contents = _file_contents(frames)
    return (samples.map(lambda row, y: (_decode_bytes(contents(row), *size), y),
                     num_parallel_calls=tf.data.AUTOTUNE)
            .batch(batch_size)
            .map(lambda image, y: (tf.cast(image, tf.float32), y),
                 num_parallel_calls=tf.data.AUTOTUNE))


def _file_contents(frames: Frames) -> Callable[[tf.Tensor], tf.Tensor]:
    """row -> the bytes of its image file: from RAM (BINARY) or read from disk (NOCACHE)."""
    if frames.encoded is not None:
        encoded = frames.encoded
        return lambda row: tf.gather(encoded, row)
    paths = tf.constant(frames.paths)
    return lambda row: tf.io.read_file(tf.gather(paths, row))
