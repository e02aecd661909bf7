"""Open the tub a drive records into, as the car config says (Donkey's TubHandler + Tub)."""

import re
import time
from pathlib import Path

from burro.tub.tub import Tub

NUMBERED_TUB = re.compile(r"tub_(\d+)(_.*)?")


def new_tub_path(data_path: str | Path) -> Path:
    """`<data>/tub_<N>_<YY-MM-DD>` with N one more than the highest tub number there."""
    data_path = Path(data_path)
    numbers = [int(match.group(1)) for path in data_path.glob("tub_*")
               if (match := NUMBERED_TUB.fullmatch(path.name))]
    return data_path / f"tub_{max(numbers, default=0) + 1}_{time.strftime('%y-%m-%d')}"


def recording_tub(cfg, inputs: list[str], types: list[str], path: str | Path | None = None,
                  metadata: list[str] = ()) -> Tub:
    """A tub open for writing: `path`, or DATA_PATH (a new numbered tub in it when
    AUTO_CREATE_NEW_TUB), with MAX_CATALOG_LEN, JPEG_QUALITY and METADATA (+ `metadata`)."""
    if path is None:
        data_path = cfg.path("DATA_PATH")
        path = new_tub_path(data_path) if cfg.AUTO_CREATE_NEW_TUB else data_path
    return Tub(path, inputs, types, [*cfg.METADATA, *metadata], cfg.MAX_CATALOG_LEN,
               jpeg_quality=cfg.JPEG_QUALITY)
