"""The network pieces every Donkey model type shares (Donkey's core_cnn_layers + dense head).

Layer names match Donkey's (conv2d_1..5, dense_1, dense_2) so knowledge and tools carry over.
"""

from __future__ import annotations

from typing import Any

import keras

from burro.errors import BurroError
from burro.models.base import input_shape

DROPOUT = 0.2


def image_input(cfg: Any) -> tuple[keras.KerasTensor, keras.KerasTensor]:
    """`img_in` (raw float pixels 0..255) and the tensor after transformations and 1/255."""
    from burro.models.transforms import transformation_layers

    img_in = keras.Input(shape=input_shape(cfg), name="img_in", dtype="float32")
    x = img_in
    for layer in transformation_layers(cfg):
        x = layer(x)
    x = keras.layers.Rescaling(1.0 / 255.0, name="rescale")(x)
    return img_in, x


def conv_stack(x: keras.KerasTensor, drop: float = DROPOUT, l4_stride: int = 1) -> keras.KerasTensor:
    """Donkey's core_cnn_layers: five ReLU convs, Dropout after each, then Flatten."""
    specs = [(24, 5, 2), (32, 5, 2), (64, 5, 2), (64, 3, l4_stride), (64, 3, 1)]
    _check_image_is_big_enough(x.shape[1], x.shape[2], specs)
    for number, (filters, kernel, stride) in enumerate(specs, start=1):
        x = keras.layers.Conv2D(filters, kernel, strides=stride, activation="relu",
                                name=f"conv2d_{number}")(x)
        x = keras.layers.Dropout(drop)(x)
    return keras.layers.Flatten(name="flattened")(x)


def dense_head(x: keras.KerasTensor, drop: float = DROPOUT) -> keras.KerasTensor:
    """Dense 100 -> Dropout -> Dense 50 -> Dropout (Donkey's default_n_linear body)."""
    x = keras.layers.Dense(100, activation="relu", name="dense_1")(x)
    x = keras.layers.Dropout(drop)(x)
    x = keras.layers.Dense(50, activation="relu", name="dense_2")(x)
    return keras.layers.Dropout(drop)(x)


def _check_image_is_big_enough(height: int, width: int, specs: list[tuple[int, int, int]]) -> None:
    rows, cols = height, width
    for _, kernel, stride in specs:
        rows, cols = (rows - kernel) // stride + 1, (cols - kernel) // stride + 1
    if rows < 1 or cols < 1:
        raise BurroError(
            f"a {height}x{width} image is too small for the conv stack",
            "IMAGE_H/IMAGE_W or RESIZE_HEIGHT/RESIZE_WIDTH",
            "use a larger image (Donkey's default is 120x160)")
