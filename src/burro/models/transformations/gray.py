"""GRAY: RGB -> one luma channel. Donkey's OpenCV names are accepted too (burro frames are RGB)."""

from burro.models.transformations import TRANSFORMATIONS, Transformation


@TRANSFORMATIONS.register("GRAY", aliases=("RGB2GRAY", "GREY", "RGB2GREY"))
class Gray(Transformation):
    def layer(self, spec, layer_name):
        from burro.models.transforms import Grayscale

        return Grayscale(name=layer_name)

    def frame(self, spec, image):
        """(H, W) uint8, as OpenCV's RGB2GRAY gives it (burro frames are RGB)."""
        import cv2

        if image.ndim == 2 or image.shape[2] == 1:
            return image
        return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
