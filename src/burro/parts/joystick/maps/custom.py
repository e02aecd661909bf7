"""`custom`: the map `burro createjs` wrote into the car folder (JOYSTICK_CUSTOM_MAP,
default myjoystick.json; Donkey's createjs writes my_joystick.py instead)."""

from __future__ import annotations

import json
from pathlib import Path

from burro.errors import BurroError
from burro.parts.joystick.mapping import ControllerMap, from_json
from burro.parts.joystick.maps import CONTROLLER_MAPS

DEFAULT_FILE = "myjoystick.json"


def custom_map_path(cfg) -> Path:
    name = Path(getattr(cfg, "JOYSTICK_CUSTOM_MAP", DEFAULT_FILE)).expanduser()
    return name if name.is_absolute() else Path(getattr(cfg, "CAR_PATH", ".")) / name


def load_custom_map(path: Path) -> ControllerMap:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BurroError("joystick map file not found", str(path),
                         "make it with `burro createjs` in the car folder, or set "
                         "CONTROLLER_TYPE to your pad's type") from None
    except OSError as error:
        raise BurroError(f"cannot read the joystick map: {error.strerror}", str(path),
                         "check its permissions") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BurroError(f"the joystick map is not JSON ({error.msg}, line {error.lineno})",
                         str(path), "write it again with `burro createjs`") from None
    return from_json(data, str(path))


@CONTROLLER_MAPS.register("custom")
def custom(cfg=None) -> ControllerMap:
    if cfg is None:
        raise BurroError("the custom controller map needs the car's config", "CONTROLLER_TYPE",
                         "load it with the car's config (JOYSTICK_CUSTOM_MAP)")
    return load_custom_map(custom_map_path(cfg))
