"""Cameras read through OpenCV's VideoCapture (CVCAM/WEBCAM, CSIC): BGR frames → RGB."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from burro.errors import BurroError
from burro.parts.cameras._threaded import ThreadedCamera

PIP_OPENCV = "pip install opencv-python-headless (in burro's venv)"


def import_cv2(camera_type: str, install: str = PIP_OPENCV) -> Any:
    """OpenCV, or a one-line BurroError saying how to install it (the car extra has none)."""
    try:
        import cv2
    except ImportError as exc:
        raise BurroError(f"{camera_type} needs OpenCV, which cannot be imported ({exc})",
                         f"CAMERA_TYPE={camera_type}", install) from None
    return cv2


@contextlib.contextmanager
def opencv_quiet(cv2: Any) -> Iterator[None]:
    """OpenCV's own warnings about a device it cannot open, hidden: burro says it in one line."""
    logging = getattr(getattr(cv2, "utils", None), "logging", None)
    if logging is None:
        yield
        return
    level = logging.getLogLevel()
    logging.setLogLevel(logging.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        logging.setLogLevel(level)


class OpenCvCamera(ThreadedCamera):
    """A started `cv2.VideoCapture` as a threaded camera. A file source plays in a loop at
    CAMERA_FRAMERATE (`rewinds=True`)."""

    def __init__(self, cfg: Any, capture: Any, rewinds: bool = False):
        super().__init__(cfg)
        self._cap = capture
        self._rewinds = rewinds
        self._paced = rewinds

    def _capture(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        if not ok and self._rewinds:
            import cv2

            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok or frame is None:
            return None
        return frame[..., ::-1] if frame.ndim == 3 else frame  # OpenCV's BGR → RGB

    def _close(self) -> None:
        self._cap.release()
