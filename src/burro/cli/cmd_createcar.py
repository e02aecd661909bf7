"""`burro createcar` (= `donkey createcar`): a new car folder with manage.py and its config."""

import argparse

from burro.car.folder import TEMPLATES, create_car


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "createcar", parents=[common], help="make a car folder (manage.py, config.py, ...)",
        description="Make a car folder: manage.py, config.py (every key with its default), "
                    "myconfig.py (the same, commented out), data/, models/, logs/. Files "
                    "already there are kept unless --overwrite.")
    parser.add_argument("--path", default="~/mycar", metavar="DIR",
                        help="the car folder (default: ~/mycar)")
    parser.add_argument("--template", choices=TEMPLATES, default="complete",
                        help="complete (default), basic (a minimal loop) or sim (complete "
                             "driving the built-in simulator, the expert as the user)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace manage.py, config.py and myconfig.py if they exist")
    parser.set_defaults(handler=run_createcar)


def run_createcar(args: argparse.Namespace) -> int:
    car = create_car(args.path, args.template, args.overwrite)
    print(f"car folder {car.path} (template {args.template})")
    if car.written:
        print(f"  wrote {', '.join(car.written)}; folders data/, models/, logs/")
    if car.kept:
        print(f"  kept {', '.join(car.kept)} as they were (--overwrite replaces them)")
    print(f"  next: cd {car.path} && python manage.py drive")
    return 0
