"""Drivetrains by `DRIVE_TRAIN_TYPE` (Donkey's names), one module each.

An entry is a part class registered under its `DRIVE_TRAIN_TYPE` name(s); it is built with the
car config, `Drivetrain(cfg)`, takes `angle` and `throttle` in [-1, 1] and puts the actuators
at neutral in `shutdown()`.
"""

from burro.registry import Registry

DRIVETRAINS = Registry("drivetrain", "burro.parts.drivetrains", where="DRIVE_TRAIN_TYPE",
                       fold=str.upper)
