"""Transformations: the car config's TRANSFORMATIONS and POST_TRANSFORMATIONS applied to the
camera frame before a pilot trained by Donkey, as Donkey's drive loop does.

A burro pilot carries its transformations inside the model (they are in its `.json`), so it
takes the raw frame and must not get this part; `Transformations.for_pilot` gives None then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from burro.parts import PARTS

if TYPE_CHECKING:
    import numpy as np

INPUT_KEY = "cam/image_array"
OUTPUT_KEY = "cam/image_array_trans"  # Donkey's key; the pilot then reads this one


@PARTS.register("Transformations")
class Transformations:
    """Input `cam/image_array`; output `cam/image_array_trans`.

    Applies the specs (`{"name": "CROP", "ROI_CROP_TOP": 45, ...}`, TRANSFORMATIONS then
    POST_TRANSFORMATIONS, as `burro.models.transform_spec.transformation_specs` reads them)
    in order to each uint8 frame: CROP and TRAPEZE zero pixels (the frame keeps its size),
    RESIZE resizes (OpenCV bilinear), GRAY gives an (H, W) frame. None in, None out.
    Unknown names are a one-line error when the part is made, not on the first frame.
    """

    def __init__(self, specs: list[dict[str, Any]]):
        from burro.models.transformations import TRANSFORMATIONS

        self.specs = [dict(spec) for spec in specs]
        self._steps = [(TRANSFORMATIONS.get(spec["name"], where="TRANSFORMATIONS"), spec)
                       for spec in self.specs]

    @classmethod
    def from_config(cls, cfg: Any) -> Transformations:
        from burro.models.transform_spec import transformation_specs

        return cls(transformation_specs(cfg))

    @classmethod
    def for_pilot(cls, cfg: Any, pilot: Any) -> Transformations | None:
        """The part to put before `pilot` (a PilotPart or a Pilot): None for a burro pilot
        (its model applies them) or when the config lists no transformations."""
        inner = getattr(pilot, "pilot", pilot)
        if not getattr(inner, "donkey", False):
            return None
        part = cls.from_config(cfg)
        return part if part.specs else None

    def names(self) -> list[str]:
        return [spec["name"] for spec in self.specs]

    def run(self, image: np.ndarray | None) -> np.ndarray | None:
        if image is None:
            return None
        for entry, spec in self._steps:
            image = entry.frame(spec, image)
        return image
