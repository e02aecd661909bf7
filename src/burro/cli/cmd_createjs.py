"""`burro createjs` (= `donkey createjs`): map a pad nobody has mapped yet. It asks for each
control in turn (steering stick, throttle stick, each button action), sees which code the pad
sends and writes the map (JSON) that CONTROLLER_TYPE = "custom" drives with."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from burro.cli.options import add_config_options, config_from_args
from burro.errors import BurroError
from burro.files import replace_atomically


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "createjs", parents=[common], help="map a joystick / gamepad (CONTROLLER_TYPE custom)",
        description="Map a pad: move or press each control when asked, press Enter after each; "
                    "the map is written as JSON into the car folder (JOYSTICK_CUSTOM_MAP). "
                    "Type q and Enter to stop without writing. See docs/joystick.md.")
    parser.add_argument("--device", metavar="PATH",
                        help="the pad's joystick device (default: JOYSTICK_DEVICE_FILE, "
                             "/dev/input/js0)")
    parser.add_argument("--output", metavar="FILE",
                        help="the map file to write (default: <car>/JOYSTICK_CUSTOM_MAP, "
                             "myjoystick.json)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing map file without asking")
    add_config_options(parser)
    parser.set_defaults(handler=createjs)


def createjs(args: argparse.Namespace, ask: Callable[[str], str] | None = None,
             say: Callable[[str], None] | None = None) -> int:
    from burro.parts.joystick.creator import MapMaker, Quit
    from burro.parts.joystick.device import JoystickDevice
    from burro.parts.joystick.maps.custom import DEFAULT_FILE, custom_map_path

    ask, say = ask or _ask, say or _say
    cfg = config_from_args(args)
    output = Path(args.output).expanduser() if args.output else custom_map_path(cfg)
    if not output.parent.is_dir():
        raise BurroError("folder does not exist", str(output), "create it or change --output")
    device = JoystickDevice(args.device or cfg.JOYSTICK_DEVICE_FILE)
    _open(device)
    try:
        say(_device_line(device))
        try:
            made = MapMaker(device, ask, say).run()
        except Quit:
            say("Stopped: nothing written.")
            return 0
    finally:
        device.close()
    if output.exists() and not args.overwrite and not _yes(ask, f"{output} exists: replace it?"):
        say(f"Not written: {output} is unchanged.")
        return 0
    try:
        replace_atomically(output, json.dumps(made.to_json(), indent=2) + "\n")
    except OSError as error:
        raise BurroError(f"cannot write the map: {error.strerror or error}", str(output),
                         "check the folder's permissions and free space") from None
    setting = 'CONTROLLER_TYPE = "custom"'
    if output.name != DEFAULT_FILE or output.parent != Path(cfg.CAR_PATH):
        setting += f' and JOYSTICK_CUSTOM_MAP = "{output}"'
    say(f"Written {output}. Drive with it: put {setting} into the car's myconfig.py.")
    return 0


def _open(device) -> None:
    try:
        device.open()
    except FileNotFoundError:
        raise BurroError("joystick device not found", device.path,
                         "pair or plug in the pad (docs/joystick.md), or pass --device PATH"
                         ) from None
    except PermissionError:
        raise BurroError("cannot open the joystick device: permission denied", device.path,
                         "add your user to the input group (sudo adduser $USER input), log "
                         "in again") from None
    except OSError as error:
        raise BurroError(f"cannot open the joystick device: {error.strerror or error}",
                         device.path, "check the --device path") from None


def _device_line(device) -> str:
    if device.reports_codes:
        return (f"Reading {device.path}: {device.name!r}, {len(device.axis_codes)} axes, "
                f"{len(device.button_codes)} buttons.")
    return (f"Reading {device.path} (it does not report its name or codes: the map numbers "
            "its controls as they come).")


def _yes(ask: Callable[[str], str], question: str) -> bool:
    try:
        return ask(f"{question} [y/N]").strip().lower() in ("y", "yes")
    except BurroError:
        return False


def _say(line: str) -> None:
    print(line, flush=True)


def _ask(prompt: str) -> str:
    """A prompt on its own line, then one line from stdin (scripts can answer line by line)."""
    print(prompt, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise BurroError("no answer: the input ended", "burro createjs",
                         "run it in a terminal and answer each step; nothing was written")
    return line
