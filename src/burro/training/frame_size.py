"""The frame-size rule: which image size a pilot trains at, decided from the tub's frames.

1. Every usable frame must have one size; mixed sizes are refused (resizing some of them
   silently would train the network on distorted frames).
2. The model input is that size. When the config does not set IMAGE_W/IMAGE_H (both at
   their defaults), training uses the tub's size; when it sets them, they must match it.
3. A network that should see another size gets it only through the RESIZE transformation,
   a layer of the model, so every exported pilot resizes its camera frames the same way.

Sizes come from the image headers (PIL reads only the header), before TensorFlow loads.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from burro.errors import BurroError

SIZE_KEYS = ("IMAGE_W", "IMAGE_H")
MAX_RANGES_SHOWN = 3


@dataclass(frozen=True)
class FrameSize:
    width: int
    height: int
    line: str  # the rule's outcome, for the log and the model metadata


def settle_frame_size(cfg: Any, records: Any) -> tuple[Any, FrameSize]:
    """(config to build the model with, outcome); raises BurroError on mixed or mismatched sizes."""
    sizes = frame_sizes(records.image_paths)
    counts = Counter(size for size in sizes if size is not None)
    if not counts:  # no readable header: decoding will report the files
        return cfg, FrameSize(cfg.IMAGE_W, cfg.IMAGE_H, "frames: no readable image header")
    if len(counts) > 1:
        raise _mixed_sizes(counts, sizes, records)
    (width, height), = counts
    set_by = _sources_setting_the_size(cfg)
    if set_by and (width, height) != (cfg.IMAGE_W, cfg.IMAGE_H):
        raise BurroError(
            f"the frames are {width}x{height} but IMAGE_W x IMAGE_H is "
            f"{cfg.IMAGE_W}x{cfg.IMAGE_H}", ", ".join(set_by),
            f"remove IMAGE_W/IMAGE_H to train at the tub's {width}x{height}; for a network "
            "input of another size add 'RESIZE' to TRANSFORMATIONS (RESIZE_WIDTH/RESIZE_HEIGHT)")
    if set_by:
        line = f"frames {width}x{height}, as IMAGE_W x IMAGE_H ({', '.join(set_by)})"
    elif (width, height) == (cfg.IMAGE_W, cfg.IMAGE_H):
        line = f"frames {width}x{height}, the default IMAGE_W x IMAGE_H"
    else:
        line = (f"frames {width}x{height}: training at the tub's frame size "
                f"(IMAGE_W/IMAGE_H are not set; the default is {cfg.IMAGE_W}x{cfg.IMAGE_H})")
        cfg = _with_size(cfg, width, height)
    return cfg, FrameSize(width, height, line + _resize_note(cfg))


def frame_sizes(paths: list[str]) -> list[tuple[int, int] | None]:
    """(width, height) of each image file from its header; None when it cannot be read."""
    from burro.tub.images import image_size

    return [image_size(path) for path in paths]


def _sources_setting_the_size(cfg: Any) -> list[str]:
    source = getattr(cfg, "source", None)
    if source is None:  # a plain object: whatever it holds was set on purpose
        return ["the config"]
    sources = []
    for key in SIZE_KEYS:
        try:
            where = source(key)
        except KeyError:
            continue
        if where != "default":
            sources.append(f"{key} in {where}")
    return sources


def _with_size(cfg: Any, width: int, height: int) -> Any:
    """A copy of `cfg` with the model input size of the frames (the caller's config is kept)."""
    sized = copy.deepcopy(cfg)
    for key, value in zip(SIZE_KEYS, (width, height)):
        if hasattr(sized, "set"):
            sized.set(key, value, "tub frames")
        else:
            setattr(sized, key, value)
    return sized


def _resize_note(cfg: Any) -> str:
    names = [str(name).upper() for key in ("TRANSFORMATIONS", "POST_TRANSFORMATIONS")
             for name in (getattr(cfg, key, None) or [])]
    if "RESIZE" not in names:
        return ""
    return (f"; the model resizes them to {cfg.RESIZE_WIDTH}x{cfg.RESIZE_HEIGHT} "
            "(RESIZE transformation)")


def _mixed_sizes(counts: Counter, sizes: list[tuple[int, int] | None], records: Any
                 ) -> BurroError:
    (main, main_count), *others = counts.most_common()
    parts = [f"{main[0]}x{main[1]} ({main_count} records)"]
    for size, count in others:
        rows = np.flatnonzero([found == size for found in sizes])
        parts.append(f"{size[0]}x{size[1]} ({count} records: "
                     f"{records.places(rows, MAX_RANGES_SHOWN)})")
    return BurroError(
        f"the frames have {len(counts)} sizes: {', '.join(parts)}",
        "--tub", "train on frames of one size: leave out the tubs of the other size, or "
        "soft-delete those records with `burro tub rm`")
