"""RESIZE: bilinear resize to RESIZE_HEIGHT x RESIZE_WIDTH (matches OpenCV's INTER_LINEAR)."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.models.transformations import TRANSFORMATIONS, Transformation


@TRANSFORMATIONS.register("RESIZE")
class Resize(Transformation):
    keys = (
        Key("RESIZE_WIDTH", t.POSITIVE_INT, 160, "RESIZE: output width."),
        Key("RESIZE_HEIGHT", t.POSITIVE_INT, 120, "RESIZE: output height."),
    )

    def layer(self, spec, layer_name):
        import keras

        return keras.layers.Resizing(spec["RESIZE_HEIGHT"], spec["RESIZE_WIDTH"],
                                     interpolation="bilinear", name=layer_name)

    def frame(self, spec, image):
        import cv2

        return cv2.resize(image, (spec["RESIZE_WIDTH"], spec["RESIZE_HEIGHT"]))
