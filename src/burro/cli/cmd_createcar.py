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
    parser.add_argument("--service", action="store_true",
                        help="also write a systemd unit that starts the car on boot "
                             "(docs/car-setup.md)")
    parser.set_defaults(handler=run_createcar)


def run_createcar(args: argparse.Namespace) -> int:
    car = create_car(args.path, args.template, args.overwrite)
    print(f"car folder {car.path} (template {args.template})")
    if car.written:
        print(f"  wrote {', '.join(car.written)}; folders data/, models/, logs/")
    if car.kept:
        print(f"  kept {', '.join(car.kept)} as they were (--overwrite replaces them)")
    if args.service:
        from burro.car.service import install_hint, write_service_unit

        unit = write_service_unit(car.path, overwrite=args.overwrite)
        print(f"  wrote {unit.name}; to start the car on boot:")
        print(install_hint(unit))
    print(f"  next: cd {car.path} && python manage.py drive")
    return 0
