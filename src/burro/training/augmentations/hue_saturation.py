"""HUE_SATURATION: rotate hue by +/- AUG_HUE_RANGE (fraction of the colour circle), scale saturation.

Done as one 3x3 colour matrix per image in YIQ space (rotate and scale the chroma plane
I/Q, keep the luma Y): a batched matmul, many times cheaper than an HSV round trip.
"""

import math

from burro.config import types as t
from burro.config.defaults import Key
from burro.training.augmentations import AUGMENTATIONS, Augmentation

_RGB_TO_YIQ = [[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]]


@AUGMENTATIONS.register("HUE_SATURATION")
class HueSaturation(Augmentation):
    needs_colour = True
    keys = (
        Key("AUG_HUE_RANGE", t.NON_NEGATIVE_FLOAT, 0.05,
            "HUE_SATURATION: +/- hue shift as a fraction of the colour circle."),
        Key("AUG_SATURATION_RANGE", t.RANGE, (0.7, 1.3), "HUE_SATURATION: saturation factor range."),
    )

    def apply(self, images, seed, cfg, chosen):
        import tensorflow as tf

        from burro.training.augmentations._random import only_chosen, uniform

        hue_seed, saturation_seed = tf.unstack(tf.random.split(seed, 2))
        batch = tf.shape(images)[0]
        angle = 2.0 * math.pi * chosen[:, 0, 0, 0] * tf.reshape(
            uniform(hue_seed, batch, -cfg.AUG_HUE_RANGE, cfg.AUG_HUE_RANGE), [-1])
        low, high = cfg.AUG_SATURATION_RANGE
        saturation = tf.reshape(
            only_chosen(uniform(saturation_seed, batch, low, high), 1.0, chosen), [-1])
        cos, sin = saturation * tf.cos(angle), saturation * tf.sin(angle)
        ones, zeros = tf.ones_like(cos), tf.zeros_like(cos)
        chroma = tf.reshape(tf.stack([ones, zeros, zeros, zeros, cos, -sin, zeros, sin, cos], -1),
                            [-1, 3, 3])
        to_yiq = tf.constant(_RGB_TO_YIQ)
        colour = tf.linalg.inv(to_yiq) @ chroma @ to_yiq  # (B, 3, 3), acts on RGB column vectors
        pixels = tf.reshape(images, [batch, -1, 3])
        return tf.reshape(tf.linalg.matmul(pixels, colour, transpose_b=True), tf.shape(images))
