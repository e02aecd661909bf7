"""Validation of every message a browser or script sends (docs/web.md, "Messages").

A message is one JSON object. It is accepted whole or rejected whole: a wrong type, a number
out of range or not finite, an unknown mode → `MessageError` with a one-line reason, and
nothing of the message is applied. Keys this server does not know are ignored and reported
back, so the caller can count them. Nothing here raises anything but MessageError.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE_BYTES = 4096
MODES = ("user", "local_angle", "local")  # burro.parts.drive_mode.MODES (no part import here)
BUTTONS = ("w1", "w2", "w3", "w4", "w5")

CONTROL_FIELDS = frozenset({"angle", "throttle", "drive_mode", "recording", "buttons",
                            "erase_last", "behavior"})
"""Fields only the driver may send (the first client to send one becomes the driver)."""


class MessageError(ValueError):
    """A rejected message; str(error) is the one line sent back as {"error": ...}."""


@dataclass
class Message:
    """An accepted message: the known fields with checked values, and the ignored keys."""

    fields: dict[str, Any]
    ignored: list[str] = field(default_factory=list)

    @property
    def control(self) -> dict[str, Any]:
        return {key: value for key, value in self.fields.items() if key in CONTROL_FIELDS}


def decode(data: str | bytes) -> dict[str, Any]:
    """The JSON object in `data`: refused over 4 KiB, when not JSON, with NaN/Infinity, or
    when it is not an object."""
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > MAX_MESSAGE_BYTES:
        raise MessageError(f"message of {size} bytes refused: at most {MAX_MESSAGE_BYTES}")
    try:
        value = json.loads(data, parse_constant=_refuse_constant)
    except MessageError:
        raise
    except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8, deep nesting
        raise MessageError(f"not JSON: {_short(error)}") from None
    if not isinstance(value, dict):
        raise MessageError(f"a message is a JSON object, not {_json_type(value)}")
    return value


def _refuse_constant(name: str) -> None:
    raise MessageError(f"{name} is not a finite number")


# ----- field checks -------------------------------------------------------------------------

def unit_number(name: str, value: Any) -> float:
    """A finite number in [-1, 1] (a JSON int counts; true/false do not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MessageError(f"{name} must be a number in [-1, 1], not {_json_type(value)}")
    if not math.isfinite(value) or not -1.0 <= value <= 1.0:
        raise MessageError(f"{name} must be in [-1, 1], not {value!r}")
    return float(value)


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise MessageError(f"{name} must be true or false, not {_json_type(value)}")
    return value


def mode(name: str, value: Any) -> str:
    if not isinstance(value, str) or value not in MODES:
        raise MessageError(f"{name} must be one of {', '.join(MODES)}, not {_shown(value)}")
    return value


def buttons(name: str, value: Any) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise MessageError(f"{name} must be an object of button name → true/false")
    unknown = [key for key in value if key not in BUTTONS]
    if unknown:
        raise MessageError(f"unknown button {_shown(unknown[0])} in {name}: "
                           f"use {', '.join(BUTTONS)}")
    return {key: flag(f"{name}.{key}", pressed) for key, pressed in value.items()}


def hello(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise MessageError(f"{name} must be an object like {{\"client\": \"Firefox on Android\"}}")
    client = value.get("client", "")
    if not isinstance(client, str):
        raise MessageError(f"{name}.client must be a string, not {_json_type(client)}")
    return {"client": " ".join(client.split())[:80]}


def index(name: str, value: Any, count: int | None) -> int:
    if count is None:
        raise MessageError(f"{name}: this car has no behaviours (TRAIN_BEHAVIORS is off)")
    if isinstance(value, bool) or not isinstance(value, int):
        raise MessageError(f"{name} must be an index (an integer), not {_json_type(value)}")
    if not 0 <= value < count:
        raise MessageError(f"{name} {value} is not a behaviour: use 0..{count - 1}")
    return value


Check = Callable[[str, Any], Any]

DRIVE_FIELDS: Mapping[str, Check] = {
    "angle": unit_number, "throttle": unit_number, "drive_mode": mode, "recording": flag,
    "buttons": buttons, "stop": flag, "erase_last": flag, "take_control": flag, "hello": hello,
}


def drive_message(data: str | bytes, behaviors: int | None = None) -> Message:
    """A `/wsDrive` or `POST /drive` message; `behaviors` is the number of behaviour states
    (None: the car has none)."""
    value = decode(data)
    fields, ignored = {}, []
    for key, item in value.items():
        if key == "behavior":
            fields[key] = index(key, item, behaviors)
        elif key in DRIVE_FIELDS:
            fields[key] = DRIVE_FIELDS[key](key, item)
        else:
            ignored.append(key)
    return Message(fields, ignored)


def calibrate_message(data: str | bytes, names: tuple[str, ...], low: int,
                      high: int) -> Message:
    """A `/wsCalibrate` message: angle, throttle, save, and config {NAME: pulse} with NAME one
    of `names` and the pulse an integer from `low` to `high`."""
    value = decode(data)
    fields, ignored = {}, []
    for key, item in value.items():
        if key in ("angle", "throttle"):
            fields[key] = unit_number(key, item)
        elif key == "save":
            fields[key] = flag(key, item)
        elif key == "config":
            fields[key] = _pulses(item, names, low, high)
        else:
            ignored.append(key)
    return Message(fields, ignored)


def _pulses(value: Any, names: tuple[str, ...], low: int, high: int) -> dict[str, int]:
    if not isinstance(value, dict):
        raise MessageError("config must be an object like {\"STEERING_LEFT_PWM\": 460}")
    pulses = {}
    for name, pulse in value.items():
        if name not in names:
            raise MessageError(f"unknown calibration key {_shown(name)}: use {', '.join(names)}")
        if isinstance(pulse, bool) or not isinstance(pulse, int):
            raise MessageError(f"{name} must be an integer pulse count, not {_json_type(pulse)}")
        if not low <= pulse <= high:
            raise MessageError(f"{name} {pulse} is outside {low}..{high} (0.5–2.5 ms at 60 Hz)")
        pulses[name] = pulse
    return pulses


# ----- wording ------------------------------------------------------------------------------

def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {_shown(value)}"
    return "an array" if isinstance(value, list) else "an object"


def _shown(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:120]
