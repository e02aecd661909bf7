"""Save, reload and convert trained Keras pilots (.keras, .h5, .tflite, .onnx).

The transformations and the 1/255 scaling are layers of the model, so every exported file
takes raw float32 pixels `img_in` (N, H, W, D), plus the type's extra inputs by their names
(e.g. `xbehavior_in` (N, len(BEHAVIOR_LIST))), and returns the named outputs of its type.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from burro.errors import BurroError, first_line
from burro.files import atomic_output
from burro.quiet import logger_quieted

log = logging.getLogger("burro.models.export")

KERAS_SUFFIXES = (".keras", ".h5")
QUANTIZATIONS = (None, "float16", "int8")
ONNX_OPSET = 17


def check_keras_suffix(path: str | Path) -> Path:
    """`path` when it names a Keras model file (.keras or .h5), else a BurroError."""
    path = Path(path)
    if path.suffix not in KERAS_SUFFIXES:
        raise BurroError(f"cannot save a Keras model as {path.suffix or 'a file without suffix'}",
                         str(path), "name the model file .keras or .h5")
    return path


def save_keras_model(model: Any, path: str | Path) -> Path:
    """Save in the format the suffix names: `.keras` (native) or `.h5` (legacy HDF5).

    The file appears complete or not at all (written under a temporary name first).
    """
    path = check_keras_suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # logger_quieted: Keras logs "saving your model as an HDF5 file ... legacy" for every .h5
    with atomic_output(path) as temporary, logger_quieted("absl"):
        try:
            model.save(temporary)
        except OSError as error:
            raise _plain_os_error(error) from None
    return path


def _plain_os_error(error: OSError) -> OSError:
    """h5py reports a failed write as a multi-line OSError, its errno in the text."""
    found = re.search(r"errno = (\d+)", str(error))
    number = error.errno or (int(found.group(1)) if found else None)
    if number:
        return OSError(number, os.strerror(number))
    return OSError(errno.EIO, first_line(error, 200))


def load_keras_model(path: str | Path, compile: bool = False) -> Any:
    """Load a .keras/.h5 pilot; burro's transformation layers are registered first."""
    import keras

    import burro.models.transforms  # noqa: F401  (registers the custom layers)

    path = Path(path)
    if not path.exists():
        raise BurroError("model file not found", str(path), "check the path")
    try:
        return keras.models.load_model(path, compile=compile)
    except (OSError, ValueError, TypeError) as error:
        raise BurroError(f"cannot load the Keras model ({first_line(error, 200)})", str(path),
                         "pass a .keras or .h5 file written by burro train") from None


def export_tflite(model: Any, path: str | Path, quantize: str | None = None,
                  representative: Iterable[np.ndarray] | Callable[[], Iterable] | None = None
                  ) -> Path:
    """Write a TFLite flatbuffer; float32 by default, or `quantize` "float16" / "int8".

    int8 needs `representative`: raw float32 frames (H, W, D) or batches of them, a few
    hundred are plenty; inputs and outputs stay float32 so pilots run it unchanged. For a
    model with extra inputs each item is a tuple (frame, *extra vectors) in input order.
    """
    return write_bytes_atomically(path, tflite_flatbuffer(model, quantize, representative))


def tflite_flatbuffer(model: Any, quantize: str | None = None,
                      representative: Iterable[np.ndarray] | Callable[[], Iterable] | None = None
                      ) -> bytes:
    """The .tflite file's bytes (see `export_tflite`)."""
    import tensorflow as tf

    if quantize not in QUANTIZATIONS:
        raise BurroError(f"unknown TFLite quantisation {quantize!r}", "quantize",
                         "use none, float16 or int8")
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if quantize == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif quantize == "int8":
        if representative is None:
            raise BurroError("int8 quantisation needs representative frames", "quantize=int8",
                             "pass a few hundred training images")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        names = [input_name(tensor) for tensor in model.inputs]
        converter.representative_dataset = _representative_batches(representative, names)
    with _quiet():
        return converter.convert()


def export_onnx(model: Any, path: str | Path, opset: int = ONNX_OPSET) -> Path:
    """Write an ONNX model (tf2onnx) with inputs `img_in` (and any extra inputs, by their
    names) and the type's named outputs."""
    return write_bytes_atomically(path, onnx_bytes(model, opset))


def onnx_bytes(model: Any, opset: int = ONNX_OPSET) -> bytes:
    """The .onnx file's bytes (see `export_onnx`)."""
    import tensorflow as tf
    import tf2onnx

    specs = [tf.TensorSpec((None, *tensor.shape[1:]), tf.float32, name=input_name(tensor))
             for tensor in model.inputs]
    with _quiet():
        proto, _ = tf2onnx.convert.from_keras(model, input_signature=specs, opset=opset)
    return proto.SerializeToString()


def input_name(tensor: Any) -> str:
    """A Keras input's name (`img_in`), without a `:0` tensor suffix."""
    return str(tensor.name).split(":")[0]


def write_bytes_atomically(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as temporary:
        temporary.write_bytes(data)
    return path


def _representative_batches(frames: Iterable[np.ndarray] | Callable[[], Iterable],
                            names: list[str]):
    def batches():
        source = frames() if callable(frames) else frames
        for item in source:
            if isinstance(item, tuple | list):  # (frame, *extra inputs): by input name, as
                # the converter's tensor order need not be the model's
                yield {name: np.asarray(part, dtype=np.float32)[None]
                       for name, part in zip(names, item)}
                continue
            array = np.asarray(item, dtype=np.float32)
            for single in array if array.ndim == 4 else [array]:
                yield [single[None]]

    return batches


@contextlib.contextmanager
def _quiet():
    """TF/Keras converters print artifact listings to stdout; keep the user's console clean."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        yield
    if sink.getvalue():
        log.debug("%s", sink.getvalue())
