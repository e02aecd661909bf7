"""Image transformations as Keras layers, so every exported pilot applies them itself.

Each transformation is an entry of `burro.models.transformations` (name, config keys,
layer); the custom layers those entries use are defined here, so that loading a saved
pilot (which imports this module) registers them with Keras.

The layers take float32 pixels (0..255, NHWC) and sit between the model input `img_in`
and the Rescaling(1/255) layer. Masks are constants computed from the image shape.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from burro.models.masks import crop_mask, trapeze_mask
from burro.models.transform_spec import transformation_specs
from burro.models.transformations import TRANSFORMATIONS


class _MaskLayer(keras.layers.Layer):
    """Multiplies the image by a constant 0/1 mask computed once from its height and width."""

    def build(self, input_shape: tuple) -> None:
        height, width = int(input_shape[1]), int(input_shape[2])
        self._mask = self.make_mask(height, width)[None, :, :, None]

    def make_mask(self, height: int, width: int) -> np.ndarray:
        raise NotImplementedError

    def call(self, images: Any) -> Any:
        return images * keras.ops.convert_to_tensor(self._mask, dtype=images.dtype)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return input_shape


@keras.saving.register_keras_serializable(package="burro")
class CropMask(_MaskLayer):
    """CROP: zero the configured border rows/columns; the image keeps its size (as Donkey)."""

    def __init__(self, top: int = 0, bottom: int = 0, left: int = 0, right: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.top, self.bottom, self.left, self.right = top, bottom, left, right

    def make_mask(self, height: int, width: int) -> np.ndarray:
        return crop_mask(height, width, self.top, self.bottom, self.left, self.right)

    def get_config(self) -> dict:
        return {**super().get_config(), "top": self.top, "bottom": self.bottom,
                "left": self.left, "right": self.right}


@keras.saving.register_keras_serializable(package="burro")
class TrapezeMask(_MaskLayer):
    """TRAPEZE: zero everything outside the configured trapezoid."""

    def __init__(self, ll: int = 0, lr: int = 160, ul: int = 20, ur: int = 140,
                 min_y: int = 60, max_y: int = 120, **kwargs):
        super().__init__(**kwargs)
        self.ll, self.lr, self.ul, self.ur = ll, lr, ul, ur
        self.min_y, self.max_y = min_y, max_y

    def make_mask(self, height: int, width: int) -> np.ndarray:
        return trapeze_mask(height, width, self.ll, self.lr, self.ul, self.ur,
                            self.min_y, self.max_y)

    def get_config(self) -> dict:
        return {**super().get_config(), "ll": self.ll, "lr": self.lr, "ul": self.ul,
                "ur": self.ur, "min_y": self.min_y, "max_y": self.max_y}


@keras.saving.register_keras_serializable(package="burro")
class Grayscale(keras.layers.Layer):
    """GRAY: RGB -> one luma channel with OpenCV's RGB2GRAY weights (kept as float)."""

    WEIGHTS = np.array([[0.299], [0.587], [0.114]], dtype=np.float32)

    def call(self, images: Any) -> Any:
        if images.shape[-1] == 1:  # already grey (IMAGE_DEPTH = 1)
            return images
        return keras.ops.matmul(images, keras.ops.convert_to_tensor(self.WEIGHTS, images.dtype))

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return (*input_shape[:-1], 1)


def transformation_layers(cfg: Any) -> list[keras.layers.Layer]:
    """The configured TRANSFORMATIONS then POST_TRANSFORMATIONS, as layers in that order."""
    layers, seen = [], {}
    for spec in transformation_specs(cfg):
        base = spec["name"].lower()
        count = seen.get(base, 0)
        seen[base] = count + 1
        layer_name = f"{base}_{count}" if count else base
        layers.append(TRANSFORMATIONS.get(spec["name"]).layer(spec, layer_name))
    return layers
