"""CONTRAST: scale each image's distance from its own mean (per channel) by a factor in range."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.training.augmentations import AUGMENTATIONS, Augmentation


@AUGMENTATIONS.register("CONTRAST")
class Contrast(Augmentation):
    keys = (Key("AUG_CONTRAST_RANGE", t.RANGE, (0.7, 1.3),
                "CONTRAST: factor on each image's distance from its mean."),)

    def apply(self, images, seed, cfg, chosen):
        import tensorflow as tf

        from burro.training.augmentations._random import only_chosen, uniform

        low, high = cfg.AUG_CONTRAST_RANGE
        mean = tf.reduce_mean(images, axis=[1, 2], keepdims=True)
        factor = only_chosen(uniform(seed, tf.shape(images)[0], low, high), 1.0, chosen)
        return (images - mean) * factor + mean
