"""Training-only image augmentations as batched, in-graph TensorFlow ops.

Each augmentation works on a float32 batch of raw pixels (B, H, W, C) in 0..255 and draws
its random values per image from a stateless seed, so a run is reproducible under a seed and
the ops run inside tf.data without Python. Like Donkey (albumentations, p=0.5), every named
augmentation is applied to each image with probability AUG_PROBABILITY, in the listed order.
An image that is not chosen gets the op's identity parameters (factor 1, shift 0, sigma 0)
rather than a per-pixel select, which TensorFlow runs far slower on CPU.

Hand-written TF ops rather than Keras preprocessing layers because every op here needs a
per-image on/off switch, Donkey's parameter ranges and stateless seeds; the layers offer
none of the three together.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import tensorflow as tf

from burro.errors import BurroError

# (images, seed, cfg, chosen) -> images; chosen is 1.0/0.0 per image, shaped (B, 1, 1, 1).
Augmentation = Callable[[tf.Tensor, tf.Tensor, Any, tf.Tensor], tf.Tensor]
BLUR_KERNEL_SIZE = 13  # Donkey's fixed 13x13 Gaussian kernel


def _uniform(seed: tf.Tensor, batch: tf.Tensor, low: float, high: float) -> tf.Tensor:
    """One value per image, shaped (B, 1, 1, 1) to broadcast over pixels."""
    return tf.random.stateless_uniform([batch, 1, 1, 1], seed, minval=low, maxval=high)


def _only_chosen(value: tf.Tensor, identity: float, chosen: tf.Tensor) -> tf.Tensor:
    return identity + chosen * (value - identity)


def multiply(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    low, high = cfg.AUG_MULTIPLY_RANGE
    return images * _only_chosen(_uniform(seed, tf.shape(images)[0], low, high), 1.0, chosen)


def brightness(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    """Donkey's RandomBrightnessContrast: x * (1 + c) + b * 255 with b, c in +/- range."""
    limit = float(cfg.AUG_BRIGHTNESS_RANGE)
    contrast_seed, brightness_seed = tf.unstack(tf.random.split(seed, 2))
    batch = tf.shape(images)[0]
    alpha = 1.0 + chosen * _uniform(contrast_seed, batch, -limit, limit)
    beta = chosen * _uniform(brightness_seed, batch, -limit, limit) * 255.0
    return images * alpha + beta


def contrast(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    """Scale each image's distance from its own mean (per channel) by a factor in range."""
    low, high = cfg.AUG_CONTRAST_RANGE
    mean = tf.reduce_mean(images, axis=[1, 2], keepdims=True)
    factor = _only_chosen(_uniform(seed, tf.shape(images)[0], low, high), 1.0, chosen)
    return (images - mean) * factor + mean


_RGB_TO_YIQ = [[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]]


def hue_saturation(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    """Rotate hue by +/- AUG_HUE_RANGE (fraction of the colour circle), scale saturation.

    Done as one 3x3 colour matrix per image in YIQ space (rotate and scale the chroma plane
    I/Q, keep the luma Y): a batched matmul, many times cheaper than an HSV round trip.
    """
    if images.shape[-1] != 3:
        raise BurroError("HUE_SATURATION needs colour images", "IMAGE_DEPTH",
                         "set IMAGE_DEPTH = 3 or drop HUE_SATURATION from AUGMENTATIONS")
    hue_seed, saturation_seed = tf.unstack(tf.random.split(seed, 2))
    batch = tf.shape(images)[0]
    angle = 2.0 * math.pi * chosen[:, 0, 0, 0] * tf.reshape(
        _uniform(hue_seed, batch, -cfg.AUG_HUE_RANGE, cfg.AUG_HUE_RANGE), [-1])
    low, high = cfg.AUG_SATURATION_RANGE
    saturation = tf.reshape(
        _only_chosen(_uniform(saturation_seed, batch, low, high), 1.0, chosen), [-1])
    cos, sin = saturation * tf.cos(angle), saturation * tf.sin(angle)
    ones, zeros = tf.ones_like(cos), tf.zeros_like(cos)
    chroma = tf.reshape(tf.stack([ones, zeros, zeros, zeros, cos, -sin, zeros, sin, cos], -1),
                        [-1, 3, 3])
    to_yiq = tf.constant(_RGB_TO_YIQ)
    colour = tf.linalg.inv(to_yiq) @ chroma @ to_yiq  # (B, 3, 3), acts on RGB column vectors
    pixels = tf.reshape(images, [batch, -1, 3])
    return tf.reshape(tf.linalg.matmul(pixels, colour, transpose_b=True), tf.shape(images))


def noise(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    """Add zero-mean pixel noise; its standard deviation is drawn per image from the range.

    Uniform rather than Gaussian noise: TensorFlow's normal sampler costs 3.5x more on CPU,
    and this op draws one number per pixel and channel.
    """
    low, high = cfg.AUG_NOISE_RANGE
    std_seed, pixel_seed = tf.unstack(tf.random.split(seed, 2))
    std = chosen * _uniform(std_seed, tf.shape(images)[0], low, high)
    unit = tf.random.stateless_uniform(tf.shape(images), pixel_seed, minval=-1.0, maxval=1.0)
    return images + std * math.sqrt(3.0) * unit  # U(-1, 1) has std 1/sqrt(3)


def shadow(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    """Darken one side of a random line running from the top edge to the bottom edge."""
    top_seed, bottom_seed, side_seed, dark_seed = tf.unstack(tf.random.split(seed, 4))
    batch, height, width = tf.shape(images)[0], tf.shape(images)[1], tf.shape(images)[2]
    x_top = _uniform(top_seed, batch, 0.0, 1.0)
    x_bottom = _uniform(bottom_seed, batch, 0.0, 1.0)
    rows = tf.reshape(tf.linspace(0.0, 1.0, height), [1, -1, 1, 1])
    columns = tf.reshape(tf.linspace(0.0, 1.0, width), [1, 1, -1, 1])
    left_of_line = columns < x_top + (x_bottom - x_top) * rows
    shade_left = _uniform(side_seed, batch, 0.0, 1.0) < 0.5
    in_shadow = tf.cast(tf.equal(left_of_line, shade_left), tf.float32)
    low, high = cfg.AUG_SHADOW_RANGE
    darkness = _only_chosen(_uniform(dark_seed, batch, low, high), 1.0, chosen)
    return images * (1.0 + in_shadow * (darkness - 1.0))


def blur(images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
    """Gaussian blur, 13x13 like Donkey, sigma per image from AUG_BLUR_RANGE, mirrored edges."""
    low, high = cfg.AUG_BLUR_RANGE
    batch = tf.shape(images)[0]
    sigma = tf.maximum(tf.reshape(chosen * _uniform(seed, batch, low, high), [batch, 1]), 1e-3)
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
            draw = tf.random.stateless_uniform([batch, 1, 1, 1], seeds[2 * step + 1])
            chosen = tf.cast(draw < probability, tf.float32)
            images = AUGMENTATIONS[name](images, seeds[2 * step], cfg, chosen)
            images = tf.clip_by_value(images, 0.0, 255.0)
        return images

    return augment
