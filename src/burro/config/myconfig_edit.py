"""Set one key in a car's `myconfig.py`, keeping every other line and comment.

Where the new `KEY = value` goes, in this order, taking the first place where the file then
really gives KEY the new value (checked by executing the edited text, as the config loader
does):

1. the file's last top-level `KEY = ...` statement (all its lines, for a dict over several);
2. the first commented-out `# KEY = ...` (with its commented continuation lines, for a dict);
3. a new line at the end of the file.

A trailing `# comment` on the replaced line stays. `set_entries` changes entries of a dict
(Donkey's `PWM_STEERING_THROTTLE`) inside the file's own `KEY = {...}` where it can, so the
dict's other lines and comments stay too. The file is replaced atomically; a file that does
not exist is created.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.files import replace_atomically

_MAX_COMMENTED_LINES = 100  # a commented dict longer than this is replaced line by line


def set_key(path: str | Path, name: str, value: Any, *, literal: str | None = None) -> None:
    """Make `path` assign `value` to `name` (`literal`: the Python text to write for it,
    e.g. "0x40"; by default it is rendered from the value)."""
    path = Path(path)
    text = literal if literal is not None else render(value)
    if ast.literal_eval(text) != value:
        raise ValueError(f"{text!r} is not {value!r}")
    original = _read(path)
    _check_loads(path, original)
    for candidate in _placements(original, name, text):
        if _assigns(path, candidate, name, value):
            _write(path, candidate)
            return
    raise BurroError(f"could not set {name} in this file", str(path),  # a file that rebinds it
                     f"set it by hand: {name} = {text}")


def set_entries(path: str | Path, name: str, entries: Mapping[str, Any],
                base: Mapping[str, Any]) -> None:
    """Make the dict `name` in `path` hold `entries`, keeping its other entries: those the
    file's own dict has, or `base` (the value in effect) when the file does not set it."""
    path = Path(path)
    original = _read(path)
    current = _value_in(path, original, name)
    merged = {**(current if isinstance(current, dict) else base), **entries}
    edited = _edited_entries(original, name, entries)
    if edited is not None and _assigns(path, edited, name, merged):
        _write(path, edited)  # the dict's own lines and comments stay
        return
    set_key(path, name, merged)


def render(value: Any, indent: str = "    ") -> str:
    """Python text for a config value; a dict is written one entry a line, Donkey's way."""
    if isinstance(value, dict) and value:
        lines = [f"{indent}{_scalar(key)}: {_scalar(item)}," for key, item in value.items()]
        return "{\n" + "\n".join(lines) + "\n}"
    return _scalar(value)


def _scalar(value: Any) -> str:
    text = repr(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return f'"{text[1:-1]}"'  # Donkey's config files quote with "
    return text


# ----- where the line goes ----------------------------------------------------------------

def _placements(source: str, name: str, text: str) -> Iterator[str]:
    lines = _lines(source)
    newline = "\r\n" if "\r\n" in source else "\n"
    statement = f"{name} = {text}".replace("\n", newline)
    span = _active_span(source, name)
    if span is not None:
        yield _replaced(lines, span, statement)
    span = _commented_span(lines, name)
    if span is not None:
        yield _replaced(lines, span, statement)
    ending = "" if not source or source.endswith(("\n", "\r")) else newline
    yield source + ending + statement + newline


def _active_statement(source: str, name: str) -> ast.Assign | None:
    """The file's last top-level `name = ...`."""
    found = None
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and [_name(t) for t in node.targets] == [name]:
            found = node
    return found


def _active_span(source: str, name: str) -> tuple[int, int, str] | None:
    """(first line, last line, what follows the statement on its last line), 0-based."""
    found = _active_statement(source, name)
    if found is None:
        return None
    last = _lines(source)[found.end_lineno - 1]
    return found.lineno - 1, found.end_lineno - 1, _after(last, found.end_col_offset)


def _commented_span(lines: list[str], name: str) -> tuple[int, int, str] | None:
    start = re.compile(rf"\s*#\s*{re.escape(name)}\s*=(?!=)")
    for first, line in enumerate(lines):
        if start.match(line):
            return _commented_statement(lines, first, name)
    return None


def _commented_statement(lines: list[str], first: int, name: str) -> tuple[int, int, str]:
    code = ""
    for last in range(first, min(first + _MAX_COMMENTED_LINES, len(lines))):
        marker = r"^\s*#\s*" if last == first else r"^\s*#\s?"  # keep continuation indents
        uncommented = re.sub(marker, "", lines[last].rstrip("\r\n"))
        if last > first and not lines[last].lstrip().startswith("#"):
            break
        code += uncommented + "\n"
        try:
            body = ast.parse(code).body
        except SyntaxError:
            continue
        if len(body) == 1 and isinstance(body[0], ast.Assign):
            return first, last, _after(uncommented, body[0].end_col_offset)
        break
    return first, first, ""


def _replaced(lines: list[str], span: tuple[int, int, str], statement: str) -> str:
    first, last, rest = span
    ending = lines[last][len(lines[last].rstrip("\r\n")):]
    return "".join(lines[:first]) + statement + rest + ending + "".join(lines[last + 1:])


def _edited_entries(source: str, name: str, entries: Mapping[str, Any]) -> str | None:
    """`source` with the entries changed inside the file's own `name = {...}` literal: values
    replaced where they are, new entries added before the closing brace. None when the file
    has no such literal, or its brace shares a line with other text."""
    node = _active_statement(source, name)
    if node is None or not isinstance(node.value, ast.Dict):
        return None
    literal = node.value
    keys = [key.value if isinstance(key, ast.Constant) else None for key in literal.keys]
    lines = _lines(source)
    at = _Positions(lines)
    edits = []
    missing = {}
    for entry, value in entries.items():
        if entry in keys:
            item = literal.values[len(keys) - 1 - keys[::-1].index(entry)]  # the last one wins
            edits.append((at(item.lineno, item.col_offset),
                          at(item.end_lineno, item.end_col_offset), _scalar(value)))
        else:
            missing[entry] = value
    if missing:
        before_brace = lines[literal.end_lineno - 1].encode("utf-8")[:literal.end_col_offset - 1]
        if before_brace.strip():
            return None
        newline = "\r\n" if "\r\n" in source else "\n"
        indent = "    "
        if literal.values:
            last = literal.values[-1]
            gap = source[at(last.end_lineno, last.end_col_offset):at(literal.end_lineno,
                                                                     literal.end_col_offset - 1)]
            if "," not in "".join(part.split("#")[0] for part in gap.splitlines()):
                end = at(last.end_lineno, last.end_col_offset)
                edits.append((end, end, ","))
            key_line = lines[literal.keys[-1].lineno - 1]
            if key_line[:literal.keys[-1].col_offset].strip() == "":
                indent = key_line[:len(key_line) - len(key_line.lstrip())]
        start = at(literal.end_lineno, 0)
        added = "".join(f"{indent}{_scalar(key)}: {_scalar(value)},{newline}"
                        for key, value in missing.items())
        edits.append((start, start, added))
    for begin, end, text in sorted(edits, reverse=True):
        source = source[:begin] + text + source[end:]
    return source


class _Positions:
    """Offsets into the whole text from ast's (line, UTF-8 byte column) positions."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.starts = [0]
        for line in lines:
            self.starts.append(self.starts[-1] + len(line))

    def __call__(self, lineno: int, byte_col: int) -> int:
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:byte_col].decode("utf-8"))


def _after(line: str, end_byte: int) -> str:
    """What follows column `end_byte` (ast counts UTF-8 bytes) on a line, e.g. a comment."""
    return line.rstrip("\r\n").encode("utf-8")[end_byte:].decode("utf-8").rstrip()


def _lines(source: str) -> list[str]:
    """Lines as Python numbers them (\\n, \\r\\n or \\r ends a line), endings kept."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", source)


def _name(target: ast.expr) -> str | None:
    return target.id if isinstance(target, ast.Name) else None


# ----- reading and checking ---------------------------------------------------------------

def _read(path: Path) -> str:
    if not path.exists():
        return ""
    try:
        with open(path, encoding="utf-8", newline="") as file:  # keep \r\n as it is
            return file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise BurroError(f"cannot read config file: {exc}", str(path), "check the file") from None


def _write(path: Path, source: str) -> None:
    try:
        replace_atomically(path, source)
    except OSError as exc:
        raise BurroError(f"cannot write config file: {exc.strerror or exc}", str(path),
                         "check the folder's permissions; the file is unchanged") from None


def _run(path: Path, source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__file__": str(path.resolve()), "__name__": "burro_config"}
    exec(compile(source, str(path), "exec"), namespace)
    return namespace


def _check_loads(path: Path, source: str) -> None:
    try:
        _run(path, source)
    except BaseException as exc:  # noqa: BLE001 (a config may raise anything, even SystemExit)
        raise BurroError(f"the config file does not load ({type(exc).__name__}: {exc})",
                         str(path), "fix it first (burro config check), then run this again"
                         ) from None


def _value_in(path: Path, source: str, name: str) -> Any:
    _check_loads(path, source)
    return _run(path, source).get(name)


def _assigns(path: Path, source: str, name: str, value: Any) -> bool:
    try:
        namespace = _run(path, source)
    except BaseException:  # noqa: BLE001 (this placement broke the file: try the next one)
        return False
    return name in namespace and namespace[name] == value and type(namespace[name]) is type(value)
