"""Run a .tflite pilot with LiteRT (ai-edge-litert); no TensorFlow needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from burro.pilots.base import PILOT_FORMATS, Pilot, default_threads
from burro.quiet import native_output_hidden


@PILOT_FORMATS.register(".tflite")
class TFLitePilot(Pilot):
    runtime = "LiteRT"

    def __init__(self, path: Path, info: dict[str, Any], num_threads: int | None = None):
        super().__init__(path, info)
        with native_output_hidden():  # "INFO: Created TensorFlow Lite XNNPACK delegate"
            self._open(path, num_threads)

    def _open(self, path: Path, num_threads: int | None) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.interpreter = Interpreter(model_path=str(path),
                                       num_threads=num_threads or default_threads())
        signature = self.interpreter.get_signature_runner()
        self._input_index = next(iter(signature.get_input_details().values()))["index"]
        self._output_indexes = {name: detail["index"]
                                for name, detail in signature.get_output_details().items()}
        del signature  # it holds tensor references that block resizing
        self.interpreter.resize_tensor_input(self._input_index, [1, *self.input_shape])
        self.interpreter.allocate_tensors()

    def predict(self, image: np.ndarray) -> dict[str, np.ndarray]:
        # Casting straight into the input tensor and plain invoke() is faster than
        # set_tensor() or the signature runner (one copy less per frame).
        self.interpreter.tensor(self._input_index)()[0] = image
        self.interpreter.invoke()
        return {name: self.interpreter.get_tensor(index)
                for name, index in self._output_indexes.items()}
