"""MULTIPLY: scale each image's pixels by one factor drawn from AUG_MULTIPLY_RANGE."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.training.augmentations import AUGMENTATIONS, Augmentation


@AUGMENTATIONS.register("MULTIPLY")
class Multiply(Augmentation):
    keys = (Key("AUG_MULTIPLY_RANGE", t.RANGE, (0.5, 1.5), "MULTIPLY: brightness factor range."),)

    def apply(self, images, seed, cfg, chosen):
        import tensorflow as tf

        from burro.training.augmentations._random import only_chosen, uniform

        low, high = cfg.AUG_MULTIPLY_RANGE
        return images * only_chosen(uniform(seed, tf.shape(images)[0], low, high), 1.0, chosen)
