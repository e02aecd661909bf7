"""`/wsCalibrate`: set the steering and throttle pulses live and save them into myconfig.py.

The five pulses (STEERING_LEFT_PWM, STEERING_RIGHT_PWM, THROTTLE_FORWARD_PWM,
THROTTLE_STOPPED_PWM, THROTTLE_REVERSE_PWM) start at the values the config has. A
`{"config": {...}}` change is checked as the drivetrain checks its config (`left != right`,
reverse on the other side of stopped, ...) and, with a PCA9685 drivetrain
(PWM_STEERING_THROTTLE, or Donkey's older SERVO_ESC / I2C_SERVO keys), put into the running
drivetrain at once: its next tick sends the new pulse. `{"save": true}` writes them into the
car's myconfig.py the way `burro calibrate` does (burro.car.calibration_config), keeping the
file's other lines. Driving (`angle`, `throttle`) goes through the drive state like any
driver's message, in user mode, with the dead-man.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from burro.errors import BurroError

log = logging.getLogger("burro.web")


class Calibrator:
    """The pulses being tried and where they go. `drivetrain` is the car's drivetrain part
    (set by the Car); live only when it is a PCA9685 one."""

    def __init__(self, cfg: Any):
        from burro.car.calibration_config import configured_pulses

        self.cfg = cfg
        self.drivetrain: Any = None
        self.pulses = configured_pulses(cfg)

    @property
    def drivetrain_type(self) -> str:
        from burro.parts.sim_car import end_types

        return str(end_types(self.cfg)[1])

    @property
    def live(self) -> bool:
        from burro.parts.drivetrains._pwm import PwmDrivetrain

        return isinstance(self.drivetrain, PwmDrivetrain)

    def state(self) -> dict[str, Any]:
        return {"config": dict(self.pulses), "drivetrain": self.drivetrain_type,
                "live": self.live}

    def change(self, pulses: dict[str, int]) -> None:
        """Take new pulses (BurroError when together they cannot drive) and apply them."""
        from burro.parts.drivetrains._pwm import checked_calibration

        wanted = {**self.pulses, **pulses}
        calibration = checked_calibration(wanted, lambda name: f"{name} from the calibrate page")
        self.pulses = wanted
        if self.live:
            # one attribute swap: the loop thread reads either the old or the new calibration
            self.drivetrain.calibration = calibration
            log.info("calibration set live: %s", ", ".join(f"{k} {v}" for k, v in pulses.items()))

    def save(self) -> Path:
        """Write the pulses into <car>/myconfig.py; returns the file written."""
        from burro.car.calibration_config import Change, uses_legacy_keys, write_changes
        from burro.parts.drivetrains.pwm_steering_throttle import DEFAULTS, KEY

        path = Path(self.cfg.CAR_PATH) / "myconfig.py"
        if not path.is_file() and not (Path(self.cfg.CAR_PATH) / "config.py").is_file():
            raise BurroError("this is not a car folder", str(self.cfg.CAR_PATH),
                             "start the car from its folder (manage.py drive) to save")
        if uses_legacy_keys(self.cfg):
            changes = [Change(name, None, value, self.cfg.get(name))
                       for name, value in self.pulses.items()]
        else:
            given = self.cfg.get(KEY, DEFAULTS)
            current = {**DEFAULTS, **given} if isinstance(given, dict) else dict(DEFAULTS)
            changes = [Change(KEY, name, value, current.get(name))
                       for name, value in self.pulses.items()]
        write_changes(path, self.cfg, changes)
        self._remember_saved(changes, path)
        log.info("calibration saved into %s", path)
        return path

    def _remember_saved(self, changes: list, path: Path) -> None:
        """The config now says what the file says (a second save starts from it)."""
        from burro.parts.drivetrains.pwm_steering_throttle import DEFAULTS, KEY

        entries = {change.entry: change.value for change in changes if change.entry}
        if entries:
            given = self.cfg.get(KEY, DEFAULTS)
            self.cfg.set(KEY, {**(given if isinstance(given, dict) else DEFAULTS), **entries},
                         path.name)
        for change in changes:
            if change.entry is None:
                self.cfg.set(change.key, change.value, path.name)
