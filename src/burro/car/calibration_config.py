"""Where a car's config keeps its calibration, and the edits that write found values there.

`DRIVE_TRAIN_TYPE = "SERVO_ESC"` (or `I2C_SERVO`) keeps Donkey's older top-level keys
(`STEERING_LEFT_PWM = 460`, `STEERING_CHANNEL = 1`, `PCA9685_I2C_ADDR = 0x40`, ...); every
other drivetrain type means Donkey's `PWM_STEERING_THROTTLE` dict, the default one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from burro.car.calibrate import TARGETS
from burro.config.myconfig_edit import set_entries, set_key
from burro.errors import BurroError
from burro.parts.drivetrains._pwm import LONGEST, SHORTEST
from burro.parts.drivetrains.pwm_steering_throttle import DEFAULTS, KEY
from burro.parts.pins import PCA9685Pin, parse_pin

LEGACY_TYPES = ("SERVO_ESC", "I2C_SERVO")  # drivetrains that read the top-level keys
PWM_NAMES = tuple(target.name for targets in TARGETS.values() for target in targets)
DEFAULT_BUS = 1


@dataclass(frozen=True)
class Change:
    """One value to write: a top-level key, or an entry of the PWM_STEERING_THROTTLE dict."""

    key: str
    entry: str | None
    value: Any
    old: Any

    def __str__(self) -> str:
        name = f'{self.key}["{self.entry}"]' if self.entry else self.key
        return f"{name} = {_text(self.value, self.key)}   (was {_text(self.old, self.key)})"


def uses_legacy_keys(cfg: Any) -> bool:
    return str(cfg.get("DRIVE_TRAIN_TYPE", "")).upper() in LEGACY_TYPES


def _dict(cfg: Any) -> dict[str, Any]:
    given = cfg.get(KEY, DEFAULTS)
    return {**DEFAULTS, **given} if isinstance(given, dict) else dict(DEFAULTS)


def configured_pulses(cfg: Any) -> dict[str, int]:
    """The five *_PWM values in effect; one that is not a servo pulse is Donkey's default."""
    source = cfg.to_dict() if uses_legacy_keys(cfg) else _dict(cfg)
    pulses = {}
    for name in PWM_NAMES:
        value = source.get(name)
        usable = isinstance(value, int) and not isinstance(value, bool) and SHORTEST <= value <= LONGEST
        pulses[name] = value if usable else DEFAULTS[name]
    return pulses


def configured_pins(cfg: Any) -> dict[str, PCA9685Pin | None]:
    """The pin the config puts steering and throttle on (None: not a PCA9685 pin)."""
    if uses_legacy_keys(cfg):
        bus = cfg.get("PCA9685_I2C_BUSNUM")
        bus = DEFAULT_BUS if bus is None else bus
        address = cfg.get("PCA9685_I2C_ADDR", 0x40)
        return {kind: PCA9685Pin(bus, address, cfg.get(f"{kind.upper()}_CHANNEL", channel))
                for kind, channel in (("steering", 1), ("throttle", 0))}
    values = _dict(cfg)
    pins: dict[str, PCA9685Pin | None] = {}
    for kind in ("steering", "throttle"):
        try:
            pins[kind] = parse_pin(values[f"PWM_{kind.upper()}_PIN"], KEY)
        except BurroError:
            pins[kind] = None
    return pins


def kind_on(cfg: Any, pin: PCA9685Pin) -> str | None:
    """"steering" or "throttle" when the config drives that function on `pin`."""
    for kind, configured in configured_pins(cfg).items():
        if configured == pin:
            return kind
    return None


def changes_for(cfg: Any, kind: str, pin: PCA9685Pin, found: dict[str, int]) -> list[Change]:
    """What to write so that the config drives `kind` on `pin` with the found pulses; values
    the config already has are left out."""
    if uses_legacy_keys(cfg):
        current = cfg.to_dict()
        bus = None if pin.bus == DEFAULT_BUS and current.get("PCA9685_I2C_BUSNUM") is None else pin.bus
        wanted = {**found, f"{kind.upper()}_CHANNEL": pin.channel,
                  "PCA9685_I2C_ADDR": pin.address, "PCA9685_I2C_BUSNUM": bus}
        return [Change(name, None, value, current.get(name)) for name, value in wanted.items()
                if current.get(name) != value]
    current = _dict(cfg)
    wanted = {**found}
    pin_entry = f"PWM_{kind.upper()}_PIN"
    if configured_pins(cfg)[kind] != pin:
        wanted[pin_entry] = str(pin)
    return [Change(KEY, name, value, current.get(name)) for name, value in wanted.items()
            if current.get(name) != value]


def write_changes(path: Path, cfg: Any, changes: list[Change]) -> None:
    """Write `changes` into the config file `path` (a myconfig.py)."""
    entries = {change.entry: change.value for change in changes if change.entry}
    if entries:
        given = cfg.get(KEY, DEFAULTS)
        set_entries(path, KEY, entries, base=given if isinstance(given, dict) else DEFAULTS)
    for change in changes:
        if change.entry is None:
            set_key(path, change.key, change.value, literal=_text(change.value, change.key))


def _text(value: Any, key: str) -> str:
    if key == "PCA9685_I2C_ADDR" and isinstance(value, int):
        return f"0x{value:02X}"
    return f'"{value}"' if isinstance(value, str) else repr(value)
