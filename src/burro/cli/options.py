"""Options shared by commands that read the car's config."""

import argparse
from pathlib import Path
from typing import Any

from burro.config import Config, load_config
from burro.errors import BurroError


def add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("config")
    group.add_argument("--car", metavar="DIR",
                       help="car folder with config.py/myconfig.py (default: current folder)")
    group.add_argument("--config", dest="car_config", metavar="FILE",
                       help="Donkey-style path to the car's config.py (its folder is the car)")
    add_config_file_options(group)


def add_config_file_options(parser: Any) -> None:
    """--myconfig and --set (on a parser or an argument group): what a command run inside
    the car folder (manage.py) takes."""
    parser.add_argument("--myconfig", metavar="FILE",
                        help="config file to use instead of <car>/myconfig.py")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help="override a config value (repeatable)")


def config_from_args(args: argparse.Namespace) -> Config:
    return load_config(_car_from_args(args), args.myconfig, args.overrides)


def _car_from_args(args: argparse.Namespace) -> Path | str | None:
    if args.car is not None or not args.car_config:
        return args.car
    config_py = Path(args.car_config).expanduser()
    if not config_py.is_file():
        raise BurroError("config file not found", args.car_config, "check the --config path")
    return config_py.parent
