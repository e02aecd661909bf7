"""Config keys more than one drivetrain declares (the same Key object, so declared once)."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.parts.drivetrains import DRIVETRAINS

DRIVE_TRAIN_TYPE = Key(  # the lambda: the names are known once the package is scanned
    "DRIVE_TRAIN_TYPE", t.STR, "PWM_STEERING_THROTTLE",
    lambda: f"Drivetrain: {_listed(DRIVETRAINS.names())} (docs/hardware.md).")


def _listed(names: list[str]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else "".join(names)
