"""The Pilot interface and `load(path)`, which picks a runtime by file suffix.

Each runtime is a module of this package registering its Pilot class for the suffixes it
opens (`@PILOT_FORMATS.register(".onnx")`); it imports its inference library (Keras,
LiteRT, onnxruntime) only when a pilot is opened, so finding runtimes imports none.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from burro.errors import BurroError, first_line
from burro.models import get_model_type
from burro.models.metadata import metadata_path, read_metadata
from burro.pilots.donkey import CONVENTION, check_input_size, donkey_info, match_outputs, scaled_frame
from burro.registry import Registry

PILOT_FORMATS: Registry[type[Pilot]] = Registry("pilot format", "burro.pilots",
                                                 where="--model", fold=str.lower)


def default_threads() -> int:
    """Threads for one inference: all CPUs up to 4 (a Raspberry Pi's count). Measured on 2
    cores: 2 threads 0.67 ms vs 1 thread 1.19 ms with a core free (docs/benchmarks.md)."""
    return min(4, os.cpu_count() or 1)


class Pilot(ABC):
    """A trained model ready to drive: `run(image) -> (angle, throttle)`.

    Subclasses open the file in `__init__` and implement `predict(image)`, which maps one
    (H, W, D) frame of raw pixels to the model's named outputs; `runtime` names the
    inference library for the start-up line.
    """

    runtime = ""

    def __init__(self, path: Path, info: dict[str, Any]):
        self.path = path
        self.info = info
        self.model_type = get_model_type(info["type"])
        # A Donkey pilot's input shape comes from the model file: its runtime sets it.
        self.input_shape = tuple(info["input_shape"]) if "input_shape" in info else ()
        self.settings = info.get("config", {})
        self.donkey = info.get("convention") == CONVENTION

    @abstractmethod
    def predict(self, image: np.ndarray) -> dict[str, np.ndarray]:
        """Named model outputs for one frame already checked to be `input_shape`."""
        raise NotImplementedError

    def run(self, image: np.ndarray, *extra: Any) -> tuple[float, float]:
        """(angle, throttle) for one camera frame (H, W, D) uint8. Extra inputs (IMU,
        behaviour, ...) belong to later model types; these types ignore them, as Donkey does."""
        frame = self.checked(image)
        if self.donkey:
            frame = scaled_frame(frame)
        return self.model_type.interpret(self.predict(frame), self.settings)

    def named(self, produced: list[tuple[str, np.ndarray]]) -> dict[str, np.ndarray]:
        """A runtime's outputs (tensor name, value), in the model's order, by the names the
        model type reads. Burro pilots keep their names; Donkey pilots may have lost them."""
        if not self.donkey:
            return dict(produced)
        return match_outputs(self.model_type.output_names, produced, str(self.path))

    def checked(self, image: np.ndarray) -> np.ndarray:
        array = np.asarray(image)
        if array.shape == self.input_shape:
            return array
        if self.input_shape[2] == 1 and array.shape == self.input_shape[:2]:
            return array[..., None]
        raise BurroError(
            f"image shape {array.shape} does not match the model input {self.input_shape}",
            str(self.path), "give frames of IMAGE_H x IMAGE_W x IMAGE_DEPTH the model "
            "was trained with")

    @staticmethod
    def batch_of_one(image: np.ndarray) -> np.ndarray:
        return image.astype(np.float32, copy=False)[None]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.info['type']} {self.path}>"


def runtime_names() -> list[str]:
    """The file suffixes a pilot can be loaded from."""
    return PILOT_FORMATS.names()


def check_model_type(path: str | Path, given: str | None) -> None:
    """A `--type` given for a burro pilot must name the type in its `<model>.json` (Donkey's
    `tflite_`/`tensorrt_` prefixes accepted); None checks nothing. One-line BurroError else."""
    if given is None:
        return
    wanted = get_model_type(given, where="--type").name
    info = read_metadata(path)
    actual = get_model_type(info["type"], where=str(metadata_path(path))).name
    if wanted != actual:
        raise BurroError(f"--type {given} does not match the pilot's type {actual}",
                         str(metadata_path(path)),
                         f"leave --type out (a burro pilot knows its type) or give --type {actual}")


def load(path: str | Path, model_type: str | None = None, cfg: Any = None,
         **options: Any) -> Pilot:
    """Open a pilot file.

    A burro pilot's type and input come from `<model>.json` next to it; a `model_type`
    (`--type`) given must agree. A file without that `.json` is a pilot trained by Donkey:
    `model_type` is then required, and its input size (from the file) must match the car
    config `cfg`'s IMAGE_H/W/DEPTH when a config is given. `options` go to the runtime
    (e.g. `num_threads` for .tflite/.onnx).
    """
    path = Path(path).expanduser()
    pilot_class = PILOT_FORMATS.get(path.suffix or "(no suffix)", where=str(path))
    if not path.exists():
        raise BurroError("pilot file not found", str(path), "check the model path")
    if metadata_path(path).exists():
        info = read_metadata(path)
        get_model_type(info["type"], where=str(metadata_path(path)))
        check_model_type(path, model_type)
        remedy = f"re-export it; metadata is {metadata_path(path).name}"
        foreign: tuple[type[Exception], ...] = (ValueError, RuntimeError, OSError)
    else:
        info = donkey_info(path, model_type, cfg)
        remedy = "give the file Donkey wrote (.tflite, .h5 or .keras) and its --type"
        foreign = (ValueError, RuntimeError, OSError, TypeError, KeyError)  # Keras 2 configs
    try:
        pilot = pilot_class(path, info, **options)
    except BurroError:
        raise
    except foreign as error:  # corrupt or foreign file
        raise BurroError(f"cannot open the pilot ({first_line(error, 200)})", str(path),
                         remedy) from None
    if pilot.donkey:
        check_input_size(pilot.input_shape, path, cfg)
    return pilot
