"""`behavior`: categorical angle/throttle from the image and the active behaviour state.

Donkey's KerasBehavioral: a second input `xbehavior_in`, the one-hot behaviour state
(`behavior/one_hot_state_array`, len(BEHAVIOR_LIST) floats), goes through three small
dense layers and joins the image features before the head. Unlike Donkey the one-hot itself
also joins them: the three 2n-unit ReLU layers often start (nearly) silent for a state, and
pilots then learned to ignore it (docs/benchmarks.md, "Behaviour pilot"). The outputs,
targets and losses are categorical's (15 angle bins, 20 throttle bins, cross-entropy).
"""

from __future__ import annotations

from typing import Any

from burro.models.base import ExtraInput, config_value, register_model
from burro.models.types.categorical import ANGLE_BINS, THROTTLE_BINS, Categorical

BEHAVIOR_KEY = "behavior/one_hot_state_array"
BEHAVIOR_INPUT = "xbehavior_in"  # Donkey's name: "x" so TensorRT's name order puts it second
HEAD_DROPOUT = 0.1


@register_model("behavior")
class Behavior(Categorical):
    """Image + one-hot behaviour state -> angle bins, throttle bins (Donkey KerasBehavioral)."""

    record_keys = ("user/angle", "user/throttle", BEHAVIOR_KEY)

    def extra_inputs(self, cfg: Any = None) -> tuple[ExtraInput, ...]:
        labels = tuple(config_value(cfg, "BEHAVIOR_LIST"))
        return (ExtraInput(BEHAVIOR_INPUT, BEHAVIOR_KEY, len(labels), labels, "BEHAVIOR_LIST",
                           "record with TRAIN_BEHAVIORS = True (the Behavior part writes "
                           "behavior/*) or `burro sim record --lane switch`, or train "
                           "another --type"),)

    def build(self, cfg: Any):
        import keras

        from burro.models.core import conv_stack, image_input

        img_in, x = image_input(cfg)
        x = conv_stack(x, l4_stride=1)
        x = keras.layers.Dense(100, activation="relu", name="dense_1")(x)
        x = keras.layers.Dropout(HEAD_DROPOUT)(x)
        (extra,) = self.extra_inputs(cfg)
        behavior_in = keras.Input(shape=(extra.size,), name=extra.name, dtype="float32")
        y = behavior_in
        for number in range(1, 4):
            y = keras.layers.Dense(2 * extra.size, activation="relu",
                                   name=f"behavior_{number}")(y)
        z = keras.layers.Concatenate(name="image_and_behavior")([x, y, behavior_in])
        z = keras.layers.Dense(100, activation="relu", name="dense_2")(z)
        z = keras.layers.Dropout(HEAD_DROPOUT)(z)
        z = keras.layers.Dense(50, activation="relu", name="dense_3")(z)
        z = keras.layers.Dropout(HEAD_DROPOUT)(z)
        angle = keras.layers.Dense(ANGLE_BINS, activation="softmax", name="angle_out")(z)
        throttle = keras.layers.Dense(THROTTLE_BINS, activation="softmax", name="throttle_out")(z)
        return keras.Model(inputs=[img_in, behavior_in],
                           outputs={"angle_out": angle, "throttle_out": throttle},
                           name=self.name)
