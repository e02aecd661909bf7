"""Checks of plain values shared by the tub format, the config and the command line."""

import math
from typing import Any


def is_int(value: Any) -> bool:
    """An int that is not a bool (JSON and Python both let True pass as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_index(value: Any) -> bool:
    """A record index or timestamp: an int >= 0."""
    return is_int(value) and value >= 0


def is_finite_number(value: Any) -> bool:
    """An int or float that is not NaN or infinite (bools excluded)."""
    return (is_int(value) or isinstance(value, float)) and math.isfinite(value)
