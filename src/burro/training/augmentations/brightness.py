"""BRIGHTNESS: Donkey's RandomBrightnessContrast, x * (1 + c) + b * 255 with b, c in +/- range."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.training.augmentations import AUGMENTATIONS, Augmentation


@AUGMENTATIONS.register("BRIGHTNESS")
class Brightness(Augmentation):
    keys = (Key("AUG_BRIGHTNESS_RANGE", t.FLOAT, 0.2,
                "BRIGHTNESS: +/- brightness and contrast change."),)

    def apply(self, images, seed, cfg, chosen):
        import tensorflow as tf

        from burro.training.augmentations._random import uniform

        limit = float(cfg.AUG_BRIGHTNESS_RANGE)
        contrast_seed, brightness_seed = tf.unstack(tf.random.split(seed, 2))
        batch = tf.shape(images)[0]
        alpha = 1.0 + chosen * uniform(contrast_seed, batch, -limit, limit)
        beta = chosen * uniform(brightness_seed, batch, -limit, limit) * 255.0
        return images * alpha + beta
