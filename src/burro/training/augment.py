"""Training-only image augmentations as batched, in-graph TensorFlow ops.

Each augmentation works on a float32 batch of raw pixels (B, H, W, C) in 0..255 and draws
its random values per image from a stateless seed, so a run is reproducible under a seed and
the ops run inside tf.data without Python. Like Donkey (albumentations, p=0.5), every named
augmentation is applied to each image with probability AUG_PROBABILITY, in the listed order.

Hand-written TF ops rather than Keras preprocessing layers because every op here needs a
per-image on/off switch, Donkey's parameter ranges and stateless seeds; the layers offer
none of the three together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

from burro.errors import BurroError

Augmentation = Callable[[tf.Tensor, tf.Tensor, Any], tf.Tensor]
BLUR_KERNEL_SIZE = 13  # Donkey's fixed 13x13 Gaussian kernel


def _uniform(seed: tf.Tensor, batch: tf.Tensor, low: float, high: float) -> tf.Tensor:
    """One value per image, shaped (B, 1, 1, 1) to broadcast over pixels."""
    return tf.random.stateless_uniform([batch, 1, 1, 1], seed, minval=low, maxval=high)


def multiply(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    low, high = cfg.AUG_MULTIPLY_RANGE
    return images * _uniform(seed, tf.shape(images)[0], low, high)


def brightness(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    """Donkey's RandomBrightnessContrast: x * (1 + c) + b * 255 with b, c in +/- range."""
    limit = float(cfg.AUG_BRIGHTNESS_RANGE)
    contrast_seed, brightness_seed = tf.unstack(tf.random.split(seed, 2))
    batch = tf.shape(images)[0]
    alpha = 1.0 + _uniform(contrast_seed, batch, -limit, limit)
    beta = _uniform(brightness_seed, batch, -limit, limit) * 255.0
    return images * alpha + beta


def contrast(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    """Scale each image's distance from its own mean (per channel) by a factor in range."""
    low, high = cfg.AUG_CONTRAST_RANGE
    mean = tf.reduce_mean(images, axis=[1, 2], keepdims=True)
    return (images - mean) * _uniform(seed, tf.shape(images)[0], low, high) + mean


def hue_saturation(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    """Rotate hue by +/- AUG_HUE_RANGE (fraction of the colour circle), scale saturation."""
    if images.shape[-1] != 3:
        raise BurroError("HUE_SATURATION needs colour images", "IMAGE_DEPTH",
                         "set IMAGE_DEPTH = 3 or drop HUE_SATURATION from AUGMENTATIONS")
    hue_seed, saturation_seed = tf.unstack(tf.random.split(seed, 2))
    batch = tf.shape(images)[0]
    hsv = tf.image.rgb_to_hsv(tf.clip_by_value(images, 0.0, 255.0) / 255.0)
    hue_shift = _uniform(hue_seed, batch, -cfg.AUG_HUE_RANGE, cfg.AUG_HUE_RANGE)
    low, high = cfg.AUG_SATURATION_RANGE
    hue = tf.math.floormod(hsv[..., 0:1] + hue_shift, 1.0)
    saturation = tf.clip_by_value(hsv[..., 1:2] * _uniform(saturation_seed, batch, low, high),
                                  0.0, 1.0)
    return tf.image.hsv_to_rgb(tf.concat([hue, saturation, hsv[..., 2:3]], axis=-1)) * 255.0


def noise(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    """Add Gaussian pixel noise; its standard deviation is drawn per image from the range."""
    low, high = cfg.AUG_NOISE_RANGE
    std_seed, pixel_seed = tf.unstack(tf.random.split(seed, 2))
    std = _uniform(std_seed, tf.shape(images)[0], low, high)
    return images + std * tf.random.stateless_normal(tf.shape(images), pixel_seed)


def shadow(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    """Darken one side of a random line running from the top edge to the bottom edge."""
    top_seed, bottom_seed, side_seed, dark_seed = tf.unstack(tf.random.split(seed, 4))
    batch, height, width = tf.shape(images)[0], tf.shape(images)[1], tf.shape(images)[2]
    x_top = _uniform(top_seed, batch, 0.0, 1.0)
    x_bottom = _uniform(bottom_seed, batch, 0.0, 1.0)
    rows = tf.reshape(tf.linspace(0.0, 1.0, height), [1, -1, 1, 1])
    columns = tf.reshape(tf.linspace(0.0, 1.0, width), [1, 1, -1, 1])
    left_of_line = columns < x_top + (x_bottom - x_top) * rows
    shade_left = _uniform(side_seed, batch, 0.0, 1.0) < 0.5
    in_shadow = tf.equal(left_of_line, shade_left)
    low, high = cfg.AUG_SHADOW_RANGE
    darkness = _uniform(dark_seed, batch, low, high)
    return tf.where(in_shadow, images * darkness, images)


def blur(images: tf.Tensor, seed: tf.Tensor, cfg: Any) -> tf.Tensor:
    """Gaussian blur, 13x13 like Donkey, sigma per image from AUG_BLUR_RANGE, mirrored edges."""
    low, high = cfg.AUG_BLUR_RANGE
    batch = tf.shape(images)[0]
    sigma = tf.maximum(tf.reshape(_uniform(seed, batch, low, high), [batch, 1]), 1e-3)
    offsets = tf.range(BLUR_KERNEL_SIZE, dtype=tf.float32) - BLUR_KERNEL_SIZE // 2
    weights = tf.exp(-tf.square(offsets)[None, :] / (2.0 * tf.square(sigma)))
    weights /= tf.reduce_sum(weights, axis=1, keepdims=True)  # (B, K)
    return _separable_per_image(images, weights)


def _separable_per_image(images: tf.Tensor, weights: tf.Tensor) -> tf.Tensor:
    """Convolve image b with the 1-D kernel weights[b] along rows, then columns.

    The batch is folded into the channels so one depthwise convolution applies a
    different kernel to every image.
    """
    channels = images.shape[-1]
    shape = tf.shape(images)
    batch, height, width = shape[0], shape[1], shape[2]
    stacked = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, height, width, -1])
    per_channel = tf.reshape(tf.repeat(weights, channels, axis=0), [-1, BLUR_KERNEL_SIZE])
    kernel = tf.transpose(per_channel)  # (K, B*C)
    pad = BLUR_KERNEL_SIZE // 2
    padded = tf.pad(stacked, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="REFLECT")
    vertical = tf.nn.depthwise_conv2d(padded, kernel[:, None, :, None], [1, 1, 1, 1], "VALID")
    both = tf.nn.depthwise_conv2d(vertical, kernel[None, :, :, None], [1, 1, 1, 1], "VALID")
    return tf.transpose(tf.reshape(both, [height, width, batch, channels]), [2, 0, 1, 3])


AUGMENTATIONS: dict[str, Augmentation] = {
    "MULTIPLY": multiply,
    "BRIGHTNESS": brightness,
    "CONTRAST": contrast,
    "HUE_SATURATION": hue_saturation,
    "BLUR": blur,
    "NOISE": noise,
    "SHADOW": shadow,
}


def check_names(names: list[str]) -> list[str]:
    """Upper-cased names, or a BurroError naming the first unknown one."""
    upper = [str(name).upper() for name in names]
    for raw, name in zip(names, upper):
        if name not in AUGMENTATIONS:
            raise BurroError(f"unknown augmentation {raw!r}", "AUGMENTATIONS",
                             f"use any of {', '.join(AUGMENTATIONS)}")
    return upper


def make_augmenter(cfg: Any) -> Callable[[tf.Tensor, tf.Tensor], tf.Tensor] | None:
    """A function (images float32 0..255, seed int64[2]) -> augmented images, or None."""
    names = check_names(list(cfg.AUGMENTATIONS))
    if not names:
        return None
    probability = float(cfg.AUG_PROBABILITY)

    def augment(images: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
        seeds = tf.random.split(tf.cast(seed, tf.int64), 2 * len(names))
        batch = tf.shape(images)[0]
        for step, name in enumerate(names):
            changed = AUGMENTATIONS[name](images, seeds[2 * step], cfg)
            chosen = tf.random.stateless_uniform([batch, 1, 1, 1], seeds[2 * step + 1]) < probability
            images = tf.clip_by_value(tf.where(chosen, changed, images), 0.0, 255.0)
        return images

    return augment
