"""`linear`: two regression outputs, angle `n_outputs0` and throttle `n_outputs1` (MSE)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from burro.models.base import Controls, ModelType, finite_column, register_model, scalar

if TYPE_CHECKING:
    import numpy as np


@register_model("linear")
class Linear(ModelType):
    """Angle and throttle regressed directly (Donkey KerasLinear, MSE)."""

    record_keys = ("user/angle", "user/throttle")
    output_names = ("n_outputs0", "n_outputs1")

    def build(self, cfg: Any):
        import keras

        from burro.models.core import conv_stack, dense_head, image_input

        img_in, x = image_input(cfg)
        x = dense_head(conv_stack(x))
        outputs = {name: keras.layers.Dense(1, activation="linear", name=name)(x)
                   for name in self.output_names}
        return keras.Model(inputs=img_in, outputs=outputs, name=self.name)

    def targets(self, columns: Mapping[str, np.ndarray], cfg: Any = None) -> dict[str, np.ndarray]:
        return {name: finite_column(columns, key).astype("float32")[:, None]
                for name, key in zip(self.output_names, self.record_keys)}

    def losses(self) -> dict[str, str]:
        return {name: "mse" for name in self.output_names}

    def interpret(self, outputs: Mapping[str, np.ndarray], cfg: Any = None) -> Controls:
        return scalar(outputs, "n_outputs0"), scalar(outputs, "n_outputs1")
