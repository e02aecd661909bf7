"""What threaded cameras share: a capture thread keeps the latest frame; the loop takes it.

`update()` (the Vehicle runs it in a thread) captures frames as they come; `run_threaded(
loop_time)` returns the newest one without waiting, with `cam/frame_time` = the loop time
at which that frame was first handed out, so a camera that stalls hands out the same
frame_time and the fail-safe sees the frame go stale. `run(loop_time)` captures in the
loop itself for a Vehicle that does not thread the part.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from burro.parts.cameras._frames import FrameShape

log = logging.getLogger("burro.camera")

_JOIN_S = 2.0


class ThreadedCamera:
    """Subclasses open their device in `__init__` (one-line BurroError when they cannot),
    then call `_first_frame()`; they implement `_capture()` (an RGB frame, or None) and
    `_close()`; `_paced` captures at CAMERA_FRAMERATE (sources that do not wait, files)."""

    threaded = True
    inputs = ("loop/time",)
    outputs = ("cam/image_array", "cam/frame_time")
    camera_type = "?"
    _paced = False

    def __init__(self, cfg: Any, shape: FrameShape | None = None):
        self.shape = shape or FrameShape.from_config(cfg)
        self.period_s = 1.0 / cfg.CAMERA_FRAMERATE
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._count = 0  # frames captured
        self._handed_count = -1
        self._handed_time: float | None = None
        self._running = True
        self._idle = threading.Event()
        self._idle.set()
        self._failing = False

    # ----- the part protocol ------------------------------------------------------------

    def update(self) -> None:
        self._idle.clear()
        try:
            due = time.monotonic()
            while self._running:
                if not self._capture_one():
                    time.sleep(self.period_s)
                elif self._paced:  # the camera's own clock, not the loop's
                    due = max(due + self.period_s, time.monotonic() - self.period_s)
                    time.sleep(max(0.0, due - time.monotonic()))
        finally:
            self._idle.set()

    def run_threaded(self, loop_time: float | None = None) -> tuple[np.ndarray | None, float | None]:
        with self._lock:
            frame, count = self._frame, self._count
        if count != self._handed_count:
            self._handed_count, self._handed_time = count, loop_time
        return frame, self._handed_time

    def run(self, loop_time: float | None = None) -> tuple[np.ndarray | None, float | None]:
        self._capture_one()
        return self.run_threaded(loop_time)

    def shutdown(self) -> None:
        self._running = False
        if not self._idle.wait(_JOIN_S):
            log.warning("%s camera: the capture thread did not stop within %.0f s",
                        self.camera_type, _JOIN_S)
            return  # closing under a blocked read can crash the driver
        self._close()

    # ----- for subclasses ---------------------------------------------------------------

    def _capture(self) -> np.ndarray | None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _first_frame(self, problem: Exception) -> None:
        """Capture one frame now, or close and raise `problem` (a BurroError)."""
        if not self._capture_one(warn=False):
            self._close()
            raise problem

    # ----- internals --------------------------------------------------------------------

    def _capture_one(self, warn: bool = True) -> bool:
        frame = self._capture()
        if frame is None:
            if warn and not self._failing:
                log.warning("%s camera gives no frames; the loop gets the last one "
                            "(its cam/frame_time stops advancing)", self.camera_type)
            self._failing = True
            return False
        if self._failing and warn:
            log.warning("%s camera gives frames again", self.camera_type)
        self._failing = False
        shaped = self.shape.apply(frame)
        with self._lock:
            self._frame, self._count = shaped, self._count + 1
        return True
