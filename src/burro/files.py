"""File writes shared by the tub, the model database and other burro outputs."""

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from burro.errors import BurroError


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


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path` for a writer that takes a file name (Keras,
    matplotlib, OpenCV, a converter); on success it is renamed onto `path`, on any failure
    removed, so `path` holds either its old content or the complete new file.

    The temporary name keeps the suffix (writers pick the format from it) and starts with a
    dot, so a half-written file never looks like an output. An OSError becomes a BurroError
    naming the file and what to do.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.stem}.partial-{secrets.token_hex(4)}{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise BurroError(f"cannot write {path.name}: {error.strerror or error}", str(path),
                         "free space / check permissions; the previous file is unchanged"
                         ) from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def check_output_name(target: str | Path, option: str) -> None:
    """Before the slow part: an output into a missing folder would fail only at the end."""
    if not Path(target).resolve().parent.is_dir():
        raise BurroError("folder does not exist", str(target), f"create it or change {option}")


def check_figure_name(target: str | Path, option: str) -> None:
    """A matplotlib figure file: its folder exists and matplotlib can write its suffix."""
    from matplotlib.backend_bases import FigureCanvasBase

    check_output_name(target, option)
    suffix = Path(target).suffix.lower().lstrip(".")
    if suffix and suffix not in FigureCanvasBase.get_supported_filetypes():
        raise BurroError(f"cannot write a plot named {Path(target).name}", str(target),
                         f"end the {option} name in .png, .pdf or .svg")
