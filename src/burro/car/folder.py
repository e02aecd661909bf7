"""`burro createcar`: a car folder with manage.py, config.py, myconfig.py, data/, models/, logs/.

A file that is already there is kept unless `overwrite` (a user's edits are never lost
silently); the caller says which were kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from burro.car.config_text import config_text, myconfig_text
from burro.errors import BurroError
from burro.files import replace_atomically

TEMPLATES = ("complete", "basic", "sim")
FOLDERS = ("data", "models", "logs")
SIM_VALUES = {"DONKEY_GYM": True, "SIM_RECORD_LOCATION": True, "SIM_EXPERT_AS_USER": True,
              "WEB_INIT_MODE": "local", "USE_JOYSTICK_AS_DEFAULT": False}
"""What the sim template sets on top of complete's defaults: drive without --model and the
expert drives and records; with --model the pilot drives alone."""


@dataclass
class CarFolder:
    path: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def template_values(template: str) -> dict:
    if template not in TEMPLATES:
        raise BurroError(f"unknown template {template!r}", "--template",
                         f"use one of: {', '.join(TEMPLATES)}")
    return dict(SIM_VALUES) if template == "sim" else {}


def manage_text(template: str) -> str:
    drive_template = "basic" if template == "basic" else "complete"
    text = resources.files("burro.car").joinpath("templates/manage.py.template").read_text(
        encoding="utf-8")
    return text.replace("@TEMPLATE@", drive_template)


def create_car(path: str | Path, template: str = "complete", overwrite: bool = False) -> CarFolder:
    values = template_values(template)
    car = CarFolder(Path(path).expanduser())
    try:
        car.path.mkdir(parents=True, exist_ok=True)
        for folder in FOLDERS:
            (car.path / folder).mkdir(exist_ok=True)
    except OSError as error:
        raise BurroError(f"cannot make the car folder: {error.strerror or error}", str(path),
                         "choose a folder you can write to") from None
    files = {"manage.py": manage_text(template), "config.py": config_text(template, values),
             "myconfig.py": myconfig_text(template, values)}
    for name, text in files.items():
        target = car.path / name
        if target.exists() and not overwrite:
            car.kept.append(name)
            continue
        try:
            replace_atomically(target, text)
        except OSError as error:
            raise BurroError(f"cannot write {name}: {error.strerror or error}", str(target),
                             "check the folder's permissions") from None
        car.written.append(name)
    return car
