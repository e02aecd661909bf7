"""Donkey-compatible configuration: `load_config(car, myconfig, overrides)` -> `Config`."""

from burro.config.defaults import KEYS, KEYS_BY_NAME, Key
from burro.config.loader import Config, default_config, load_config

__all__ = ["KEYS", "KEYS_BY_NAME", "Config", "Key", "default_config", "load_config"]
