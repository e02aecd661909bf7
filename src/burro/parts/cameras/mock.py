"""MOCK: a test pattern instead of a camera (no device)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from burro.config import types as t
from burro.config.defaults import Key
from burro.parts.cameras import CAMERAS
from burro.parts.cameras._frames import FrameShape

BARS = ((255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0),
        (255, 0, 255), (255, 0, 0), (0, 0, 255), (0, 0, 0))
STEP_PX = 2  # how far the moving pattern moves per tick


def test_pattern(width: int, height: int) -> np.ndarray:
    """Colour bars (left to right) over a vertical brightness ramp, HxWx3 RGB."""
    import numpy as np

    columns = np.array(BARS, dtype=np.uint8)[np.arange(width) * len(BARS) // width]  # W x 3
    ramp = np.linspace(1.0, 0.25, height, dtype=np.float32)[:, None, None]
    return (columns[None, :, :] * ramp).astype(np.uint8)


@CAMERAS.register("MOCK")
class MockCamera:
    """Input `loop/time`; outputs `cam/image_array` (the pattern, IMAGE_W x IMAGE_H x
    IMAGE_DEPTH, flipped as configured) and `cam/frame_time` (= loop/time: a new frame
    every tick). With MOCK_CAMERA_MOVING the bars move STEP_PX pixels left per tick."""

    threaded = False
    inputs = ("loop/time",)
    outputs = ("cam/image_array", "cam/frame_time")
    keys = (Key("MOCK_CAMERA_MOVING", t.BOOL, True,
                "MOCK: the test pattern moves 2 px per tick (False: one fixed frame)."),)

    def __init__(self, cfg: Any):
        from numpy import roll

        self._roll = roll
        shape = FrameShape.from_config(cfg)
        self._frame = shape.apply(test_pattern(cfg.IMAGE_W, cfg.IMAGE_H))
        self._frame.flags.writeable = False  # handed out every tick: nobody may change it
        self._moving = bool(cfg.get("MOCK_CAMERA_MOVING", True))
        self._tick = 0

    def run(self, loop_time: float | None = None) -> tuple[np.ndarray, float | None]:
        frame = self._frame
        if self._moving:
            frame = self._roll(frame, -STEP_PX * self._tick, axis=1)
            self._tick += 1
        return frame, loop_time

    def shutdown(self) -> None:
        pass
