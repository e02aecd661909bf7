"""The command line of a car folder's manage.py (`drive`, `train`) and `burro drive --car`."""

from __future__ import annotations

import argparse
import runpy
import sys
from collections.abc import Callable
from pathlib import Path

from burro.car.car import Car, DriveOptions
from burro.cli.options import add_config_file_options
from burro.errors import BurroError

DriveFunction = Callable[[Car], int | None]


def add_drive_options(parser: argparse.ArgumentParser) -> None:
    """Donkey's `manage.py drive` options."""
    parser.add_argument("--model", metavar="PATH",
                        help="drive with this pilot (.tflite, .onnx, .keras, .h5)")
    parser.add_argument("--type", dest="model_type", metavar="TYPE",
                        help="model type; a burro pilot knows its own (see docs/drive-pilots.md)")
    parser.add_argument("--js", action="store_true",
                        help="also drive with a physical pad (CONTROLLER_TYPE on "
                             "JOYSTICK_DEVICE_FILE; see docs/joystick.md)")
    parser.add_argument("--meta", nargs="+", action="extend", default=[], metavar="KEY:VALUE",
                        help="key:value pairs written into the tub's manifest")
    add_config_file_options(parser)


def drive_complete(car: Car) -> None:
    """The complete template without parts of your own (`burro drive` without manage.py)."""
    car.build()
    return car.start()


def drive_folder(car_dir: str | Path, args: argparse.Namespace,
                 drive: DriveFunction | None = None, template: str = "complete") -> int:
    """Load the car's config, build the Car and run `drive(car)` (manage.py's function)."""
    from burro.config import load_config

    cfg = load_config(car_dir, args.myconfig, args.overrides)
    options = DriveOptions(args.model, args.model_type, args.js, list(args.meta))
    car = Car(cfg, options, template)
    try:
        code = (drive or drive_complete)(car)
    except BaseException:
        if car.vehicle.loop_stats is None:  # failed while building: release what was built
            car.abandon()
        raise
    return code or 0


def load_manage(car_dir: Path) -> tuple[DriveFunction, str]:
    """The `drive` function and TEMPLATE of a car folder's manage.py."""
    path = car_dir / "manage.py"
    if str(car_dir) not in sys.path:
        sys.path.insert(0, str(car_dir))  # its own modules, as `python manage.py` sees them
    namespace = runpy.run_path(str(path), run_name="burro_manage")
    drive = namespace.get("drive")
    if not callable(drive):
        raise BurroError("manage.py has no drive(car) function", str(path),
                         "write one (burro createcar --overwrite writes a fresh manage.py)")
    return drive, namespace.get("TEMPLATE", "complete")


def manage(manage_file: str, drive: DriveFunction, template: str = "complete",
           argv: list[str] | None = None) -> int:
    """`python manage.py drive [...]` / `python manage.py train [...]`: the exit code."""
    from burro.cli.main import EXIT_INTERRUPTED, EXIT_USER_ERROR, OneLineErrorParser
    from burro.cli.main import main as burro_main

    car_dir = Path(manage_file).resolve().parent
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["train"]:
        return burro_main(["train", "--car", str(car_dir), *argv[1:]])
    parser = OneLineErrorParser(prog="manage.py", description=f"The car in {car_dir}.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_drive_options(commands.add_parser("drive", help="drive the car (and record)"))
    commands.add_parser("train", help="train a pilot: the options of `burro train`")
    args = parser.parse_args(argv)
    _setup_logging()
    try:
        return drive_folder(car_dir, args, drive, template)
    except BurroError as error:
        print(f"burro: error: {error.line()}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:  # a second Ctrl-C while the parts shut down
        print("burro: interrupted while shutting down", file=sys.stderr)
        return EXIT_INTERRUPTED


def _setup_logging() -> None:
    """As the burro command does: burro's log lines on stderr, native library noise hidden."""
    from burro import quiet
    from burro.cli import main

    main._setup_logging(0)
    quiet.show_native_output(False)
    quiet.hide_native_output_of_imports()
