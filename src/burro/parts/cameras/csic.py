"""CSIC: a Jetson CSI camera (IMX219/IMX477) through a GStreamer pipeline read by OpenCV."""

from __future__ import annotations

from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts.cameras import CAMERAS
from burro.parts.cameras._opencv import OpenCvCamera, import_cv2, opencv_quiet

WHERE = "CAMERA_TYPE=CSIC"
APT_OPENCV = ("on the Jetson use JetPack's OpenCV (sudo apt install python3-opencv) in a venv "
              "made with python3 -m venv --system-site-packages, without pip's opencv-python")


def pipeline(cfg: Any) -> str:
    """The nvarguscamerasrc → appsink pipeline text for OpenCV's CAP_GSTREAMER."""
    return (
        f"nvarguscamerasrc sensor-id={cfg.CAMERA_INDEX} ! "
        f"video/x-raw(memory:NVMM), width={cfg.CSIC_CAPTURE_WIDTH}, "
        f"height={cfg.CSIC_CAPTURE_HEIGHT}, format=NV12, framerate={cfg.CAMERA_FRAMERATE}/1 ! "
        f"nvvidconv flip-method={cfg.CSIC_CAM_GSTREAMER_FLIP_PARM} ! "
        f"video/x-raw, width={cfg.IMAGE_W}, height={cfg.IMAGE_H}, format=BGRx ! "
        "videoconvert ! video/x-raw, format=BGR ! appsink drop=true max-buffers=1 sync=false"
    )


def has_gstreamer(cv2: Any) -> bool:
    for line in cv2.getBuildInformation().splitlines():
        if line.strip().startswith("GStreamer:"):
            return line.split(":", 1)[1].strip().upper().startswith("YES")
    return False


@CAMERAS.register("CSIC")
class CsiCamera(OpenCvCamera):
    """Threaded camera; input `loop/time`, outputs `cam/image_array`, `cam/frame_time`.

    The sensor captures CSIC_CAPTURE_WIDTH x HEIGHT at CAMERA_FRAMERATE; the Jetson's
    nvvidconv scales to IMAGE_W x IMAGE_H and flips by CSIC_CAM_GSTREAMER_FLIP_PARM
    (0 none, 2 rotate 180°, 4 horizontal, 6 vertical); CAMERA_VFLIP/HFLIP flip after that.
    """

    camera_type = "CSIC"
    keys = (
        Key("CSIC_CAM_GSTREAMER_FLIP_PARM", t.int_between(0, 7), 0,
            "CSIC: nvvidconv flip-method (0 none, 2 rotate 180°, 4 horizontal, 6 vertical)."),
        Key("CSIC_CAPTURE_WIDTH", t.POSITIVE_INT, 1920, "CSIC: sensor capture width (a sensor mode)."),
        Key("CSIC_CAPTURE_HEIGHT", t.POSITIVE_INT, 1080, "CSIC: sensor capture height."),
    )

    def __init__(self, cfg: Any):
        cv2 = import_cv2("CSIC", APT_OPENCV)
        if not has_gstreamer(cv2):
            raise BurroError("this OpenCV has no GStreamer support (pip's opencv-python has "
                             "none), so it cannot read the CSI camera", WHERE, APT_OPENCV)
        with opencv_quiet(cv2):
            capture = cv2.VideoCapture(pipeline(cfg), cv2.CAP_GSTREAMER)
        problem = BurroError("CSI camera cannot be opened", WHERE,
                             "check the ribbon cable and CAMERA_INDEX, run `gst-launch-1.0 "
                             "nvarguscamerasrc num-buffers=1 ! fakesink` and `sudo systemctl "
                             "restart nvargus-daemon`")
        if not capture.isOpened():
            capture.release()
            raise problem
        super().__init__(cfg, capture)
        self._first_frame(problem)
