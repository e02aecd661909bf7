"""The car over ssh: who and where it is (PI_USERNAME, PI_HOSTNAME, PI_CAR_DIR, ...), and
the ssh / rsync command lines that reach it.

Nothing here runs a command: it builds argument lists (never a local shell) and remote shell
text in which every name is checked against a strict pattern and quoted with shlex.quote.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, replace
from typing import Any

from burro.errors import BurroError

NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}")
"""A tub or pilot name on the car: one path component, no leading dot or dash."""
USER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}")
HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})")
REMOTE_PATH = re.compile(r"(~|~/[A-Za-z0-9_./+-]*|/?[A-Za-z0-9_+-][A-Za-z0-9_./+-]*)")
MODEL_TYPE = re.compile(r"[a-z][a-z0-9_]{0,63}")

PILOT_FORMATS = (".tflite", ".onnx", ".keras", ".h5")
SETTINGS = {  # the page's name -> the config key
    "user": "PI_USERNAME", "host": "PI_HOSTNAME", "car_dir": "PI_CAR_DIR",
    "port": "PI_SSH_PORT", "identity": "PI_SSH_IDENTITY", "ssh_config": "PI_SSH_CONFIG",
    "python": "PI_PYTHON",
}
CONNECT_TIMEOUT_S = 3


def check_name(name: Any, what: str) -> str:
    """`name` if it is a plain tub/pilot name, else a BurroError naming it."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or ".." in name:
        raise BurroError(f"not a {what} name: {name!r}", what,
                         "use letters, digits, '.', '_', '-' and '+' only (one folder or "
                         "file name, not a path)")
    return name


def check_model_type(model_type: Any) -> str | None:
    if model_type in (None, ""):
        return None
    if not isinstance(model_type, str) or not MODEL_TYPE.fullmatch(model_type):
        raise BurroError(f"not a model type: {model_type!r}", "type",
                         "use a type name such as linear or tflite_linear")
    return model_type


def check_remote_path(path: Any, key: str) -> str:
    if (not isinstance(path, str) or not REMOTE_PATH.fullmatch(path)
            or ".." in path.split("/")):
        raise BurroError(f"not a usable folder on the car: {path!r}", key,
                         "give a path like ~/mycar or /home/pi/mycar (letters, digits, "
                         "'.', '_', '-', '+', '/'; no spaces, no '..')")
    return path.rstrip("/") or "/"


def shell_path(path: str) -> str:
    """A checked remote path as shell text: `~/` stays unquoted so the car's shell expands
    it; the rest is quoted."""
    if path == "~":
        return "~"
    if path.startswith("~/"):
        return "~/" + shlex.quote(path[2:]) if path[2:] else "~"
    return shlex.quote(path)


def rsync_path(path: str) -> str:
    """A checked remote path for rsync's `host:path`: relative to the car user's home, which
    is where rsync (and ssh) start."""
    if path == "~":
        return "."
    return path[2:] or "." if path.startswith("~/") else path


@dataclass(frozen=True)
class Remote:
    user: str = "pi"
    host: str = "donkeypi.local"
    car_dir: str = "~/mycar"
    port: int = 22
    identity: str | None = None  # a local key file, already resolved by UiContext
    ssh_config: str | None = None  # a local ssh_config file (ssh -F), already resolved
    python: str = "~/env/bin/python"

    @classmethod
    def from_config(cls, cfg: Any) -> Remote:
        return cls(**{name: cfg.get(key, getattr(cls, name)) for name, key in SETTINGS.items()}
                   ).checked()

    def with_settings(self, settings: dict[str, Any]) -> Remote:
        unknown = set(settings) - set(SETTINGS)
        if unknown:
            raise BurroError(f"unknown car connector setting {sorted(unknown)[0]!r}", "settings",
                             "use " + ", ".join(SETTINGS))
        values = {name: (None if value == "" and name in ("identity", "ssh_config") else value)
                  for name, value in settings.items()}
        return replace(self, **values).checked()

    def checked(self) -> Remote:
        if not isinstance(self.user, str) or not USER.fullmatch(self.user):
            raise BurroError(f"not a user name: {self.user!r}", "PI_USERNAME",
                             "give the car's login name, e.g. pi")
        if (not isinstance(self.host, str) or not HOST.fullmatch(self.host)
                or ".." in self.host):
            raise BurroError(f"not a host name: {self.host!r}", "PI_HOSTNAME",
                             "give the car's name or address, e.g. donkeypi.local or "
                             "192.168.1.20")
        if isinstance(self.port, bool) or not isinstance(self.port, int) or not (
                0 < self.port < 65536):
            raise BurroError(f"not a port: {self.port!r}", "PI_SSH_PORT", "use 1 to 65535 (22)")
        check_remote_path(self.car_dir, "PI_CAR_DIR")
        check_remote_path(self.python, "PI_PYTHON")
        for key, value in (("PI_SSH_IDENTITY", self.identity), ("PI_SSH_CONFIG", self.ssh_config)):
            if value is not None and not isinstance(value, str):
                raise BurroError(f"not a file name: {value!r}", key, "give a path or nothing")
        return self

    def settings(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SETTINGS}

    @property
    def target(self) -> str:
        return f"{self.user}@{self.host}"

    def ssh_options(self) -> list[str]:
        options = ["-o", "BatchMode=yes", "-o", f"ConnectTimeout={CONNECT_TIMEOUT_S}",
                   "-p", str(self.port)]
        if self.identity:
            options += ["-i", self.identity, "-o", "IdentitiesOnly=yes"]
        if self.ssh_config:
            options += ["-F", self.ssh_config]
        return options

    def ssh(self, script: str) -> list[str]:
        """ssh running `script` with sh on the car (whatever the user's login shell is)."""
        return ["ssh", *self.ssh_options(), self.target, "--", "sh -c " + shlex.quote(script)]

    def rsync_shell(self) -> str:
        """rsync's -e: the ssh command line (rsync splits it at spaces, honouring quotes)."""
        return shlex.join(["ssh", *self.ssh_options()])

    def remote(self, *parts: str) -> str:
        """`user@host:<car_dir>/<parts...>` for rsync."""
        path = "/".join([rsync_path(self.car_dir), *parts])
        return f"{self.target}:{path}"

    def car_shell(self) -> str:
        return shell_path(self.car_dir)

    def python_shell(self) -> str:
        return shell_path(self.python)
