"""Value types for config keys: each checks a value and says what it expected."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from burro.values import is_finite_number as _is_number
from burro.values import is_int as _is_int


@dataclass(frozen=True)
class ValueType:
    name: str
    accepts: Callable[[Any], bool]
    normalise: Callable[[Any], Any] = lambda value: value

    def check(self, value: Any) -> bool:
        return self.accepts(value)


def _is_pair_of_numbers(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 2 and all(map(_is_number, value))


def _is_list_of(item_check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, (list, tuple)) and all(map(item_check, value))


def _is_color(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and len(value) == 3
        and all(_is_int(c) and 0 <= c <= 255 for c in value)
    )


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


INT = ValueType("int", _is_int)
FLOAT = ValueType("float", _is_number, float)
BOOL = ValueType("bool", lambda v: isinstance(v, bool))
STR = ValueType("str", lambda v: isinstance(v, str))
OPTIONAL_STR = ValueType("str or None", _optional(lambda v: isinstance(v, str)))
RECORD_FILTER = ValueType("an expression (str), a function or None",
                          _optional(lambda v: isinstance(v, str) or callable(v)))
OPTIONAL_INT = ValueType("int or None", _optional(_is_int))
RANGE = ValueType("(low, high) pair of numbers", _is_pair_of_numbers, tuple)
STR_LIST = ValueType("list of str", _is_list_of(lambda v: isinstance(v, str)), list)
COLOR_LIST = ValueType("list of (r, g, b) with 0-255 ints", _is_list_of(_is_color), list)


def choice(*options: Any) -> ValueType:
    return ValueType(" or ".join(map(repr, options)), lambda v: not isinstance(v, bool) and v in options)


def int_between(low: int, high: int | None = None) -> ValueType:
    label = f"int >= {low}" if high is None else f"int from {low} to {high}"
    return ValueType(label, lambda v: _is_int(v) and v >= low and (high is None or v <= high))


POSITIVE_INT = int_between(1)
NON_NEGATIVE_INT = int_between(0)
FRACTION = ValueType("float in (0, 1]", lambda v: _is_number(v) and 0 < v <= 1, float)
POSITIVE_FLOAT = ValueType("float > 0", lambda v: _is_number(v) and v > 0, float)
NON_NEGATIVE_FLOAT = ValueType("float >= 0", lambda v: _is_number(v) and v >= 0, float)
