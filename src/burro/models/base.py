"""What every model type provides, and the registry that maps type names to them.

The types live one per module in `burro.models.types`. This module and those import Keras
(and NumPy) only inside the functions that need them: the car interprets a pilot's outputs
(`ModelType.interpret`) without TensorFlow, and the config key table, which collects the
keys the types declare, loads without either.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from burro.errors import BurroError
from burro.registry import Registry

if TYPE_CHECKING:
    import keras
    import numpy as np

    from burro.config.defaults import Key

Controls = tuple[float, float]


@dataclass(frozen=True)
class ExtraInput:
    """A model input besides the image: the model's tensor `name`, the tub/memory `key` its
    values come from (one vector of `size` floats per frame) and what its entries mean."""

    name: str
    key: str
    size: int
    labels: tuple[str, ...] = ()
    size_from: str = ""  # the config key that sets `size`, for error messages
    how_to_record: str = ""  # what a user does to get tubs carrying `key`

    def to_json(self) -> dict[str, Any]:
        info: dict[str, Any] = {"name": self.name, "key": self.key, "shape": [self.size]}
        if self.labels:
            info["labels"] = list(self.labels)
        if self.size_from:
            info["size_from"] = self.size_from
        return info

    @classmethod
    def from_json(cls, info: Mapping[str, Any]) -> ExtraInput:
        shape = info["shape"]
        size = int(shape[0]) if isinstance(shape, list | tuple) else int(shape)
        return cls(str(info["name"]), str(info["key"]), size, tuple(info.get("labels", ())),
                   str(info.get("size_from", "")))


class ModelType(ABC):
    """One family of pilot networks: how to build, feed, compile and read it.

    Subclasses set `record_keys` (tub keys the targets come from), `output_names` (in
    model output order), `keys` (the config keys only this type reads, declared here and
    collected into the key table) and implement `build`, `targets`, `losses`, `interpret`.
    """

    name: str = ""  # set by @register_model
    record_keys: tuple[str, ...] = ()
    output_names: tuple[str, ...] = ()
    keys: tuple[Key, ...] = ()

    @property
    def config_keys(self) -> tuple[str, ...]:
        """Config keys the type reads; stored in the model metadata so drive time uses the same."""
        return tuple(key.name for key in self.keys)

    @abstractmethod
    def build(self, cfg: Any) -> keras.Model:
        raise NotImplementedError

    @abstractmethod
    def targets(self, columns: Mapping[str, np.ndarray], cfg: Any = None) -> dict[str, np.ndarray]:
        """Training targets (float32, one row per record) for each output."""
        raise NotImplementedError

    @abstractmethod
    def losses(self) -> dict[str, str]:
        raise NotImplementedError

    def loss_weights(self) -> dict[str, float] | None:
        return None

    def extra_inputs(self, cfg: Any = None) -> tuple[ExtraInput, ...]:
        """The inputs after `img_in`, in model input order (none for image-only types)."""
        return ()

    def inputs(self, columns: Mapping[str, np.ndarray], cfg: Any = None) -> dict[str, np.ndarray]:
        """The extra inputs' training values (float32, one row per record) by input name."""
        import numpy as np

        found = {}
        for extra in self.extra_inputs(cfg):
            if extra.key not in columns:
                raise BurroError(f"records have no {extra.key!r} values", extra.key,
                                 "record tubs that contain it")
            values = np.asarray(columns[extra.key], dtype=np.float32)
            found[extra.name] = values.reshape(len(values), -1)
        return found

    def metrics(self) -> dict[str, list[str]] | None:
        return None

    @abstractmethod
    def interpret(self, outputs: Mapping[str, np.ndarray], cfg: Any = None) -> Controls:
        """(angle, throttle) from one frame's outputs (`cfg`: Config, dict or None)."""
        raise NotImplementedError

    def control_ranges(self, cfg: Any = None) -> dict[str, list[float]]:
        """The range each control is trained over (regression outputs can leave it)."""
        return {"angle": [-1.0, 1.0], "throttle": [-1.0, 1.0]}

    def compile(self, model: keras.Model, cfg: Any, **compile_args: Any) -> None:
        """Compile with the configured optimizer and the Donkey losses of this type."""
        model.compile(
            optimizer=make_optimizer(cfg),
            loss=self.losses(),
            loss_weights=self.loss_weights(),
            metrics=self.metrics(),
            **compile_args,
        )

    def __repr__(self) -> str:
        return f"<model type {self.name}>"


MODEL_TYPES: Registry[ModelType] = Registry(
    "model type", "burro.models.types", where="--type / DEFAULT_MODEL_TYPE", instances=True)


def register_model(name: str) -> Callable[[type[ModelType]], type[ModelType]]:
    """Class decorator: `@register_model("linear")` makes the type known by that name."""

    def add(cls: type[ModelType]) -> type[ModelType]:
        cls.name = name
        return MODEL_TYPES.register(name)(cls)

    return add


# Donkey picks the runtime by a type prefix (`tflite_linear`); burro by the file suffix.
DONKEY_RUNTIME_PREFIXES = ("tflite_", "tensorrt_")


def get_model_type(name: str, where: str | None = None) -> ModelType:
    """The type called `name` (Donkey's `tflite_`/`tensorrt_` prefixes are accepted)."""
    for prefix in DONKEY_RUNTIME_PREFIXES:
        if name.startswith(prefix) and name[len(prefix):] in MODEL_TYPES:
            name = name[len(prefix):]
    return MODEL_TYPES.get(name, where)


def model_types() -> list[str]:
    return MODEL_TYPES.names()


def config_value(cfg: Any, key: str) -> Any:
    """A config value from a Config, a plain dict (model metadata) or None (the default)."""
    if isinstance(cfg, Mapping) and key in cfg:
        return cfg[key]
    if cfg is not None and not isinstance(cfg, Mapping) and hasattr(cfg, key):
        return getattr(cfg, key)
    from burro.config.defaults import KEYS_BY_NAME

    return KEYS_BY_NAME[key].default


def input_shape(cfg: Any) -> tuple[int, int, int]:
    return (config_value(cfg, "IMAGE_H"), config_value(cfg, "IMAGE_W"),
            config_value(cfg, "IMAGE_DEPTH"))


def finite_column(columns: Mapping[str, np.ndarray], key: str) -> np.ndarray:
    """A record column as float64, refusing missing keys and NaN/inf values."""
    if key not in columns:
        raise BurroError(f"records have no {key!r} values", key, "record tubs that contain it")
    import numpy as np

    values = np.asarray(columns[key], dtype=np.float64).reshape(-1)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise BurroError(f"{bad.size} records have a non-finite {key!r} (first at row {bad[0]})",
                         key, "delete or fix those records")
    return values


def scalar(outputs: Mapping[str, np.ndarray], name: str) -> float:
    import numpy as np

    return float(np.asarray(outputs[name]).reshape(-1)[0])


def make_optimizer(cfg: Any) -> Any:
    import keras

    name = config_value(cfg, "OPTIMIZER") or "adam"
    rate = config_value(cfg, "LEARNING_RATE")
    try:
        optimizer = keras.optimizers.get(name.lower())
    except ValueError:
        raise BurroError(f"unknown optimizer {name!r}", "OPTIMIZER",
                         "use adam, rmsprop, sgd, adamw or another Keras optimizer name") from None
    optimizer.learning_rate = rate
    return optimizer
