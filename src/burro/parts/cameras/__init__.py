"""Cameras by `CAMERA_TYPE` (Donkey's names), one module each.

An entry is a part class registered under its `CAMERA_TYPE` name(s); it is built with the car
config, `Camera(cfg)`, and outputs `cam/image_array` (HxWx3 uint8 RGB, or HxW for
IMAGE_DEPTH 1). A missing or busy device is a one-line BurroError naming CAMERA_TYPE.
"""

from burro.registry import Registry

CAMERAS = Registry("camera", "burro.parts.cameras", where="CAMERA_TYPE", fold=str.upper)
