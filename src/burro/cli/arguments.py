"""Command-line values checked with the same value types as config keys.

`type=typed(POSITIVE_INT)` makes argparse reject `--last -5` or `--latency nan` with one line
that names the option and the expected type, exactly like a bad config value.
"""

import argparse
from collections.abc import Callable
from typing import Any

from burro.config.types import ValueType


def typed(value_type: ValueType) -> Callable[[str], Any]:
    """An argparse `type=` that parses a number (or keeps the text) and checks it."""

    def parse(text: str) -> Any:
        value = _parse_number(text)
        if not value_type.check(value):
            raise argparse.ArgumentTypeError(f"expected {value_type.name}, got {text!r}")
        return value_type.normalise(value)

    parse.__name__ = value_type.name  # argparse names the type in its messages
    return parse


def _parse_number(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text
