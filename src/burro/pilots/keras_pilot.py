"""Run a .keras / .h5 pilot with Keras (needs TensorFlow; use .tflite/.onnx on the car)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from burro.pilots.base import PILOT_FORMATS, Pilot, check_extra_sizes
from burro.quiet import native_output_hidden


@PILOT_FORMATS.register(".keras", ".h5")
class KerasPilot(Pilot):
    runtime = "Keras"

    def __init__(self, path: Path, info: dict[str, Any]):
        super().__init__(path, info)
        with native_output_hidden():  # TensorFlow's C++ start-up lines (oneDNN, absl, CPU)
            import tensorflow as tf

            from burro.models.export import load_keras_model

            self.model = load_donkey_keras(path) if self.donkey else load_keras_model(path)
        model = self.model
        from burro.models.export import input_name

        # positions in the model's input list of img_in, then of each extra input
        self._order = self.input_order([input_name(t) for t in model.inputs], str(path))
        check_extra_sizes(self, [model.inputs[i].shape[-1] for i in self._order[1:]])
        if not self.input_shape:  # a Donkey pilot: the size it was built with
            image_input = model.inputs[self._order[0]]
            self.input_shape = tuple(int(size) for size in image_input.shape[1:])
        self._output_names = list(model.output_names)
        # A traced function avoids Keras' eager per-call overhead (ms -> sub-ms).
        self._forward = tf.function(lambda batch: model(batch, training=False),
                                    reduce_retracing=True)

    def predict(self, image: np.ndarray, *extra: np.ndarray) -> dict[str, np.ndarray]:
        batch: Any = self.batch_of_one(image)
        if self.extra_inputs:
            batch = self._in_model_order([batch, *(vector[None] for vector in extra)])
        outputs = self._forward(batch)
        if isinstance(outputs, dict):
            return self.named([(name, value.numpy()) for name, value in outputs.items()])
        if not isinstance(outputs, (list, tuple)):  # one output, returned bare (Keras 3)
            outputs = [outputs]
        return self.named([(name, value.numpy()) for name, value in zip(self._output_names,
                                                                         outputs)])

    def _in_model_order(self, arrays: list[np.ndarray]) -> list[np.ndarray]:
        ordered: list[Any] = [None] * len(arrays)
        for array, position in zip(arrays, self._order):
            ordered[position] = array
        return ordered


def load_donkey_keras(path: Path):
    """A .h5 (Keras 2, Donkey 5.3; or Keras 3) or .keras (Donkey 5.4) file, without burro's
    layers and without the training state (Donkey's own drive loop loads with compile=False).
    A burro pilot that lost its .json scales its input itself: refused, not run wrongly."""
    import keras

    model = keras.models.load_model(path, compile=False)
    if any(isinstance(layer, keras.layers.Rescaling) for layer in model.layers):
        from burro.errors import BurroError
        from burro.models.metadata import metadata_path

        raise BurroError("model metadata not found (this is a burro pilot, not Donkey's)",
                         str(metadata_path(path)),
                         "keep the .json that burro train wrote next to the model file")
    return model
