"""The opened tubs' records as one list the arena's slider runs over (position 0..count-1)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from burro.errors import BurroError

IMAGE_KEY = "cam/image_array"
CONTROLS = ("user/angle", "user/throttle")


@dataclass(frozen=True)
class Frame:
    """One record: where its image is, what the driver did, and its other values."""

    tub: Path
    index: int
    image: Path
    angle: float
    throttle: float
    values: dict[str, Any]

    def pixels(self):
        from burro.tub.images import load_image

        try:
            return load_image(self.image)
        except (OSError, ValueError, SyntaxError) as error:
            raise BurroError(f"cannot decode the image of record {self.index} ({error})",
                             str(self.image), "run `burro tub check --repair` on the tub") from None


def read_frames(tubs: list[Path]) -> list[Frame]:
    """Every good, non-deleted record with an image and the user's controls, tub by tub."""
    from burro.tub.tub import Tub

    frames = []
    for path in tubs:
        tub = Tub(path, check_images=False)
        try:
            for record in tub:
                if IMAGE_KEY not in record or not all(key in record for key in CONTROLS):
                    continue
                frames.append(Frame(path, record.index, record.image_path(IMAGE_KEY),
                                    float(record["user/angle"]), float(record["user/throttle"]),
                                    dict(record.data)))
        finally:
            tub.close()
    return frames


class FrameList:
    """The frames of the tubs opened in the UI, read again when the tubs or their manifests
    change (a deletion in the Tub Manager)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple = ()
        self._frames: list[Frame] = []

    def of(self, tubs: list[Path]) -> list[Frame]:
        key = tuple((str(tub), _stamp(tub / "manifest.json")) for tub in tubs)
        with self._lock:
            if key != self._key:
                self._frames, self._key = read_frames(tubs), key
            return self._frames

    def frame(self, tubs: list[Path], position: Any) -> Frame:
        frames = self.of(tubs)
        if not frames:
            raise BurroError("no frames to show", "tubs", "open a tub with images and "
                             "user/angle, user/throttle (Tubs: in the header)")
        if isinstance(position, bool) or not isinstance(position, int) \
                or not 0 <= position < len(frames):
            raise BurroError(f"no frame {position!r}", "index",
                             f"give a position from 0 to {len(frames) - 1}")
        return frames[position]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except OSError:
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)
