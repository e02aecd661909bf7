"""Which image transformations a config asks for, with their settings (no Keras needed).

The model metadata stores these specs so a pilot file documents exactly what it applies.
"""

from __future__ import annotations

from typing import Any

from burro.errors import BurroError

TRANSFORMATION_KEYS: dict[str, list[str]] = {
    "CROP": ["ROI_CROP_TOP", "ROI_CROP_BOTTOM", "ROI_CROP_LEFT", "ROI_CROP_RIGHT"],
    "TRAPEZE": ["ROI_TRAPEZE_LL", "ROI_TRAPEZE_LR", "ROI_TRAPEZE_UL", "ROI_TRAPEZE_UR",
                "ROI_TRAPEZE_MIN_Y", "ROI_TRAPEZE_MAX_Y"],
    "RESIZE": ["RESIZE_WIDTH", "RESIZE_HEIGHT"],
    "GRAY": [],
}
# Donkey's OpenCV names for the same operation (burro images are always RGB).
ALIASES = {"RGB2GRAY": "GRAY", "GREY": "GRAY", "RGB2GREY": "GRAY"}
LIST_KEYS = ("TRANSFORMATIONS", "POST_TRANSFORMATIONS")


def transformation_specs(cfg: Any) -> list[dict[str, Any]]:
    """[{"name": "CROP", "ROI_CROP_TOP": 45, ...}, ...] in the order they are applied."""
    from burro.models.base import config_value

    specs = []
    for list_key in LIST_KEYS:
        for raw in config_value(cfg, list_key) or []:
            name = ALIASES.get(str(raw).upper(), str(raw).upper())
            if name not in TRANSFORMATION_KEYS:
                raise BurroError(
                    f"unknown transformation {raw!r}", list_key,
                    f"use {', '.join(TRANSFORMATION_KEYS)}")
            settings = {key: config_value(cfg, key) for key in TRANSFORMATION_KEYS[name]}
            specs.append({"name": name, **settings})
    return specs
