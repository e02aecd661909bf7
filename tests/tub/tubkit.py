"""Helpers to make small tubs in tests."""

import numpy as np
import pytest

from burro.tub import Tub

BASIC_INPUTS = ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
BASIC_TYPES = ["image_array", "float", "float", "str"]


def frame(seed: int, height: int = 120, width: int = 160) -> np.ndarray:
    """A smooth camera-like frame (gradients), different per seed."""
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([(x * 255 // width + seed) % 256, (y * 255 // height) % 256,
                       np.full_like(x, seed * 7 % 256)], axis=-1)
    return pixels.astype(np.uint8)


def basic_record(i: int) -> dict:
    return {"cam/image_array": frame(i), "user/angle": round(i / 100 - 0.5, 3),
            "user/throttle": 0.3, "user/mode": "user"}


@pytest.fixture
def write_tub(tmp_path):
    """Write `count` basic records into a new tub and return its path."""
    def write(count: int, name: str = "tub", max_catalog_len: int = 1000, start: int = 0):
        path = tmp_path / name
        with Tub(path, BASIC_INPUTS, BASIC_TYPES, max_catalog_len=max_catalog_len) as tub:
            for i in range(start, start + count):
                tub.write_record(basic_record(i))
        return path
    return write


def replace_file(path, data: bytes) -> None:
    """Give `path` new content without writing into a file shared by a hard link."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)
