"""Image transformations built into the model, one module each (CROP, TRAPEZE, ...).

An entry declares the config keys it reads and builds its Keras layer from a spec (the
transformation's name plus those keys' values, as stored in the model metadata), and applies
the same to a camera frame (`frame`, numpy/OpenCV) for pilots trained by Donkey. Entry
modules import Keras only inside `layer`, so listing them and their keys needs no Keras.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from burro.registry import Registry

if TYPE_CHECKING:
    from burro.config.defaults import Key


class Transformation(ABC):
    keys: tuple[Key, ...] = ()  # config keys it reads, collected into the key table

    @abstractmethod
    def layer(self, spec: dict[str, Any], layer_name: str) -> Any:
        """The Keras layer applying this transformation with the settings in `spec`."""

    @abstractmethod
    def frame(self, spec: dict[str, Any], image: Any) -> Any:
        """The same on one uint8 camera frame (H, W, D), as Donkey's OpenCV part does it: for
        the Transformations part in front of a Donkey-trained pilot."""


TRANSFORMATIONS: Registry[Transformation] = Registry(
    "transformation", "burro.models.transformations", where="TRANSFORMATIONS",
    fold=str.upper, instances=True)
