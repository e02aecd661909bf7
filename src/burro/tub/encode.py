"""Turning a record's values into a catalog line, as Donkey stores them (see docs/tub.md)."""

import json
import math

import numpy as np

from burro.errors import BurroError


def encode_value(key: str, kind: str, value):
    try:
        if kind == "float":
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(f"{number} is not a finite number")
            return number
        if kind == "int":
            return int(value)
        if kind == "boolean":
            return bool(value)
        if kind == "str":
            return value if isinstance(value, str) else str(value)
        if kind in ("list", "vector", "nparray"):
            return np.asarray(value).tolist() if kind == "nparray" else [
                plain(item) for item in value]
    except (TypeError, ValueError) as error:
        raise BurroError(f"value of '{key}' cannot be stored as {kind}: {error}",
                         f"{value!r:.60}", "fix the part that produces it") from None
    return value


def plain(item):
    if isinstance(item, np.ndarray):
        return item.tolist()
    return item.item() if isinstance(item, np.generic) else item


def record_line(values: dict) -> bytes:
    try:
        return (json.dumps(values, allow_nan=False, sort_keys=True) + "\n").encode("ascii")
    except (TypeError, ValueError):
        for key, value in values.items():
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError) as error:
                raise BurroError(f"value of '{key}' cannot be stored: {error}",
                                 f"{value!r:.60}", "fix the part that produces it") from None
        raise
