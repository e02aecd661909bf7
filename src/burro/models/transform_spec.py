"""Which image transformations a config asks for, with their settings (no Keras needed).

The model metadata stores these specs so a pilot file documents exactly what it applies.
"""

from __future__ import annotations

from typing import Any

from burro.models.transformations import TRANSFORMATIONS

LIST_KEYS = ("TRANSFORMATIONS", "POST_TRANSFORMATIONS")


def transformation_specs(cfg: Any) -> list[dict[str, Any]]:
    """[{"name": "CROP", "ROI_CROP_TOP": 45, ...}, ...] in the order they are applied."""
    from burro.models.base import config_value

    specs = []
    for list_key in LIST_KEYS:
        for raw in config_value(cfg, list_key) or []:
            name = TRANSFORMATIONS.canonical(str(raw), where=list_key)
            settings = {key.name: config_value(cfg, key.name)
                        for key in TRANSFORMATIONS.get(name).keys}
            specs.append({"name": name, **settings})
    return specs
