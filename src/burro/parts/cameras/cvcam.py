"""CVCAM / WEBCAM: a USB webcam (V4L2) or a video file, read with OpenCV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts.cameras import CAMERAS
from burro.parts.cameras._opencv import OpenCvCamera, import_cv2, opencv_quiet

SOURCE = Key("CAMERA_SOURCE", t.OPTIONAL_STR, None,
             "WEBCAM/CVCAM: a device path (/dev/video2) or a video file to play in a loop "
             "instead of camera CAMERA_INDEX (None).")


@CAMERAS.register("CVCAM", "WEBCAM")
class OpenCvWebcam(OpenCvCamera):
    """Threaded camera; input `loop/time`, outputs `cam/image_array`, `cam/frame_time`.

    Opens /dev/video<CAMERA_INDEX> (or CAMERA_SOURCE), asks it for IMAGE_W x IMAGE_H at
    CAMERA_FRAMERATE, and resizes whatever it delivers to that size.
    """

    keys = (SOURCE,)

    def __init__(self, cfg: Any):
        named = str(cfg.CAMERA_TYPE).upper()
        self.camera_type = named if named in ("CVCAM", "WEBCAM") else "CVCAM"
        cv2 = import_cv2(self.camera_type)
        source = cfg.get("CAMERA_SOURCE") or cfg.CAMERA_INDEX
        if isinstance(source, str):
            source = str(Path(source).expanduser())
        file = isinstance(source, str) and Path(source).is_file()
        where = f"CAMERA_TYPE={self.camera_type}, " + (
            f"CAMERA_SOURCE={source!r}" if isinstance(source, str) else f"CAMERA_INDEX={source}")
        if isinstance(source, str) and not file and not Path(source).exists():
            raise BurroError(f"camera source {source} does not exist", where,
                             "set CAMERA_SOURCE to a video device or file, or None for CAMERA_INDEX")
        with opencv_quiet(cv2):
            capture = _open(cv2, source, file, cfg)
        if not capture.isOpened():
            capture.release()
            raise BurroError("camera cannot be opened", where, _checks(source, file))
        super().__init__(cfg, capture, rewinds=file)
        self._first_frame(BurroError("camera gives no frames", where, _checks(source, file)))


def _open(cv2: Any, source: int | str, file: bool, cfg: Any) -> Any:
    if file:
        return cv2.VideoCapture(source)
    backend = cv2.CAP_V4L2 if sys.platform.startswith("linux") else cv2.CAP_ANY
    capture = cv2.VideoCapture(source, backend)
    if capture.isOpened():
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, cfg.IMAGE_W)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, cfg.IMAGE_H)
        capture.set(cv2.CAP_PROP_FPS, cfg.CAMERA_FRAMERATE)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not one queued earlier
    return capture


def _checks(source: int | str, file: bool) -> str:
    if file:
        return "check that it is a video OpenCV plays (e.g. an MJPG .avi or an H.264 .mp4)"
    device = f"/dev/video{source}" if isinstance(source, int) else source
    if not Path(device).exists():
        return (f"{device} does not exist: plug the camera in, check `ls /dev/video*` and set "
                "CAMERA_INDEX")
    return (f"{device} is busy or not a capture device: close other programs using it "
            "(`fuser " + device + "`), or try the next CAMERA_INDEX")
