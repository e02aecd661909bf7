"""DriveMode: picks what the drivetrain gets from the user and the pilot, by `user/mode`."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts._values import finite, number_or_zero

MODES = ("user", "local_angle", "local")
"""Donkey's drive modes: the user drives; the pilot steers and the user throttles; the pilot
drives."""


def checked_mode(mode, where: str) -> str:
    """`mode` if it is one of MODES, else a one-line BurroError naming `where`."""
    if mode not in MODES:
        raise BurroError(f"unknown drive mode {mode!r}", where,
                         f"use one of: {', '.join(MODES)}")
    return mode


@PARTS.register("DriveMode")
class DriveMode:
    """Inputs `user/mode, user/angle, user/throttle, pilot/angle, pilot/throttle`;
    outputs `angle, throttle`.

    `user`: the user's angle and throttle; `local_angle`: the pilot's angle, the user's
    throttle; `local`: the pilot's angle and its throttle times AI_THROTTLE_MULT. A missing
    (None) or non-finite value becomes 0.0, and an unknown mode (None when the controller
    failed) gives (0.0, 0.0): Donkey drives on the pilot for any mode it does not know.
    """

    keys = (Key("AI_THROTTLE_MULT", t.FLOAT, 1.0,
                "Multiply the pilot's throttle by this in local mode (Donkey's key)."),)

    def __init__(self, ai_throttle_mult: float = 1.0):
        if not finite(ai_throttle_mult):
            raise BurroError(f"AI_THROTTLE_MULT must be a number, got {ai_throttle_mult!r}",
                             "AI_THROTTLE_MULT", "set it to a float, e.g. 1.0")
        self.ai_throttle_mult = float(ai_throttle_mult)

    @classmethod
    def from_config(cls, cfg) -> "DriveMode":
        return cls(cfg.AI_THROTTLE_MULT)

    def run(self, mode, user_angle, user_throttle, pilot_angle, pilot_throttle):
        if mode == "user":
            return number_or_zero(user_angle), number_or_zero(user_throttle)
        if mode == "local_angle":
            return number_or_zero(pilot_angle), number_or_zero(user_throttle)
        if mode == "local":
            return (number_or_zero(pilot_angle),
                    number_or_zero(pilot_throttle) * self.ai_throttle_mult)
        return 0.0, 0.0
