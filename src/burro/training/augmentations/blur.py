"""BLUR: Gaussian blur, 13x13 like Donkey, sigma per image from AUG_BLUR_RANGE, mirrored edges."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.training.augmentations import AUGMENTATIONS, Augmentation

KERNEL_SIZE = 13  # Donkey's fixed 13x13 Gaussian kernel


@AUGMENTATIONS.register("BLUR")
class Blur(Augmentation):
    keys = (Key("AUG_BLUR_RANGE", t.RANGE, (0.0, 3.0), "BLUR: Gaussian sigma range in pixels."),)

    def apply(self, images, seed, cfg, chosen):
        import tensorflow as tf

        from burro.training.augmentations._random import uniform

        low, high = cfg.AUG_BLUR_RANGE
        batch = tf.shape(images)[0]
        sigma = tf.maximum(tf.reshape(chosen * uniform(seed, batch, low, high), [batch, 1]), 1e-3)
        offsets = tf.range(KERNEL_SIZE, dtype=tf.float32) - KERNEL_SIZE // 2
        weights = tf.exp(-tf.square(offsets)[None, :] / (2.0 * tf.square(sigma)))
        weights /= tf.reduce_sum(weights, axis=1, keepdims=True)  # (B, K)
        return _separable_per_image(images, weights)


def _separable_per_image(images, weights):
    """Convolve image b with the 1-D kernel weights[b] along rows, then columns.

    The batch is folded into the channels so one depthwise convolution applies a
    different kernel to every image.
    """
    import tensorflow as tf

    channels = images.shape[-1]
    shape = tf.shape(images)
    batch, height, width = shape[0], shape[1], shape[2]
    stacked = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, height, width, -1])
    per_channel = tf.reshape(tf.repeat(weights, channels, axis=0), [-1, KERNEL_SIZE])
    kernel = tf.transpose(per_channel)  # (K, B*C)
    pad = KERNEL_SIZE // 2
    padded = tf.pad(stacked, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="REFLECT")
    vertical = tf.nn.depthwise_conv2d(padded, kernel[:, None, :, None], [1, 1, 1, 1], "VALID")
    both = tf.nn.depthwise_conv2d(vertical, kernel[None, :, :, None], [1, 1, 1, 1], "VALID")
    return tf.transpose(tf.reshape(both, [height, width, batch, channels]), [2, 0, 1, 3])
