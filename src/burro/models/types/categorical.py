"""`categorical`: angle in 15 bins over [-1, 1], throttle in 20 bins over [0, range] (softmax)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.models.base import Controls, ModelType, config_value, finite_column, register_model

if TYPE_CHECKING:
    import numpy as np

ANGLE_BINS = 15
THROTTLE_BINS = 20
RANGE_KEY = "MODEL_CATEGORICAL_MAX_THROTTLE_RANGE"


def linear_bin(values: np.ndarray, bins: int, offset: float, value_range: float) -> np.ndarray:
    """Donkey's linear_bin for many values: one-hot rows, banker's rounding, clamped."""
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    index = np.round((values + offset) / (value_range / (bins - offset)))
    index = np.clip(index, 0, bins - 1).astype(np.int64)
    return np.eye(bins, dtype=np.float32)[index]


def linear_unbin(scores: np.ndarray, bins: int, offset: float, value_range: float) -> float:
    """Donkey's linear_unbin: argmax * range / (bins + offset) + offset."""
    import numpy as np

    return float(np.argmax(np.asarray(scores).reshape(-1)) * (value_range / (bins + offset)) + offset)


@register_model("categorical")
class Categorical(ModelType):
    """Angle in 15 bins, throttle in 20 bins, softmax (Donkey KerasCategorical)."""

    record_keys = ("user/angle", "user/throttle")
    output_names = ("angle_out", "throttle_out")
    keys = (Key(RANGE_KEY, t.POSITIVE_FLOAT, 0.8, "Top of the categorical throttle bins."),)

    def build(self, cfg: Any):
        import keras

        from burro.models.core import conv_stack, dense_head, image_input

        img_in, x = image_input(cfg)
        x = dense_head(conv_stack(x, l4_stride=2))
        angle = keras.layers.Dense(ANGLE_BINS, activation="softmax", name="angle_out")(x)
        throttle = keras.layers.Dense(THROTTLE_BINS, activation="softmax", name="throttle_out")(x)
        outputs = {"angle_out": angle, "throttle_out": throttle}
        return keras.Model(inputs=img_in, outputs=outputs, name=self.name)

    def targets(self, columns: Mapping[str, np.ndarray], cfg: Any = None) -> dict[str, np.ndarray]:
        throttle_range = config_value(cfg, RANGE_KEY)
        return {
            "angle_out": linear_bin(finite_column(columns, "user/angle"), ANGLE_BINS, 1.0, 2.0),
            "throttle_out": linear_bin(finite_column(columns, "user/throttle"), THROTTLE_BINS,
                                       0.0, throttle_range),
        }

    def losses(self) -> dict[str, str]:
        return {name: "categorical_crossentropy" for name in self.output_names}

    def loss_weights(self) -> dict[str, float]:
        return {"angle_out": 0.5, "throttle_out": 0.5}

    def metrics(self) -> dict[str, list[str]]:
        return {name: ["accuracy"] for name in self.output_names}

    def control_ranges(self, cfg: Any = None) -> dict[str, list[float]]:
        return {"angle": [-1.0, 1.0], "throttle": [0.0, float(config_value(cfg, RANGE_KEY))]}

    def interpret(self, outputs: Mapping[str, np.ndarray], cfg: Any = None) -> Controls:
        angle = linear_unbin(outputs["angle_out"], ANGLE_BINS, -1.0, 2.0)
        throttle = linear_unbin(outputs["throttle_out"], THROTTLE_BINS, 0.0,
                                config_value(cfg, RANGE_KEY))
        return angle, throttle
