"""`burro drive --car DIR` (= `python DIR/manage.py drive`): drive the car in a car folder."""

import argparse
from pathlib import Path

from burro.car.manage import add_drive_options, drive_folder, load_manage
from burro.errors import BurroError


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "drive", parents=[common], help="drive the car of a car folder (its manage.py)",
        description="Drive the car as `python manage.py drive` does in the car folder: its "
                    "manage.py builds the vehicle (with any parts of your own).")
    parser.add_argument("--car", metavar="DIR", default=".",
                        help="car folder made by `burro createcar` (default: current folder)")
    add_drive_options(parser)
    parser.set_defaults(handler=run_drive)


def run_drive(args: argparse.Namespace) -> int:
    car_dir = Path(args.car).expanduser().resolve()
    if not (car_dir / "manage.py").is_file():
        raise BurroError("no manage.py in the car folder", str(car_dir),
                         f"make one with `burro createcar --path {args.car}`")
    drive, template = load_manage(car_dir)
    return drive_folder(car_dir, args, drive, template)
