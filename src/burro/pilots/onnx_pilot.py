"""Run a .onnx pilot with onnxruntime (CPU); no TensorFlow needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from burro.pilots.base import PILOT_FORMATS, Pilot, check_extra_sizes, default_threads
from burro.quiet import native_output_hidden


@PILOT_FORMATS.register(".onnx")
class OnnxPilot(Pilot):
    runtime = "ONNX Runtime"

    def __init__(self, path: Path, info: dict[str, Any], num_threads: int | None = None,
                 spin: bool = False):
        super().__init__(path, info)
        import onnxruntime as ort
        from onnxruntime.capi import onnxruntime_pybind11_state as ort_errors

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = num_threads or default_threads()
        # Busy-waiting worker threads steal CPU from the car's other parts; measured here it
        # also cut the p95 latency on a shared CPU (docs/benchmarks.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        try:
            with native_output_hidden():  # onnxruntime's own C++ warnings
                self.session = ort.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])
        except (ort_errors.Fail, ort_errors.InvalidProtobuf, ort_errors.InvalidGraph,
                ort_errors.InvalidArgument) as error:
            raise ValueError(str(error)) from None
        tensors = self.session.get_inputs()
        # img_in first, then each extra input, by name
        order = self.input_order([tensor.name for tensor in tensors], str(path))
        self._input_names = [tensors[i].name for i in order]
        check_extra_sizes(self, [_size(tensors[i].shape[-1]) for i in order[1:]])
        self._output_names = [output.name for output in self.session.get_outputs()]

    def predict(self, image: np.ndarray, *extra: np.ndarray) -> dict[str, np.ndarray]:
        arrays = [self.batch_of_one(image), *(vector[None] for vector in extra)]
        values = self.session.run(self._output_names, dict(zip(self._input_names, arrays)))
        return dict(zip(self._output_names, values))


def _size(dimension: object) -> int | None:
    return dimension if isinstance(dimension, int) else None  # a symbolic size: unknown
