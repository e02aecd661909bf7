"""The one error type users see: a single line saying what, where and what to do."""


class BurroError(Exception):
    """A user-facing error. Rendered by the CLI as one line, never as a traceback."""

    def __init__(self, what: str, where: str | None = None, todo: str | None = None):
        self.what = what
        self.where = where
        self.todo = todo
        super().__init__(self.line())

    def line(self) -> str:
        text = self.what
        if self.where:
            text += f" ({self.where})"
        if self.todo:
            text += f" — {self.todo}"
        return text
