"""Training-only image augmentations: checking a config's list, and the in-graph augmenter.

Each augmentation (one module each in `burro.training.augmentations`) works on a float32
batch of raw pixels (B, H, W, C) in 0..255 and draws its random values per image from a
stateless seed, so a run is reproducible under a seed and the ops run inside tf.data
without Python. Like Donkey (albumentations, p=0.5), every named augmentation is applied to
each image with probability AUG_PROBABILITY, in the listed order. An image that is not
chosen gets the op's identity parameters (factor 1, shift 0, sigma 0) rather than a
per-pixel select, which TensorFlow runs far slower on CPU.

Hand-written TF ops rather than Keras preprocessing layers because every op here needs a
per-image on/off switch, Donkey's parameter ranges and stateless seeds; the layers offer
none of the three together. This module imports TensorFlow only inside `make_augmenter`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from burro.errors import BurroError
from burro.training.augmentations import AUGMENTATIONS, Augmentation

__all__ = ["AUGMENTATIONS", "Augmentation", "check_augmentations", "check_names",
           "make_augmenter"]


def check_names(names: list[str]) -> list[str]:
    """The registered (upper-case) names, or a BurroError naming the first unknown one."""
    return [AUGMENTATIONS.canonical(str(name)) for name in names]


def check_augmentations(cfg: Any) -> None:
    """Refuse unknown AUGMENTATIONS and ones that need colour when IMAGE_DEPTH is 1.

    Imports no TensorFlow, so `burro train` can say this before anything slow.
    """
    for name in check_names(list(cfg.AUGMENTATIONS)):
        if AUGMENTATIONS.get(name).needs_colour and cfg.IMAGE_DEPTH == 1:
            raise BurroError(f"{name} needs colour frames but IMAGE_DEPTH is 1",
                             "AUGMENTATIONS / IMAGE_DEPTH",
                             f"set IMAGE_DEPTH = 3 or drop {name} from AUGMENTATIONS")


def make_augmenter(cfg: Any) -> Callable[[Any, Any], Any] | None:
    """A function (images float32 0..255, seed int64[2]) -> augmented images, or None."""
    check_augmentations(cfg)
    names = check_names(list(cfg.AUGMENTATIONS))
    if not names:
        return None
    import tensorflow as tf

    steps = [AUGMENTATIONS.get(name) for name in names]
    probability = float(cfg.AUG_PROBABILITY)

    def augment(images: tf.Tensor, seed: tf.Tensor) -> tf.Tensor:
        seeds = tf.random.split(tf.cast(seed, tf.int64), 2 * len(steps))
        batch = tf.shape(images)[0]
        for step, augmentation in enumerate(steps):
            draw = tf.random.stateless_uniform([batch, 1, 1, 1], seeds[2 * step + 1])
            chosen = tf.cast(draw < probability, tf.float32)
            images = augmentation.apply(images, seeds[2 * step], cfg, chosen)
            images = tf.clip_by_value(images, 0.0, 255.0)
        return images

    return augment
