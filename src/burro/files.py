"""File writes shared by the tub, the model database and other burro outputs."""

import os
from pathlib import Path


def replace_atomically(path: Path, text: str, *, encoding: str = "utf-8", sync: bool = False) -> None:
    """Replace `path` so that a crash leaves either the old or the new content, never half.

    The temporary file has a fixed name beside `path`: callers write one file from one writer
    at a time (tubs hold a recorder lock, the model database a file lock), and a crash leaves
    at most one stale `.tmp` that the next write replaces. Raises OSError.
    """
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "w", encoding=encoding) as file:
            file.write(text)
            if sync:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
