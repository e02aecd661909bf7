"""CROP: zero the configured border rows and columns; the image keeps its size (as Donkey)."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.models.transformations import TRANSFORMATIONS, Transformation


@TRANSFORMATIONS.register("CROP")
class Crop(Transformation):
    keys = (
        Key("ROI_CROP_TOP", t.NON_NEGATIVE_INT, 45, "CROP: rows zeroed at the top."),
        Key("ROI_CROP_BOTTOM", t.NON_NEGATIVE_INT, 0, "CROP: rows zeroed at the bottom."),
        Key("ROI_CROP_LEFT", t.NON_NEGATIVE_INT, 0, "CROP: columns zeroed at the left."),
        Key("ROI_CROP_RIGHT", t.NON_NEGATIVE_INT, 0, "CROP: columns zeroed at the right."),
    )

    def layer(self, spec, layer_name):
        from burro.models.transforms import CropMask

        return CropMask(spec["ROI_CROP_TOP"], spec["ROI_CROP_BOTTOM"], spec["ROI_CROP_LEFT"],
                        spec["ROI_CROP_RIGHT"], name=layer_name)

    def frame(self, spec, image):
        from burro.models.masks import crop_mask

        mask = crop_mask(image.shape[0], image.shape[1], spec["ROI_CROP_TOP"],
                         spec["ROI_CROP_BOTTOM"], spec["ROI_CROP_LEFT"], spec["ROI_CROP_RIGHT"])
        return apply_mask(image, mask)


def apply_mask(image, mask):
    """uint8 frame times a 0/1 (H, W) mask, any depth; the frame keeps its dtype."""
    import numpy as np

    mask = mask.astype(bool)
    return np.multiply(image, mask[..., None] if image.ndim == 3 else mask, dtype=image.dtype)
