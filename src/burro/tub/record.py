"""One tub record: the stored values plus `_index`, `_timestamp_ms` and `_session_id`.

A `null` value means "missing", as if the key were not in the line: `"user/angle" in rec` is
False and `rec["user/angle"]` raises KeyError; `rec.data` is the line as stored.
`rec["cam/image_array"]` is the stored image file name; `rec.image(key)` decodes it on demand
and `rec.image_path(key)` gives the file for decoding elsewhere (e.g. inside a tf.data graph).
"""

import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from burro.errors import BurroError
from burro.tub.images import load_image
from burro.tub.manifest import IMAGE_TYPES

if TYPE_CHECKING:
    from burro.tub.tub import Tub

PRIVATE_KEYS = ("_index", "_timestamp_ms", "_session_id")


class Record(Mapping):
    __slots__ = ("_data", "index", "session_id", "timestamp_ms", "tub")

    def __init__(self, data: dict, tub: "Tub", index: int, session_id: str,
                 timestamp_ms: int | None):
        self._data = data
        self.tub = tub
        self.index = index
        self.session_id = session_id
        self.timestamp_ms = timestamp_ms

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (key for key, value in self._data.items() if value is not None)

    def __len__(self) -> int:
        return sum(1 for value in self._data.values() if value is not None)

    def __repr__(self) -> str:
        return f"Record({self.tub.path.name}#{self.index}, {self._data!r})"

    @property
    def data(self) -> dict:
        """The record as stored in the catalog line."""
        return self._data

    def image_path(self, key: str) -> Path:
        if self.tub.type_of(key) not in IMAGE_TYPES:
            raise BurroError(f"'{key}' is not an image key of this tub", str(self.tub.path),
                             f"image keys: {', '.join(self.tub.image_keys) or 'none'}")
        return self.tub.images_path / self[key]

    def image(self, key: str) -> np.ndarray:
        """HxWx3 uint8 for `image_array`, HxW uint16 for `gray16_array`."""
        path = self.image_path(key)
        try:
            return load_image(path)
        except (OSError, ValueError, SyntaxError) as error:
            raise BurroError(f"cannot decode image of record {self.index}: {error}", str(path),
                             "run `burro tub check --repair` to find and delete bad records"
                             ) from None


def value_problem(kind: str, value: Any) -> str | None:
    """Why a stored value does not fit its declared type, or None when it does."""
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"not a number: {value!r:.40}"
        if not math.isfinite(value):
            return f"{value} is not a finite number"
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"not an integer: {value!r:.40}"
    elif kind == "boolean":
        if not isinstance(value, bool):
            return f"not true/false: {value!r:.40}"
    elif kind in ("str", *IMAGE_TYPES):
        if not isinstance(value, str):
            return f"not a string: {value!r:.40}"
        if kind in IMAGE_TYPES and ("/" in value or "\\" in value or value in ("", ".", "..")):
            return f"not an image file name: {value!r:.40}"
    elif kind in ("list", "vector", "nparray"):
        if not isinstance(value, list):
            return f"not a list: {value!r:.40}"
        if not _all_finite(value):
            return "list holds NaN or infinite numbers"
    return None


def _all_finite(values: list) -> bool:
    pending = [values]  # a loop, not recursion: nesting depth comes from untrusted files
    while pending:
        for item in pending.pop():
            if isinstance(item, float) and not math.isfinite(item):
                return False
            if isinstance(item, list):
                pending.append(item)
    return True
