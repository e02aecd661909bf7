"""Per-image random draws shared by the augmentations (imports TensorFlow)."""

import tensorflow as tf


def uniform(seed: tf.Tensor, batch: tf.Tensor, low: float, high: float) -> tf.Tensor:
    """One value per image, shaped (B, 1, 1, 1) to broadcast over pixels."""
    return tf.random.stateless_uniform([batch, 1, 1, 1], seed, minval=low, maxval=high)


def only_chosen(value: tf.Tensor, identity: float, chosen: tf.Tensor) -> tf.Tensor:
    return identity + chosen * (value - identity)
