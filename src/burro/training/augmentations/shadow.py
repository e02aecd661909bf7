"""SHADOW: darken one side of a random line running from the top edge to the bottom edge."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.training.augmentations import AUGMENTATIONS, Augmentation


@AUGMENTATIONS.register("SHADOW")
class Shadow(Augmentation):
    keys = (Key("AUG_SHADOW_RANGE", t.RANGE, (0.4, 0.8),
                "SHADOW: brightness factor inside the shadow."),)

    def apply(self, images, seed, cfg, chosen):
        import tensorflow as tf

        from burro.training.augmentations._random import only_chosen, uniform

        top_seed, bottom_seed, side_seed, dark_seed = tf.unstack(tf.random.split(seed, 4))
        batch, height, width = tf.shape(images)[0], tf.shape(images)[1], tf.shape(images)[2]
        x_top = uniform(top_seed, batch, 0.0, 1.0)
        x_bottom = uniform(bottom_seed, batch, 0.0, 1.0)
        rows = tf.reshape(tf.linspace(0.0, 1.0, height), [1, -1, 1, 1])
        columns = tf.reshape(tf.linspace(0.0, 1.0, width), [1, 1, -1, 1])
        left_of_line = columns < x_top + (x_bottom - x_top) * rows
        shade_left = uniform(side_seed, batch, 0.0, 1.0) < 0.5
        in_shadow = tf.cast(tf.equal(left_of_line, shade_left), tf.float32)
        low, high = cfg.AUG_SHADOW_RANGE
        darkness = only_chosen(uniform(dark_seed, batch, low, high), 1.0, chosen)
        return images * (1.0 + in_shadow * (darkness - 1.0))
