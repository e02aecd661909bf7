"""`burro calibrate --channel SPEC` (= `donkey calibrate`): find a servo's or an ESC's pulses
on a PCA9685 channel by stepping them, then write them into myconfig.py."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from burro.car.calibrate import HELP, KINDS, TARGETS, Session
from burro.car.calibration_config import LEGACY_TYPES, changes_for, configured_pulses, kind_on, write_changes
from burro.cli.options import add_config_options, config_from_args
from burro.config import load_config
from burro.errors import BurroError
from burro.parts.drivetrains._pwm import checked_calibration
from burro.parts.pca9685 import DEFAULT_FREQUENCY_HZ, PCA9685, _smbus
from burro.parts.pins import CHANNELS, PCA9685Pin, parse_pin

DRIVEN_BY_PCA9685 = ("PWM_STEERING_THROTTLE", *LEGACY_TYPES)
EXAMPLE = "--channel PCA9685.1:40.1 (or Donkey's --channel 1 [--address 0x40] [--bus 1])"


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "calibrate", parents=[common], help="find steering and throttle pulses (PCA9685)",
        description="Step the pulse on one PCA9685 channel to find full left/right steering, "
                    "or stopped/forward/reverse throttle, then write the values into "
                    "myconfig.py. " + HELP[0].upper() + HELP[1:] + ".")
    pin = parser.add_argument_group("channel")
    pin.add_argument("--channel", metavar="SPEC", help="a pin spec PCA9685.<bus>:<hex address>."
                     "<channel>, e.g. PCA9685.1:40.1, or Donkey's channel number 0..15")
    pin.add_argument("--pwm-pin", metavar="SPEC", help="Donkey's name for --channel SPEC")
    pin.add_argument("--address", metavar="HEX", help="with a channel number: the PCA9685's "
                     "I2C address (default 0x40)")
    pin.add_argument("--bus", metavar="N", help="with a channel number: the I2C bus (default 1)")
    pin.add_argument("--pwmFreq", "--pwm-freq", dest="pwm_frequency", type=float,
                     default=DEFAULT_FREQUENCY_HZ, metavar="HZ",
                     help="PWM frequency; burro's drivetrains use 60 Hz, so only 60 is accepted")
    parser.add_argument("--kind", choices=KINDS,
                        help="what is on the channel (default: what the config puts there, "
                             "else you are asked)")
    parser.add_argument("--dry-run", action="store_true",
                        help="try the steps without a PCA9685: nothing is sent over I2C")
    add_config_options(parser)
    parser.set_defaults(handler=calibrate)


def calibrate(args: argparse.Namespace, bus_factory: Callable[[int], Any] | None = None,
              ask: Callable[[str], str] = input, say: Callable[[str], None] = print) -> int:
    """The command; tests pass a fake I2C bus and scripted input."""
    pin = pin_from_args(args)
    cfg = config_from_args(args)
    kind = args.kind or kind_on(cfg, pin) or _ask_kind(pin, ask, say)
    configured = configured_pulses(cfg)
    chip = _open_chip(args, pin, bus_factory, say)
    say(f"Calibrating the {kind} on {pin}. Each line you type is sent at once: {HELP}.")
    if kind == "throttle":
        say("Put the car on a stand with its wheels off the ground before you go on.")
    try:
        found = Session(kind, configured, lambda counts: chip.set_counts(pin.channel, counts),
                        ask, say).run()
    finally:
        chip.close()
    if not found:
        say("Nothing kept: the config is unchanged.")
        return 0
    _check(configured, found)
    return _offer_to_write(args, cfg, kind, pin, found, ask, say)


def pin_from_args(args: argparse.Namespace) -> PCA9685Pin:
    if args.channel and args.pwm_pin:
        raise BurroError("both --channel and --pwm-pin given", "burro calibrate",
                         "name the channel once")
    spec = args.channel or args.pwm_pin
    if spec is None:
        raise BurroError("which channel?", "burro calibrate", f"pass {EXAMPLE}")
    if not spec.strip().isdigit():
        if args.address is not None or args.bus is not None:
            raise BurroError("--address/--bus go with a channel number", f"--channel {spec}",
                             "the pin spec names the bus and address already")
        return parse_pin(spec, "--channel")
    channel = int(spec)
    if channel >= CHANNELS:
        raise BurroError(f"PCA9685 channel {channel} does not exist", "--channel",
                         f"use a channel from 0 to {CHANNELS - 1}")
    return PCA9685Pin(_bus(args.bus), _address(args.address), channel)


def _bus(text: str | None) -> int:
    if text is None:
        return 1
    if not text.strip().isdigit():
        raise BurroError(f"bad I2C bus {text!r}", "--bus", "give its number, e.g. --bus 1")
    return int(text)


def _address(text: str | None) -> int:
    if text is None:
        return 0x40
    found = re.fullmatch(r"(?:0[xX])?([0-9a-fA-F]{1,2})", text.strip())
    address = int(found[1], 16) if found else -1
    if not 0x03 <= address <= 0x77:
        raise BurroError(f"bad I2C address {text!r}", "--address",
                         "give it in hex as i2cdetect shows it, e.g. --address 0x40")
    return address


def _ask_kind(pin: PCA9685Pin, ask: Callable[[str], str], say: Callable[[str], None]) -> str:
    while True:
        try:
            answer = ask(f"Is {pin} the steering servo or the throttle ESC? [s/t] ").strip().lower()
        except EOFError:
            raise BurroError(f"the config does not say what is on {pin}", "--channel",
                             "pass --kind steering or --kind throttle") from None
        for kind in KINDS:
            if answer and kind.startswith(answer):
                return kind
        say("type s for steering or t for throttle")


def _open_chip(args: argparse.Namespace, pin: PCA9685Pin,
               bus_factory: Callable[[int], Any] | None, say: Callable[[str], None]) -> PCA9685:
    if args.pwm_frequency != DEFAULT_FREQUENCY_HZ:
        raise BurroError(f"PWM frequency {args.pwm_frequency:g} Hz", "--pwmFreq",
                         "burro's drivetrains send 60 Hz, so calibrate at 60 (leave it out)")
    if args.dry_run:
        say("Dry run: nothing is sent over I2C.")
        bus_factory = _NoBus
    return PCA9685(pin.bus, pin.address, bus_factory=bus_factory or _smbus,
                   where=f"--channel {pin}")


class _NoBus:
    """--dry-run's I2C bus: takes every write and sends it nowhere."""

    def __init__(self, bus: int):
        self.bus = bus

    def write_byte_data(self, address: int, register: int, value: int) -> None:
        pass

    def write_i2c_block_data(self, address: int, register: int, values: list[int]) -> None:
        pass


def _check(configured: dict[str, int], found: dict[str, int]) -> None:
    try:
        checked_calibration({**configured, **found}, lambda name: f"{name} found by calibrate")
    except BurroError as error:
        raise BurroError(error.what, error.where,
                         f"nothing was written; {error.todo}") from None


def _offer_to_write(args: argparse.Namespace, cfg: Any, kind: str, pin: PCA9685Pin,
                    found: dict[str, int], ask: Callable[[str], str],
                    say: Callable[[str], None]) -> int:
    changes = changes_for(cfg, kind, pin, found)
    kept = ", ".join(f"{target.name} = {found[target.name]}" for target in TARGETS[kind]
                     if target.name in found)
    if not changes:
        say(f"Found {kept}: the config has these values already.")
        return 0
    path, car_folder = _myconfig(args, cfg)
    lines = [f"  {change}" for change in changes]
    if not car_folder:
        say(f"Found {kept}. {Path(cfg.CAR_PATH)} has no config.py: put these in your car's "
            "myconfig.py (or run again with --car DIR):")
        say("\n".join(lines))
        return 0
    say(f"Found {kept}. To write into {path}:")
    say("\n".join(lines))
    if str(cfg.get("DRIVE_TRAIN_TYPE")).upper() not in DRIVEN_BY_PCA9685:
        say(f"(DRIVE_TRAIN_TYPE is {cfg.get('DRIVE_TRAIN_TYPE')!r}: these values drive the car "
            'once it is "PWM_STEERING_THROTTLE".)')
    try:
        answer = ask(f"Write them into {path.name}? [y/N] ").strip().lower()
    except EOFError:
        answer = ""
    if answer not in ("y", "yes"):
        say(f"Not written: {path.name} is unchanged.")
        return 0
    write_changes(path, cfg, changes)
    load_config(cfg.CAR_PATH, args.myconfig)  # the written file must load
    say(f"Written into {path}.")
    return 0


def _myconfig(args: argparse.Namespace, cfg: Any) -> tuple[Path, bool]:
    """The file to write and whether it belongs to a car folder."""
    car = Path(cfg.CAR_PATH)
    if args.myconfig:
        given = Path(args.myconfig).expanduser()
        return (given if given.is_file() else car / args.myconfig), True
    path = car / "myconfig.py"
    return path, path.is_file() or (car / "config.py").is_file()
