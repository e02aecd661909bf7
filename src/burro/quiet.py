"""Keep TensorFlow's and LiteRT's C/C++ start-up lines off the user's terminal.

TensorFlow 2.21 writes `oneDNN custom operations are on`, `All log messages before
absl::InitializeLog() ...` and the CPU-feature notice straight to file descriptor 2 while it
is imported, and LiteRT writes `Created TensorFlow Lite XNNPACK delegate` when an interpreter
is created; `TF_CPP_MIN_LOG_LEVEL` does not stop them (measured). So `native_output_hidden()`
points fd 2 at /dev/null for the duration of such a call and puts it back afterwards.

- Python's own writes keep reaching the terminal: inside the block `sys.stderr` writes to a
  copy of the real fd 2, so burro's messages (from any thread) are not lost. Only C-level
  writes to fd 2 by any thread during the block are dropped: keep blocks short (an import,
  an interpreter's creation).
- A real crash inside the block (SIGSEGV, SIGABRT from a failed C++ check) still prints
  Python's fatal-error report with the stack on the real stderr (faulthandler points there);
  `-v` runs without hiding anything and shows the library's own message too.
- Blocks nest and may be entered from several threads: fd 2 is restored when the last
  one leaves.
"""

from __future__ import annotations

import faulthandler
import importlib.abc
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

STDERR_FD = 2
NOISY_IMPORTS = ("tensorflow",)  # keras, tf2onnx and burro's training code import it

_lock = threading.Lock()
_state = {"enabled": True, "depth": 0}
_saved: dict = {}


def show_native_output(show: bool = True) -> None:
    """`-v`: let the libraries' C/C++ lines through (every block becomes a no-op)."""
    _state["enabled"] = not show


@contextmanager
def native_output_hidden() -> Iterator[None]:
    """Drop what C/C++ code writes to fd 2 while the block runs (see the module docstring)."""
    if not _enter():
        yield
        return
    try:
        yield
    finally:
        _leave()


def _enter() -> bool:
    with _lock:
        if not _state["enabled"]:
            return False
        if _state["depth"] == 0 and not _hide():
            return False
        _state["depth"] += 1
        return True


def _leave() -> None:
    with _lock:
        _state["depth"] -= 1
        if _state["depth"] == 0:
            _restore()


def _hide() -> bool:
    try:
        sys.stderr.flush()
        saved_fd = os.dup(STDERR_FD)
    except (AttributeError, OSError, ValueError):  # no stderr (pythonw, closed fd 2)
        return False
    python_stderr = sys.stderr
    real_stderr = os.fdopen(saved_fd, "w", encoding=getattr(python_stderr, "encoding", None),
                            errors="backslashreplace", buffering=1, closefd=False)
    _saved.update(fd=saved_fd, python_stderr=python_stderr, real_stderr=real_stderr,
                  faulthandler=faulthandler.is_enabled())
    faulthandler.enable(real_stderr)
    if _writes_to_fd2(python_stderr):  # else (a capture, a StringIO) it is not silenced anyway
        sys.stderr = real_stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, STDERR_FD)
    finally:
        os.close(devnull)
    return True


def _restore() -> None:
    real_stderr = _saved.pop("real_stderr")
    real_stderr.flush()
    # The copy stays open: a stream taken from sys.stderr inside the block must never write
    # into a descriptor number that is reused later. One descriptor per block, few blocks.
    os.dup2(_saved.pop("fd"), STDERR_FD)
    python_stderr = _saved.pop("python_stderr")
    if sys.stderr is real_stderr:
        sys.stderr = python_stderr
    if not _saved.pop("faulthandler"):
        faulthandler.disable()
    # else it stays on the copy of fd 2, which stays open: its earlier file is unknown here


def _writes_to_fd2(stream) -> bool:
    try:
        return stream.fileno() == STDERR_FD
    except (AttributeError, OSError, ValueError):
        return False


def hide_native_output_of_imports(names: tuple[str, ...] = NOISY_IMPORTS) -> None:
    """Import these packages inside `native_output_hidden()`, wherever they are first
    imported (the training code, a Keras pilot, an export): the CLI installs this once."""
    if not any(isinstance(finder, _QuietImports) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietImports(names))


class _QuietImports(importlib.abc.MetaPathFinder):
    def __init__(self, names: tuple[str, ...]):
        self.names = set(names)
        self._finding = threading.local()

    def find_spec(self, name, path, target=None):
        if name not in self.names or name in sys.modules or getattr(self._finding, "on", False):
            return None
        self._finding.on = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._finding.on = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Runs the real loader inside `native_output_hidden()`, then steps out of the way."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        with native_output_hidden():
            self.loader.exec_module(module)


@contextmanager
def logger_quieted(name: str, level: int = logging.ERROR) -> Iterator[None]:
    """Raise a Python logger's level for the block (a library's chatty notes, or warnings a
    command reports itself in one line)."""
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)
