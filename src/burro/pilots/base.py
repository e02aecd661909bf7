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
from burro.models.metadata import extra_inputs_of, metadata_path, read_metadata
from burro.pilots.donkey import CONVENTION, check_input_size, donkey_info, match_outputs, scaled_frame
from burro.registry import Registry

PILOT_FORMATS: Registry[type[Pilot]] = Registry("pilot format", "burro.pilots",
                                                 where="--model", fold=str.lower)


def default_threads() -> int:
    """Threads for one inference: all CPUs up to 4 (a Raspberry Pi's count). Measured on 2
    cores: 2 threads 0.67 ms vs 1 thread 1.19 ms with a core free (docs/benchmarks.md)."""
    return min(4, os.cpu_count() or 1)


class ExtraInputError(BurroError):
    """An extra input (e.g. the behaviour vector) that is missing or of the wrong shape."""


class Pilot(ABC):
    """A trained model ready to drive: `run(image, *extra) -> (angle, throttle)`.

    `extra_inputs` (from the model's metadata, `burro.models.base.ExtraInput`) names the
    inputs after the image, e.g. `xbehavior_in` fed from `behavior/one_hot_state_array`;
    image-only pilots have none. Subclasses open the file in `__init__` and implement
    `predict(image, *extra)`, which maps one (H, W, D) frame of raw pixels and one float32
    vector per extra input (in `extra_inputs` order) to the model's named outputs; `runtime`
    names the inference library for the start-up line.
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
        self.extra_inputs = extra_inputs_of(info, str(metadata_path(path)))

    @abstractmethod
    def predict(self, image: np.ndarray, *extra: np.ndarray) -> dict[str, np.ndarray]:
        """Named model outputs for one frame already checked to be `input_shape` and the
        extra inputs' vectors, checked to be their sizes."""
        raise NotImplementedError

    def run(self, image: np.ndarray, *extra: Any) -> tuple[float, float]:
        """(angle, throttle) for one camera frame (H, W, D) uint8 and the values of the
        `extra_inputs`, in their order (an ExtraInputError when one is missing or of the
        wrong size). An image-only pilot ignores extra values, as Donkey does."""
        frame = self.checked(image)
        if self.donkey:
            frame = scaled_frame(frame)
        vectors = self.checked_extras(extra)
        return self.model_type.interpret(self.predict(frame, *vectors), self.settings)

    def checked_extras(self, values: tuple[Any, ...]) -> list[np.ndarray]:
        """One float32 vector per extra input, or an ExtraInputError saying which is bad."""
        if len(values) < len(self.extra_inputs):
            missing = ", ".join(extra.key for extra in self.extra_inputs[len(values):])
            raise ExtraInputError(f"the pilot needs {missing} besides the image", str(self.path),
                                  "feed it as the pilot's input (the car adds the pilot's "
                                  "extra_inputs)")
        return [self._vector(extra, value) for extra, value in zip(self.extra_inputs, values)]

    def _vector(self, extra: Any, value: Any) -> np.ndarray:
        if value is None:
            raise ExtraInputError(f"no {extra.key} value for the pilot's input {extra.name}",
                                  str(self.path), f"add the part that outputs {extra.key}")
        try:
            vector = np.asarray(value, dtype=np.float32).reshape(-1)
        except (TypeError, ValueError):
            vector = None
        if vector is None or vector.size != extra.size or not np.all(np.isfinite(vector)):
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
            raise ExtraInputError(f"{extra.key} = {shown} is not {extra.size} finite numbers "
                                  f"(the pilot's input {extra.name})", str(self.path),
                                  f"give {extra.size} values"
                                  + (f", one per {extra.size_from} entry" if extra.size_from
                                     else ""))
        return vector

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

    def input_order(self, names: list[str], where: str) -> list[int]:
        """For a runtime's input tensor `names`: the position of img_in, then of each extra
        input, found by name (Donkey's TFLite files add a `serving_default_` prefix and a
        `:0` suffix). A model whose inputs are not the metadata's gives a ValueError."""
        wanted = ["img_in", *(extra.name for extra in self.extra_inputs)]
        if len(names) != len(wanted):
            raise ValueError(f"the model has {len(names)} inputs, its type "
                             f"{self.model_type.name} takes {len(wanted)} ({', '.join(wanted)})"
                             f" in {where}")
        if len(names) == 1:
            return [0]
        found = []
        for name in wanted:
            matches = [i for i, given in enumerate(names) if _base_name(given) == name]
            if len(matches) != 1:
                raise ValueError(f"the model has no input called {name} (it has "
                                 f"{', '.join(names)})")
            found.append(matches[0])
        return found

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.info['type']} {self.path}>"


def check_extra_sizes(pilot: Pilot, sizes: list[Any]) -> None:
    """The model file's extra input sizes (None: unknown) are what the metadata (or, for a
    Donkey pilot, the car config) says; else a one-line BurroError."""
    for extra, size in zip(pilot.extra_inputs, sizes):
        if size is not None and int(size) != extra.size:
            given = f"{extra.size_from} has {extra.size}" if extra.size_from else \
                f"the metadata says {extra.size}"
            raise BurroError(f"the pilot's input {extra.name} takes {int(size)} values, {given}",
                             str(pilot.path),
                             f"set {extra.size_from} to the {int(size)} states the pilot was "
                             "trained with" if extra.size_from else "re-export the pilot")


def _base_name(tensor: str) -> str:
    """`serving_default_xbehavior_in:0` -> `xbehavior_in`."""
    name = tensor.split(":")[0]
    return name[len("serving_default_"):] if name.startswith("serving_default_") else name


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
