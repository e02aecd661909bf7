"""Config keys more than one drivetrain declares (the same Key object, so declared once)."""

from burro.config import types as t
from burro.config.defaults import Key

DRIVE_TRAIN_TYPE = Key(
    "DRIVE_TRAIN_TYPE", t.STR, "PWM_STEERING_THROTTLE",
    "Drivetrain: PWM_STEERING_THROTTLE (servo + ESC on a PCA9685, pin specs), SERVO_ESC "
    "(the same with the legacy *_CHANNEL keys), MOCK (no hardware) or SIM.")
