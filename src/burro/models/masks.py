"""Donkey's CROP and TRAPEZE masks as 0/1 arrays (numpy + OpenCV, no Keras).

Shared by the in-model layers (burro.models.transforms) and the Transformations part that
applies the same masks to camera frames before a Donkey-trained pilot.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


def polygon_mask(height: int, width: int, corners: list[tuple[int, int]]) -> np.ndarray:
    """0/1 mask of a convex polygon drawn exactly as Donkey does (cv2.fillConvexPoly,
    boundary pixels included), so a model sees the same pixels as under Donkey."""
    import cv2

    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.fillConvexPoly(mask, np.array(corners, dtype=np.int32), 1)
    return mask.astype(np.float32)


@lru_cache(maxsize=16)  # one per frame size and setting: the drive loop reuses them
def crop_mask(height: int, width: int, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """Donkey's ImgCropMask: keep rows top..H-bottom and columns left..W-right (inclusive)."""
    return polygon_mask(height, width, [(left, top), (width - right, top),
                                        (width - right, height - bottom), (left, height - bottom)])


@lru_cache(maxsize=16)
def trapeze_mask(height: int, width: int, ll: int, lr: int, ul: int, ur: int,
                 min_y: int, max_y: int) -> np.ndarray:
    """Donkey's ImgTrapezoidalMask: keep the trapezoid (ul,min_y) (ur,min_y) (lr,max_y) (ll,max_y)."""
    return polygon_mask(height, width, [(ul, min_y), (ur, min_y), (lr, max_y), (ll, max_y)])
