"""Load config: defaults <- <car>/config.py <- <car>/myconfig.py <- command-line --set.

Config files are plain Python executed like Donkey Car does, so a real Donkey
`config.py`/`myconfig.py` loads unchanged; only UPPERCASE names become config keys.
"""

import ast
import difflib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from burro.config.defaults import KEYS, KEYS_BY_NAME
from burro.errors import BurroError

log = logging.getLogger("burro.config")

DEFAULT = "default"
COMMAND_LINE = "command line"


class Config:
    """Config values with attribute access (`cfg.IMAGE_W`), each remembering its source."""

    def __init__(self) -> None:
        object.__setattr__(self, "_sources", {})

    def __setattr__(self, name: str, value: Any) -> None:
        self.set(name, value, "code")

    def set(self, name: str, value: Any, source: str) -> None:
        object.__setattr__(self, name, value)
        self._sources[name] = source

    def source(self, name: str) -> str:
        return self._sources[name]

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)

    def names(self) -> list[str]:
        return list(self._sources)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._sources}

    def path(self, name: str) -> Path:
        """A path-valued key resolved against CAR_PATH."""
        return Path(self.CAR_PATH) / getattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._sources

    def __repr__(self) -> str:
        return f"Config({len(self._sources)} keys)"


def default_config() -> Config:
    cfg = Config()
    for key in KEYS:
        cfg.set(key.name, _copy(key.default), DEFAULT)
    return cfg


def load_config(
    car: str | Path | None = None,
    myconfig: str | Path | None = None,
    overrides: Iterable[str] = (),
) -> Config:
    """Build the effective config. `car` defaults to the current folder."""
    cfg = default_config()
    car_dir = _car_dir(car)
    cfg.set("CAR_PATH", str(car_dir), DEFAULT)
    config_py = car_dir / "config.py"
    if config_py.is_file():
        _apply_file(cfg, config_py, warn_each_unknown=False)
    myconfig_path = _myconfig_path(car_dir, myconfig)
    if myconfig_path is not None:
        _apply_file(cfg, myconfig_path, warn_each_unknown=True)
    for item in overrides:
        name, value = _parse_override(item)
        _apply_value(cfg, name, value, COMMAND_LINE, where=f"--set {item}", warn_unknown=True)
    return cfg


def _car_dir(car: str | Path | None) -> Path:
    if car is None:
        return Path.cwd()
    car_dir = Path(car).expanduser()
    if not car_dir.is_dir():
        raise BurroError("car folder not found", str(car), "pass the folder that holds config.py")
    return car_dir.resolve()


def _myconfig_path(car_dir: Path, myconfig: str | Path | None) -> Path | None:
    if myconfig is None:
        default = car_dir / "myconfig.py"
        return default if default.is_file() else None
    for candidate in (Path(myconfig).expanduser(), car_dir / myconfig):
        if candidate.is_file():
            return candidate
    raise BurroError("config file not found", str(myconfig), "check the --myconfig path")


def _apply_file(cfg: Config, path: Path, warn_each_unknown: bool) -> None:
    values, lines = _execute(path)
    unknown = []
    for name, value in values.items():
        where = f"{path}:{lines.get(name, '?')}, {name}"
        if name not in KEYS_BY_NAME:
            unknown.append(name)
        _apply_value(cfg, name, value, path.name, where, warn_unknown=warn_each_unknown)
    if unknown and not warn_each_unknown:
        log.info("%s: %d keys burro does not use (kept as given): %s", path, len(unknown),
                 ", ".join(sorted(unknown)[:8]) + (", ..." if len(unknown) > 8 else ""))


def _execute(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BurroError(f"cannot read config file: {exc}", str(path), "check the file") from exc
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise BurroError(f"syntax error: {exc.msg}", f"{path}:{exc.lineno}",
                         "fix that line (config files are Python)") from exc
    namespace: dict[str, Any] = {"__file__": str(path.resolve()), "__name__": "burro_config"}
    try:
        exec(compile(tree, str(path), "exec"), namespace)
    except SystemExit as exc:  # sys.exit()/exit() in a config file must not end burro quietly
        code = "" if exc.code is None else repr(exc.code)
        raise BurroError(f"the config file calls sys.exit({code})",
                         f"{path}:{_failing_line(exc, path)}",
                         "remove that call; a config file only sets values") from None
    except Exception as exc:
        line = _failing_line(exc, path)
        raise BurroError(f"{type(exc).__name__}: {exc}", f"{path}:{line}",
                         "fix that line (config files are Python)") from exc
    values = {name: value for name, value in namespace.items() if name.isupper()}
    return values, _assignment_lines(tree)


def _failing_line(exc: BaseException, path: Path) -> int | str:
    line: int | str = "?"
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == str(path):
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


def _assignment_lines(tree: ast.Module) -> dict[str, int]:
    lines: dict[str, int] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        for target in targets:
            for name_node in ast.walk(target):
                if isinstance(name_node, ast.Name):
                    lines[name_node.id] = node.lineno
    return lines


def _apply_value(cfg: Config, name: str, value: Any, source: str, where: str,
                 warn_unknown: bool) -> None:
    key = KEYS_BY_NAME.get(name)
    if key is None:
        if warn_unknown:
            _warn_unknown(name, where)
        cfg.set(name, value, source)
        return
    if not key.type.check(value):
        raise BurroError(
            f"{name} must be {key.type.name}, got {value!r} ({type(value).__name__})",
            where, f"set {name} to a {key.type.name}, e.g. {name} = {key.default!r}")
    cfg.set(name, key.type.normalise(value), source)


def _warn_unknown(name: str, where: str) -> None:
    close = difflib.get_close_matches(name, KEYS_BY_NAME, n=1, cutoff=0.7)
    hint = f"did you mean {close[0]}?" if close else "burro does not use it; it is kept as given"
    log.warning("unknown config key %s (%s) — %s", name, where, hint)


def _parse_override(item: str) -> tuple[str, Any]:
    name, sep, text = item.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier() or not name.isupper():
        raise BurroError("bad --set value", item, "write --set KEY=VALUE, e.g. --set BATCH_SIZE=64")
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        value = text.strip()
    return name, value


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value
