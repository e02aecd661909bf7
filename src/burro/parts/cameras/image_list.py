"""IMAGE_LIST: replay a folder's images or a tub's frames, one per tick, in a loop."""

from __future__ import annotations

import glob
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts.cameras import CAMERAS
from burro.parts.cameras._frames import FrameShape

log = logging.getLogger("burro.camera")

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
_LEADING_NUMBER = re.compile(r"\d+")


def image_files(mask: str, car_path: str = ".") -> list[Path]:
    """The images PATH_MASK names, in record order (by the number a name starts with).

    A glob (`**` reaches into sub-folders), a folder of images, or a tub (its images/).
    Relative masks are relative to the car folder.
    """
    where = Path(mask).expanduser()
    if not where.is_absolute():
        where = Path(car_path) / where
    if where.is_dir():
        folder = where / "images" if (where / "images").is_dir() else where
        found = [path for path in folder.iterdir()]
    else:
        found = [Path(name) for name in glob.glob(str(where), recursive=True)]
    images = [path for path in found if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()]
    return sorted(images, key=_record_order)


def _record_order(path: Path) -> tuple:
    number = _LEADING_NUMBER.match(path.name)
    return (str(path.parent), int(number[0]) if number else -1, path.name)


@CAMERAS.register("IMAGE_LIST")
class ImageListCamera:
    """Input `loop/time`; outputs `cam/image_array` (the next image, shaped to IMAGE_W x
    IMAGE_H x IMAGE_DEPTH) and `cam/frame_time` (= loop/time). After the last image it
    starts again at the first. A file that does not decode is skipped with one warning."""

    threaded = False
    inputs = ("loop/time",)
    outputs = ("cam/image_array", "cam/frame_time")
    keys = (Key("PATH_MASK", t.STR, "~/mycar/data/**/images/*.jpg",
                "IMAGE_LIST: the images to replay: a glob, a folder of images or a tub."),)

    def __init__(self, cfg: Any):
        mask = cfg.get("PATH_MASK", "~/mycar/data/**/images/*.jpg")
        self.files = image_files(mask, cfg.get("CAR_PATH", "."))
        if not self.files:
            raise BurroError("no images to replay", f"CAMERA_TYPE=IMAGE_LIST, PATH_MASK={mask!r}",
                             "point PATH_MASK at a tub, a folder of .jpg/.png images or a glob "
                             "such as ~/mycar/data/**/images/*.jpg")
        self.shape = FrameShape.from_config(cfg)
        self.position = 0
        self._broken: set[Path] = set()

    def run(self, loop_time: float | None = None) -> tuple[np.ndarray, float | None]:
        for _ in range(len(self.files)):
            path = self.files[self.position]
            self.position = (self.position + 1) % len(self.files)
            frame = self._load(path)
            if frame is not None:
                return frame, loop_time
        raise BurroError("no image of PATH_MASK decodes", "CAMERA_TYPE=IMAGE_LIST",
                         "check the files (burro tub check --decode for a tub)")

    def shutdown(self) -> None:
        pass

    def _load(self, path: Path) -> np.ndarray | None:
        if path in self._broken:
            return None
        import numpy as np
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as image:
                pixels = np.asarray(image.convert("L" if image.mode in ("L", "I;16") else "RGB"))
        except (OSError, UnidentifiedImageError) as exc:
            log.warning("IMAGE_LIST skips %s: %s", path, exc)
            self._broken.add(path)
            return None
        return self.shape.apply(pixels)
