"""A systemd unit that starts the car on boot: `burro createcar --service` writes one.

The unit runs `<python> <car>/manage.py drive` in the car folder as the car folder's owner,
restarts it when it crashes (not when it stops with a config error, exit 2: restarting
cannot fix that), and stops it with SIGTERM, on which the drive loop puts the actuators at
neutral and closes the tub. The file goes into the car folder; `install_hint` says how to
install it (that needs root, so burro does not do it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from burro.errors import BurroError
from burro.files import replace_atomically

CONFIG_ERROR_EXIT = 2  # burro's exit status for an error the user must fix


def unit_name(car_path: str | Path) -> str:
    """`burro-<car folder>.service`, with what systemd does not allow in a name as `_`."""
    folder = Path(car_path).expanduser().absolute().name
    return f"burro-{re.sub(r'[^A-Za-z0-9_.-]', '_', folder) or 'car'}.service"


def unit_text(car_path: str | Path, user: str, python: str | Path) -> str:
    car = Path(car_path).expanduser().absolute()
    python = Path(python).expanduser().absolute()
    for value in (str(car), str(python), user):
        if any(char in value for char in "\n\r\0"):
            raise BurroError("a line break in a path or user name", repr(value),
                             "systemd unit files cannot hold it: rename the folder")
    start = " ".join(_exec_word(word) for word in (str(python), str(car / "manage.py"), "drive"))
    return "\n".join([
        "[Unit]",
        f"Description=burro car in {_percent(str(car))} (manage.py drive)",
        "After=network.target",
        "",
        "[Service]",
        "Type=simple",
        f"User={_percent(user)}",
        f"WorkingDirectory={_percent(str(car))}",
        f"ExecStart={start}",
        "Environment=PYTHONUNBUFFERED=1",
        "Restart=on-failure",
        "RestartSec=5",
        f"RestartPreventExitStatus={CONFIG_ERROR_EXIT}",
        "KillSignal=SIGTERM",
        "TimeoutStopSec=15",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ])


def write_service_unit(car_path: str | Path, user: str | None = None,
                       python: str | Path | None = None, *, overwrite: bool = False) -> Path:
    """Write the unit into the car folder and return its path.

    `user` defaults to the car folder's owner (so `sudo burro createcar --service` still runs
    the car as its owner), `python` to the interpreter running burro now (the venv's, not
    resolved through its symlink). A unit that exists with other content is kept unless
    `overwrite`: the user may have edited it (e.g. added `--model` to ExecStart).
    """
    car = Path(car_path).expanduser().absolute()
    if not car.is_dir():
        raise BurroError("car folder not found", str(car), "create the car first (burro createcar)")
    text = unit_text(car, user or _owner(car), python or sys.executable)
    path = car / unit_name(car)
    if path.is_file() and not overwrite and path.read_text(encoding="utf-8") != text:
        raise BurroError(f"{path.name} exists and differs from the one burro would write",
                         str(path), "keep it, or pass --overwrite to replace it")
    try:
        replace_atomically(path, text)
    except OSError as exc:
        raise BurroError(f"cannot write {path.name}: {exc.strerror or exc}", str(path),
                         "check the car folder's permissions") from None
    return path


def install_hint(path: str | Path) -> str:
    """The commands that install and start the unit `path` (they need root)."""
    path = Path(path)
    name = path.name
    return "\n".join([
        f"sudo cp {_shell(str(path))} /etc/systemd/system/{name}",
        "sudo systemctl daemon-reload",
        f"sudo systemctl enable --now {name}",
        f"journalctl -u {name} -f        # its output",
    ])


def _owner(folder: Path) -> str:
    try:
        import pwd
    except ImportError:  # Windows: no systemd either
        raise BurroError("systemd units are for Linux", str(folder),
                         "start the car by hand: python manage.py drive") from None
    uid = folder.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        raise BurroError(f"the car folder's owner (uid {uid}) has no user name", str(folder),
                         "pass the user to run the car as") from None


def _percent(text: str) -> str:
    return text.replace("%", "%%")  # systemd expands %-specifiers in most settings


def _exec_word(word: str) -> str:
    """One ExecStart word: % and $ escaped, quoted when it holds spaces, quotes or \\."""
    word = _percent(word).replace("$", "$$")
    if not re.search(r"[\s\"'\\;]", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shell(word: str) -> str:
    return word if re.fullmatch(r"[\w@%+=:,./-]+", word) else "'" + word.replace("'", "'\\''") + "'"
