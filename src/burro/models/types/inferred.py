"""`inferred`: angle only (`n_outputs0`); throttle is derived from the angle as Donkey does."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from burro.models.base import Controls, ModelType, finite_column, register_model, scalar

if TYPE_CHECKING:
    import numpy as np


def throttle_from_angle(angle: float) -> float:
    """Donkey's utils.throttle(): slower in turns; asymmetric (-1 -> 1.0, 0 -> 0.754, 1 -> 0.557)."""
    magnitude = (min(max(angle, -1.0), 1.0) + 1.0) / 2.0
    return math.exp(-0.5 * magnitude) - 0.05 * magnitude


@register_model("inferred")
class Inferred(ModelType):
    """Angle only; throttle derived from the angle (Donkey KerasInferred)."""

    record_keys = ("user/angle",)
    output_names = ("n_outputs0",)

    def build(self, cfg: Any):
        import keras

        from burro.models.core import conv_stack, dense_head, image_input

        img_in, x = image_input(cfg)
        x = dense_head(conv_stack(x))
        angle = keras.layers.Dense(1, activation="linear", name="n_outputs0")(x)
        return keras.Model(inputs=img_in, outputs={"n_outputs0": angle}, name=self.name)

    def targets(self, columns: Mapping[str, np.ndarray], cfg: Any = None) -> dict[str, np.ndarray]:
        return {"n_outputs0": finite_column(columns, "user/angle").astype("float32")[:, None]}

    def losses(self) -> dict[str, str]:
        return {"n_outputs0": "mse"}

    def control_ranges(self, cfg: Any = None) -> dict[str, list[float]]:
        return {"angle": [-1.0, 1.0], "throttle": [throttle_from_angle(1.0), 1.0]}

    def interpret(self, outputs: Mapping[str, np.ndarray], cfg: Any = None) -> Controls:
        angle = scalar(outputs, "n_outputs0")
        return angle, throttle_from_angle(angle)
