"""Pilot runtimes: run a trained model on camera frames -> (angle, throttle).

`load(path)` picks the runtime from the file suffix: `.keras`/`.h5` (Keras, needs
TensorFlow), `.tflite` (LiteRT) and `.onnx` (onnxruntime) — the last two never import
TensorFlow, so the car only needs the `car` extra.
"""

from burro.pilots.base import PILOT_FORMATS, Pilot, check_model_type, load, runtime_names

__all__ = ["PILOT_FORMATS", "Pilot", "check_model_type", "load", "runtime_names"]
