"""`<model>.json` next to a model file: what a pilot needs to run it without guessing.

Every export of one model (`x.keras`, `x.h5`, `x.tflite`, `x.onnx`) shares `x.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import burro
from burro.errors import BurroError
from burro.files import atomic_output
from burro.models.base import config_value, get_model_type, input_shape
from burro.models.transform_spec import transformation_specs

REQUIRED = ("type", "input_shape", "outputs")


def metadata_path(model_path: str | Path) -> Path:
    return Path(model_path).with_suffix(".json")


def model_metadata(model_type: str, cfg: Any) -> dict[str, Any]:
    """The base metadata of a model built with `cfg`; training adds history, tubs, ..."""
    mt = get_model_type(model_type)
    return {
        "type": mt.name,
        "input_shape": list(input_shape(cfg)),
        "input_name": "img_in",
        "input_range": [0, 255],
        "extra_inputs": [extra.to_json() for extra in mt.extra_inputs(cfg)],
        "transformations": transformation_specs(cfg),
        "outputs": list(mt.output_names),
        "control_ranges": mt.control_ranges(cfg),
        "config": {key: config_value(cfg, key) for key in mt.config_keys},
        "burro_version": burro.__version__,
    }


def write_metadata(model_path: str | Path, info: dict[str, Any]) -> Path:
    """Write `info` (which must hold at least type, input_shape, outputs) as `<model>.json`,
    complete or not at all (under a temporary name first)."""
    path = metadata_path(model_path)
    text = metadata_text(info)
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def metadata_text(info: dict[str, Any]) -> str:
    """The JSON text of `<model>.json` for `info`."""
    missing = [key for key in REQUIRED if key not in info]
    if missing:
        raise ValueError(f"model metadata lacks {missing}; start from model_metadata()")
    info = {"burro_version": burro.__version__, **info}
    return json.dumps(info, indent=2, default=_jsonable) + "\n"


def extra_inputs_of(info: dict[str, Any], where: str) -> tuple[Any, ...]:
    """The model's inputs after the image, from its metadata (none for older pilots)."""
    from burro.models.base import ExtraInput

    try:
        return tuple(ExtraInput.from_json(item) for item in info.get("extra_inputs") or ())
    except (KeyError, TypeError, ValueError, IndexError):
        raise BurroError("model metadata has a malformed extra_inputs entry", where,
                         "restore the .json written by burro train") from None


def read_metadata(model_path: str | Path) -> dict[str, Any]:
    path = metadata_path(model_path)
    if not path.is_file():
        raise BurroError("model metadata not found", str(path),
                         "keep the .json that burro train wrote next to the model file")
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BurroError(f"model metadata is not valid JSON ({error})", str(path),
                         "restore the .json written by burro train") from None
    missing = [key for key in REQUIRED if key not in info] if isinstance(info, dict) else REQUIRED
    if missing:
        raise BurroError(f"model metadata lacks {', '.join(missing)}", str(path),
                         "restore the .json written by burro train")
    return info


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    return str(value)
