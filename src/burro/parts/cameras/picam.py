"""PICAM: the Raspberry Pi camera through picamera2 (libcamera)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from burro.errors import BurroError, first_line
from burro.parts.cameras import CAMERAS
from burro.parts.cameras._frames import FrameShape
from burro.parts.cameras._threaded import ThreadedCamera

WHERE = "CAMERA_TYPE=PICAM"
INSTALL = ("on Raspberry Pi OS: sudo apt install python3-picamera2, and make burro's venv with "
           "python3 -m venv --system-site-packages (pip's picamera2 has no libcamera)")
CHECKS = ("check the ribbon cable (both ends, contacts the right way), that `rpicam-hello "
          "--list-cameras` lists it, and that no other program uses the camera")


def _picamera2() -> tuple[Any, Any]:
    try:
        from libcamera import Transform
        from picamera2 import Picamera2
    except ImportError as exc:
        raise BurroError(f"PICAM needs picamera2, which cannot be imported ({exc})", WHERE,
                         INSTALL) from None
    return Picamera2, Transform


@CAMERAS.register("PICAM")
class PiCamera(ThreadedCamera):
    """Threaded camera; input `loop/time`, outputs `cam/image_array`, `cam/frame_time`.

    Asks libcamera for IMAGE_W x IMAGE_H RGB frames at CAMERA_FRAMERATE; CAMERA_VFLIP/HFLIP
    are done by the camera (libcamera's Transform) and CAMERA_INDEX picks the camera.
    """

    camera_type = "PICAM"

    def __init__(self, cfg: Any):
        Picamera2, Transform = _picamera2()
        super().__init__(cfg, FrameShape.from_config(cfg, flips=False))
        frame_us = round(1_000_000 / cfg.CAMERA_FRAMERATE)
        try:
            self._camera = Picamera2(camera_num=cfg.CAMERA_INDEX)
        except Exception as exc:  # libcamera's errors are IndexError/RuntimeError/...
            raise BurroError(f"camera cannot be opened ({first_line(exc)})", WHERE, CHECKS) from None
        try:
            config = self._camera.create_preview_configuration(
                main={"size": (cfg.IMAGE_W, cfg.IMAGE_H), "format": "BGR888"},  # = RGB bytes
                transform=Transform(hflip=cfg.CAMERA_HFLIP, vflip=cfg.CAMERA_VFLIP),
                controls={"FrameDurationLimits": (frame_us, frame_us)})
            self._camera.configure(config)
            self._camera.start()
        except Exception as exc:
            self._camera.close()
            raise BurroError(f"camera cannot be started ({first_line(exc)})", WHERE,
                             CHECKS) from None
        self._first_frame(BurroError("camera gives no frames", WHERE, CHECKS))

    def _capture(self) -> np.ndarray | None:
        try:
            return self._camera.capture_array("main")
        except Exception:  # a camera unplugged mid-drive: the loop sees stale frames
            return None

    def _close(self) -> None:
        try:
            self._camera.stop()
        finally:
            self._camera.close()
