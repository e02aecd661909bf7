"""Run a .tflite pilot with LiteRT (ai-edge-litert); no TensorFlow needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from burro.pilots.base import Pilot


class TFLitePilot(Pilot):
    def __init__(self, path: Path, info: dict[str, Any], num_threads: int | None = None):
        super().__init__(path, info)
        self.interpreter = Interpreter(model_path=str(path), num_threads=num_threads)
        signature = self.interpreter.get_signature_runner()
        self._input_index = next(iter(signature.get_input_details().values()))["index"]
        self._output_indexes = {name: detail["index"]
                                for name, detail in signature.get_output_details().items()}
        del signature  # it holds tensor references that block resizing
        self.interpreter.resize_tensor_input(self._input_index, [1, *self.input_shape])
        self.interpreter.allocate_tensors()

    def predict(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        # Plain set/invoke/get is faster than calling the signature runner every frame.
        self.interpreter.set_tensor(self._input_index, batch)
        self.interpreter.invoke()
        return {name: self.interpreter.get_tensor(index)
                for name, index in self._output_indexes.items()}
