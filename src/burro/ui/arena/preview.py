"""What the pilot sees: a frame after training augmentations and image transformations.

Both come from their registries (`burro.training.augmentations`, `burro.models.
transformations`) with the config keys each declares. An augmentation is applied for sure
(probability 1) with its random values drawn from `seed`, as training draws them; the
transformations then run on the frame as in front of a Donkey pilot (a burro pilot runs the
same inside its model). Augmentations need TensorFlow (imported on the first preview).
"""

from __future__ import annotations

import io
from typing import Any

from burro.errors import BurroError

MAX_SEED = 2**31 - 1


def _key_json(key: Any, cfg: Any) -> dict[str, Any]:
    from burro.models.base import config_value

    value = config_value(cfg, key.name)
    return {"name": key.name, "type": key.type.name, "default": _plain(key.default),
            "value": _plain(value), "description": key.meaning}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def options(cfg: Any) -> dict[str, Any]:
    """The registries' names with their keys (type, default, the car's value)."""
    from burro.models.transformations import TRANSFORMATIONS
    from burro.training.augmentations import AUGMENTATIONS

    return {
        "augmentations": [{"name": name, "needs_colour": AUGMENTATIONS.get(name).needs_colour,
                           "keys": [_key_json(k, cfg) for k in AUGMENTATIONS.get(name).keys]}
                          for name in AUGMENTATIONS.names()],
        "transformations": [{"name": name,
                             "keys": [_key_json(k, cfg) for k in TRANSFORMATIONS.get(name).keys]}
                            for name in TRANSFORMATIONS.names()],
        "car": {"augmentations": list(getattr(cfg, "AUGMENTATIONS", []) or []),
                "transformations": [*(getattr(cfg, "TRANSFORMATIONS", []) or []),
                                    *(getattr(cfg, "POST_TRANSFORMATIONS", []) or [])]},
    }


class Settings:
    """The car config with the values the browser set for the chosen entries' keys."""

    def __init__(self, cfg: Any, values: dict[str, Any]):
        self._cfg = cfg
        self._values = values

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__["_values"]
        if name in values:
            return values[name]
        from burro.models.base import config_value

        return config_value(self.__dict__["_cfg"], name)


class View:
    """A parsed preview request: augmentation and transformation names (registered, in the
    order given), the values of their keys, and the seed."""

    def __init__(self, spec: Any, cfg: Any):
        from burro.models.transformations import TRANSFORMATIONS
        from burro.training.augmentations import AUGMENTATIONS

        spec = spec or {}
        if not isinstance(spec, dict):
            raise BurroError("the view is a JSON object", "view",
                             'send {"augmentations": ["BRIGHTNESS"], "transformations": []}')
        self.augmentations = [AUGMENTATIONS.canonical(str(n), where="augmentations")
                              for n in _names(spec, "augmentations")]
        self.transformations = [TRANSFORMATIONS.canonical(str(n), where="transformations")
                                for n in _names(spec, "transformations")]
        entries = [AUGMENTATIONS.get(n) for n in self.augmentations] + \
            [TRANSFORMATIONS.get(n) for n in self.transformations]
        keys = {key.name: key for entry in entries for key in entry.keys}
        self.settings = Settings(cfg, _checked_values(spec.get("settings") or {}, keys))
        self.transformation_specs = [
            {"name": n, **{k.name: getattr(self.settings, k.name)
                           for k in TRANSFORMATIONS.get(n).keys}}
            for n in self.transformations]
        seed = spec.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise BurroError(f"seed {seed!r} is not a whole number from 0 to {MAX_SEED}",
                             "seed", "give e.g. 0")
        self.seed = seed
        self.depth = int(getattr(cfg, "IMAGE_DEPTH", 3) or 3)

    def augmented(self, image: Any) -> Any:
        """The uint8 frame after the augmentations (each applied, values drawn from seed)."""
        if not self.augmentations:
            return image
        import numpy as np

        from burro.training.augmentations import AUGMENTATIONS

        for name in self.augmentations:
            if AUGMENTATIONS.get(name).needs_colour and (image.ndim < 3 or image.shape[2] != 3):
                raise BurroError(f"{name} needs colour frames", "augmentations",
                                 f"drop {name} for grey frames")
        tf = _tensorflow()
        pixels = image.astype(np.float32)
        images = tf.constant(pixels[None] if image.ndim == 3 else pixels[None, ..., None])
        seeds = tf.random.split(tf.constant([self.seed, 0], tf.int64), len(self.augmentations))
        chosen = tf.ones([1, 1, 1, 1], tf.float32)
        for step, name in enumerate(self.augmentations):
            images = AUGMENTATIONS.get(name).apply(images, seeds[step], self.settings, chosen)
            images = tf.clip_by_value(images, 0.0, 255.0)
        result = np.rint(images.numpy()[0]).astype(np.uint8)
        return result if image.ndim == 3 else result[..., 0]

    def transformed(self, image: Any) -> Any:
        from burro.parts.transformations import Transformations

        return Transformations(self.transformation_specs).run(image)

    def apply(self, image: Any) -> Any:
        return self.transformed(self.augmented(image))


def _names(spec: dict[str, Any], field: str) -> list[str]:
    names = spec.get(field) or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise BurroError(f"{field} is a list of names", field, 'send e.g. ["BRIGHTNESS"]')
    return names


def _checked_values(given: Any, keys: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise BurroError("settings is a JSON object of config keys", "settings",
                         'send e.g. {"AUG_BRIGHTNESS_RANGE": 0.3}')
    values = {}
    for name, value in given.items():
        key = keys.get(name)
        if key is None:
            continue  # a key of an entry not chosen now: the page keeps all it has shown
        if not key.type.check(value):
            raise BurroError(f"{name} = {value!r} is not a {key.type.name}", name,
                             f"give a {key.type.name}, e.g. {_plain(key.default)!r}")
        values[name] = key.type.normalise(value)
    return values


def _tensorflow() -> Any:
    """TensorFlow, imported quietly (its C++ start-up lines)."""
    from burro.quiet import native_output_hidden

    with native_output_hidden():
        import tensorflow as tf
    return tf


def jpeg(image: Any, quality: int = 90) -> bytes:
    """A uint8 frame (H, W, 3) or (H, W) as JPEG bytes."""
    from PIL import Image

    output = io.BytesIO()
    Image.fromarray(image).save(output, format="JPEG", quality=quality)
    return output.getvalue()
