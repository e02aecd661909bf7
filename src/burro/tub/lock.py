"""One recorder per tub: an advisory lock on the tub's `images/` folder (a file that is never
replaced, unlike the manifests), held while recording and taken briefly to delete/restore."""

import os
from pathlib import Path

from burro.tub.problems import TubError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; burro then does not guard against this
    fcntl = None


class TubLock:
    def __init__(self, tub_path: Path):
        self.tub_path = tub_path
        self._fd: int | None = None

    def acquire(self) -> "TubLock":
        if fcntl is None:
            return self
        try:
            self._fd = os.open(self.tub_path / "images", os.O_RDONLY)
        except OSError:
            return self  # no images folder: nothing records into this tub
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            raise TubError("the tub is being recorded into by another program",
                           str(self.tub_path), "stop that recording first") from None
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock, as does the process dying
            self._fd = None

    def __enter__(self) -> "TubLock":
        return self.acquire()

    def __exit__(self, *exc_info) -> None:
        self.release()
