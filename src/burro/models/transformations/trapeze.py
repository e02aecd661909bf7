"""TRAPEZE: zero everything outside the configured trapezoid (Donkey's ImgTrapezoidalMask)."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.models.transformations import TRANSFORMATIONS, Transformation


@TRANSFORMATIONS.register("TRAPEZE")
class Trapeze(Transformation):
    keys = (
        Key("ROI_TRAPEZE_LL", t.NON_NEGATIVE_INT, 0, "TRAPEZE: lower-left x of the kept trapezoid."),
        Key("ROI_TRAPEZE_LR", t.NON_NEGATIVE_INT, 160, "TRAPEZE: lower-right x."),
        Key("ROI_TRAPEZE_UL", t.NON_NEGATIVE_INT, 20, "TRAPEZE: upper-left x."),
        Key("ROI_TRAPEZE_UR", t.NON_NEGATIVE_INT, 140, "TRAPEZE: upper-right x."),
        Key("ROI_TRAPEZE_MIN_Y", t.NON_NEGATIVE_INT, 60, "TRAPEZE: top row of the trapezoid."),
        Key("ROI_TRAPEZE_MAX_Y", t.NON_NEGATIVE_INT, 120, "TRAPEZE: bottom row of the trapezoid."),
    )

    def layer(self, spec, layer_name):
        from burro.models.transforms import TrapezeMask

        return TrapezeMask(spec["ROI_TRAPEZE_LL"], spec["ROI_TRAPEZE_LR"], spec["ROI_TRAPEZE_UL"],
                           spec["ROI_TRAPEZE_UR"], spec["ROI_TRAPEZE_MIN_Y"],
                           spec["ROI_TRAPEZE_MAX_Y"], name=layer_name)

    def frame(self, spec, image):
        from burro.models.masks import trapeze_mask
        from burro.models.transformations.crop import apply_mask

        mask = trapeze_mask(image.shape[0], image.shape[1], spec["ROI_TRAPEZE_LL"],
                            spec["ROI_TRAPEZE_LR"], spec["ROI_TRAPEZE_UL"], spec["ROI_TRAPEZE_UR"],
                            spec["ROI_TRAPEZE_MIN_Y"], spec["ROI_TRAPEZE_MAX_Y"])
        return apply_mask(image, mask)
