"""Pilots trained by Donkey Car (5.3 / 5.4): model files without burro's `.json`.

Such a file says nothing about its type, so `--type` must (Donkey's spellings: `linear`,
`categorical`, `inferred`, `tflite_linear`, ...). What Donkey's drive loop does, burro does:
frames go in as float32 scaled to [0, 1] (burro pilots take raw 0..255 pixels and scale inside
the model), the input size is the model's own, and the outputs are found by Donkey's names
(`n_outputs0`/`n_outputs1`, `angle_out`/`throttle_out`) — or, where a runtime lost the names
(Donkey 5.4's .tflite files have no SignatureDef), by their sizes and then their order.
Image transformations are not in a Donkey model: the `Transformations` part applies the car
config's TRANSFORMATIONS before the pilot, as Donkey's template does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from burro.errors import BurroError
from burro.models import get_model_type
from burro.models.base import config_value
from burro.models.metadata import metadata_path

if TYPE_CHECKING:
    import numpy as np

CONVENTION = "donkey"
DONKEY_SUFFIXES = (".tflite", ".h5", ".keras")
EXAMPLE_TYPES = ("linear, categorical, inferred, behavior, tflite_linear, tflite_categorical, "
                 "tflite_inferred, tflite_behavior")


def donkey_info(path: Path, model_type: str | None, cfg: Any = None) -> dict[str, Any]:
    """The `info` a runtime gets for a Donkey pilot: its type from `--type`, settings from the
    car config (MODEL_CATEGORICAL_MAX_THROTTLE_RANGE, as Donkey reads it at drive time), and
    the type's extra inputs (behavior: `xbehavior_in`, len(BEHAVIOR_LIST) of the car config)."""
    if path.suffix.lower() not in DONKEY_SUFFIXES:  # Donkey writes no .onnx: a burro pilot
        raise BurroError("model metadata not found", str(metadata_path(path)),
                         "keep the .json that burro train wrote next to the model file")
    if model_type is None:
        raise BurroError("a pilot without burro's .json (trained by Donkey?) needs --type",
                         str(path), f"give --type as for Donkey: one of {EXAMPLE_TYPES}")
    kind = get_model_type(model_type, where="--type")
    return {"type": kind.name, "convention": CONVENTION,
            "config": {key: config_value(cfg, key) for key in kind.config_keys},
            "extra_inputs": [extra.to_json() for extra in kind.extra_inputs(cfg)]}


def scaled_frame(image: np.ndarray) -> np.ndarray:
    """Donkey's normalize_image (float64 x 1/255), then float32 as its interpreters feed it."""
    import numpy as np

    return (image.astype(np.float64) * (1.0 / 255)).astype(np.float32)


def match_outputs(wanted: tuple[str, ...], produced: list[tuple[str, np.ndarray]],
                  where: str) -> dict[str, np.ndarray]:
    """Name the model's outputs as the model type expects them.

    By name first (a tensor called `n_outputs0`, or `StatefulPartitionedCall:n_outputs0`),
    then by size where sizes differ (categorical: 15 angle bins, 20 throttle bins), then in
    the order given (what the model returns).
    """
    if len(produced) != len(wanted):
        raise BurroError(f"the model has {len(produced)} outputs, --type expects {len(wanted)} "
                         f"({', '.join(wanted)})", where, "give the --type it was trained as")
    named = {name: _by_name(name, produced) for name in wanted}
    if all(value is not None for value in named.values()):
        return named
    by_size = _by_size(wanted, produced)
    if by_size is not None:
        return by_size
    return {name: value for name, (_, value) in zip(wanted, produced)}


def _by_name(name: str, produced: list[tuple[str, np.ndarray]]) -> np.ndarray | None:
    matches = [value for tensor, value in produced
               if tensor == name or tensor.split(":")[-1] == name or tensor.split("/")[0] == name]
    return matches[0] if len(matches) == 1 else None


def _by_size(wanted: tuple[str, ...],
             produced: list[tuple[str, np.ndarray]]) -> dict[str, np.ndarray] | None:
    """Categorical: angle_out has 15 bins, throttle_out 20. None where sizes do not tell."""
    from burro.models.types.categorical import ANGLE_BINS, THROTTLE_BINS

    bins = {"angle_out": ANGLE_BINS, "throttle_out": THROTTLE_BINS}
    by_size = {value.size: value for _, value in produced}
    if set(wanted) != set(bins) or set(by_size) != set(bins.values()):
        return None
    return {name: by_size[bins[name]] for name in wanted}


def check_input_size(shape: tuple[int, ...], path: Path, cfg: Any) -> None:
    """The model's input must be the camera's IMAGE_H x IMAGE_W x IMAGE_DEPTH."""
    if cfg is None:
        return
    wanted = tuple(config_value(cfg, key) for key in ("IMAGE_H", "IMAGE_W", "IMAGE_DEPTH"))
    if tuple(shape) != wanted:
        height, width, depth = shape
        raise BurroError(
            f"the pilot takes {width}x{height}x{depth} frames, the car config gives "
            f"{wanted[1]}x{wanted[0]}x{wanted[2]}", str(path),
            f"set IMAGE_W = {width}, IMAGE_H = {height}, IMAGE_DEPTH = {depth} in myconfig.py "
            "(the size the pilot was trained with)")
