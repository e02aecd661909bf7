"""GRAY: RGB -> one luma channel. Donkey's OpenCV names are accepted too (burro frames are RGB)."""

from burro.models.transformations import TRANSFORMATIONS, Transformation


@TRANSFORMATIONS.register("GRAY", aliases=("RGB2GRAY", "GREY", "RGB2GREY"))
class Gray(Transformation):
    def layer(self, spec, layer_name):
        from burro.models.transforms import Grayscale

        return Grayscale(name=layer_name)
