"""Frames brought to the configured shape: flips, size, RGB or grey, optional red/blue swap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class FrameShape:
    """What every camera hands out: IMAGE_H x IMAGE_W x 3 uint8 RGB, or IMAGE_H x IMAGE_W
    for IMAGE_DEPTH 1."""

    width: int
    height: int
    depth: int = 3
    vflip: bool = False
    hflip: bool = False
    swap_red_blue: bool = False

    @classmethod
    def from_config(cls, cfg: Any, flips: bool = True) -> FrameShape:
        """`flips=False` for a camera that flips in hardware (PICAM)."""
        return cls(cfg.IMAGE_W, cfg.IMAGE_H, cfg.IMAGE_DEPTH,
                   flips and cfg.CAMERA_VFLIP, flips and cfg.CAMERA_HFLIP,
                   bool(cfg.get("BGR2RGB", False)))

    def apply(self, rgb: np.ndarray) -> np.ndarray:
        """`rgb`: HxWx3 (or x4, alpha dropped) RGB, or HxW grey, any size; a new array."""
        import numpy as np
        frame = rgb[..., :3] if rgb.ndim == 3 else rgb
        if self.vflip:
            frame = frame[::-1]
        if self.hflip:
            frame = frame[:, ::-1]
        if frame.shape[:2] != (self.height, self.width):
            frame = _resized(frame, self.width, self.height)
        if self.swap_red_blue and frame.ndim == 3:
            frame = frame[..., ::-1]
        if self.depth == 1 and frame.ndim == 3:
            return _grey(frame)
        if self.depth == 3 and frame.ndim == 2:
            frame = np.repeat(frame[..., None], 3, axis=2)
        return np.ascontiguousarray(frame, dtype=np.uint8)


def _resized(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    import numpy as np
    from PIL import Image

    image = Image.fromarray(np.ascontiguousarray(frame, dtype=np.uint8))
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR))


def _grey(rgb: np.ndarray) -> np.ndarray:
    """ITU-R 601 luma, as PIL's convert("L") and OpenCV's RGB2GRAY compute it."""
    import numpy as np

    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.clip(rgb.astype(np.float32) @ weights + 0.5, 0, 255).astype(np.uint8)
