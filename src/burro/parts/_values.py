"""Value checks the control parts share (not a part: modules starting with _ are not scanned)."""

import math
import numbers


def finite(value) -> bool:
    """A finite real number: int, float or a numpy scalar (pilots return float32); not a bool."""
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def number_or_zero(value) -> float:
    """A finite number as a float; None, NaN, infinities and non-numbers are 0.0 (neutral)."""
    return float(value) if finite(value) else 0.0
