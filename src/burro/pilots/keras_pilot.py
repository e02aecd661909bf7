"""Run a .keras / .h5 pilot with Keras (needs TensorFlow; use .tflite/.onnx on the car)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from burro.pilots.base import PILOT_FORMATS, Pilot
from burro.quiet import native_output_hidden


@PILOT_FORMATS.register(".keras", ".h5")
class KerasPilot(Pilot):
    runtime = "Keras"

    def __init__(self, path: Path, info: dict[str, Any]):
        super().__init__(path, info)
        with native_output_hidden():  # TensorFlow's C++ start-up lines (oneDNN, absl, CPU)
            import tensorflow as tf

            from burro.models.export import load_keras_model

            self.model = load_keras_model(path)
        model = self.model
        # A traced function avoids Keras' eager per-call overhead (ms -> sub-ms).
        self._forward = tf.function(lambda batch: model(batch, training=False),
                                    reduce_retracing=True)

    def predict(self, image: np.ndarray) -> dict[str, np.ndarray]:
        outputs = self._forward(self.batch_of_one(image))
        return {name: value.numpy() for name, value in outputs.items()}
