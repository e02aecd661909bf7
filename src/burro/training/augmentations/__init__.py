"""Training-only image augmentations, one module each (MULTIPLY, BLUR, ...).

An entry declares the config keys it reads and whether it needs colour frames, and applies
itself to a float32 batch of raw pixels (B, H, W, C) in 0..255 with TensorFlow ops. Entry
modules import TensorFlow only inside `apply`, so checking a config's augmentations
(`burro.training.augment.check_augmentations`) needs no TensorFlow.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from burro.registry import Registry

if TYPE_CHECKING:
    import tensorflow as tf

    from burro.config.defaults import Key


class Augmentation(ABC):
    keys: tuple[Key, ...] = ()  # config keys it reads, collected into the key table
    needs_colour = False  # True: refused with IMAGE_DEPTH = 1

    @abstractmethod
    def apply(self, images: tf.Tensor, seed: tf.Tensor, cfg: Any, chosen: tf.Tensor) -> tf.Tensor:
        """The augmented batch; `chosen` is 1.0/0.0 per image, shaped (B, 1, 1, 1), and an
        image that is not chosen gets the op's identity parameters (factor 1, shift 0)."""


AUGMENTATIONS: Registry[Augmentation] = Registry(
    "augmentation", "burro.training.augmentations", where="AUGMENTATIONS",
    fold=str.upper, instances=True)
