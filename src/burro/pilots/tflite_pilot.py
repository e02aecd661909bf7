"""Run a .tflite pilot with LiteRT (ai-edge-litert); no TensorFlow needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from burro.pilots.base import PILOT_FORMATS, Pilot, check_extra_sizes, default_threads
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
        inputs, self._output_indexes = self._tensors()
        # tensor indexes of img_in, then of each extra input
        order = self.input_order([name for name, _ in inputs], str(path))
        self._input_indexes = [inputs[i][1] for i in order]
        self._input_index = self._input_indexes[0]
        details = {detail["index"]: detail for detail in self.interpreter.get_tensor_details()}
        check_extra_sizes(self, [int(details[index]["shape"][-1])
                                 for index in self._input_indexes[1:]])
        if not self.input_shape:  # a Donkey pilot: the size the model was converted with
            shape = self.interpreter.get_tensor_details()[self._input_index]["shape"]
            self.input_shape = tuple(int(size) for size in shape[1:])
        self.interpreter.resize_tensor_input(self._input_index, [1, *self.input_shape])
        for extra, index in zip(self.extra_inputs, self._input_indexes[1:]):
            self.interpreter.resize_tensor_input(index, [1, extra.size])
        self.interpreter.allocate_tensors()

    def _tensors(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """(name, index) of the inputs and of the outputs: from the serving signature, or from
        the plain tensor details when the file has none (Donkey 5.4's .tflite files)."""
        if self.interpreter.get_signature_list():
            signature = self.interpreter.get_signature_runner()
            inputs, outputs = signature.get_input_details(), signature.get_output_details()
            del signature  # it holds tensor references that block resizing
            return ([(name, detail["index"]) for name, detail in inputs.items()],
                    [(name, detail["index"]) for name, detail in outputs.items()])
        inputs, outputs = self.interpreter.get_input_details(), self.interpreter.get_output_details()
        return ([(detail["name"], detail["index"]) for detail in inputs],
                [(detail["name"], detail["index"]) for detail in outputs])

    def predict(self, image: np.ndarray, *extra: np.ndarray) -> dict[str, np.ndarray]:
        # Casting straight into the input tensor and plain invoke() is faster than
        # set_tensor() or the signature runner (one copy less per frame).
        self.interpreter.tensor(self._input_index)()[0] = image
        for vector, index in zip(extra, self._input_indexes[1:]):
            self.interpreter.tensor(index)()[0] = vector
        self.interpreter.invoke()
        return self.named([(name, self.interpreter.get_tensor(index))
                           for name, index in self._output_indexes])
