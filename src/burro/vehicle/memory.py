"""The drive loop's memory: a flat key -> value store that parts read inputs from and write
outputs to, with Donkey Car's rules (`donkeycar/memory.py`), so Donkey-style code keeps working.
"""

from collections.abc import Iterable, Sequence
from typing import Any


class OutputCountError(ValueError):
    """A part returned a different number of values than the outputs it was added with."""


class Memory:
    """`mem[key]`, `mem[key] = value`, `mem.get(keys)` (missing keys read as None) and
    `mem.put(keys, values)`. Keys are strings, by convention `namespace/name`."""

    def __init__(self) -> None:
        self.d: dict[str, Any] = {}  # Donkey's attribute name: some user code reads mem.d

    def __getitem__(self, key: str | tuple) -> Any:
        if isinstance(key, tuple):  # Donkey: mem[("a", "b")] reads several keys
            return [self.d[k] for k in key]
        return self.d[key]

    def __setitem__(self, key: str | tuple, value: Any) -> None:
        if isinstance(key, tuple):
            self.put(list(key), value)
        else:
            self.d[key] = value

    def __contains__(self, key: str) -> bool:
        return key in self.d

    def __len__(self) -> int:
        return len(self.d)

    def keys(self) -> Iterable[str]:
        return self.d.keys()

    def items(self) -> Iterable[tuple[str, Any]]:
        return self.d.items()

    def get(self, keys: Sequence[str]) -> list:
        """The values of `keys`, in order; a key nobody wrote yet reads as None."""
        return [self.d.get(k) for k in keys]

    def put(self, keys: Sequence[str], values: Any) -> None:
        """Store a part's return value. One key: the whole value is stored (a tuple stays a
        tuple). Several keys: `values` must hold exactly one value per key (Donkey drops extra
        values silently and fails on too few; here both are an OutputCountError)."""
        if len(keys) == 1:
            self.d[keys[0]] = values
            return
        if not keys:
            return  # a part added without outputs: its return value is not stored
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise OutputCountError(
                f"returned one {type(values).__name__} for {len(keys)} outputs {list(keys)}")
        if len(values) != len(keys):
            raise OutputCountError(
                f"returned {len(values)} values for {len(keys)} outputs {list(keys)}")
        for key, value in zip(keys, values):
            self.d[key] = value
