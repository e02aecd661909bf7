"""The one error type users see: a single line saying what, where and what to do."""


def first_line(message: object, limit: int = 300) -> str:
    """The first non-empty line of an error message, shortened: what a one-line report shows
    of a library's multi-line message (the rest is for --debug)."""
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()]
    if not lines:
        return type(message).__name__ if isinstance(message, BaseException) else ""
    line = lines[0]
    if line.endswith(":") and len(lines) > 1:  # "in user code:" ... the error is the last line
        line = f"{line} … {lines[-1]}"
    return line if len(line) <= limit else line[:limit - 3] + "..."


class Interrupted(KeyboardInterrupt):
    """Ctrl-C that stopped a command after it kept its finished work; the message says what
    was kept (`kept 1234 records in data/tub`). The CLI prints it and exits 130."""


class BurroError(Exception):
    """A user-facing error. Rendered by the CLI as one line, never as a traceback."""

    def __init__(self, what: str, where: str | None = None, todo: str | None = None):
        self.what = what
        self.where = where
        self.todo = todo
        super().__init__(self.line())

    def line(self) -> str:
        text = _joined(self.what)
        if self.where:
            text += f" ({_joined(self.where)})"
        if self.todo:
            text += f" — {_joined(self.todo)}"
        return text


def _joined(part: str) -> str:
    """A part that quotes a multi-line library message still prints as one line."""
    if "\n" not in part:
        return part
    return " ".join(line.strip() for line in part.splitlines() if line.strip())
