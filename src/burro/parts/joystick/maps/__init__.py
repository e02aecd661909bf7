"""Controller maps by CONTROLLER_TYPE, one module each: Donkey Car's types (ps3, ps3sixad,
ps4, xbox, xboxswapped, nimbus, wiiu, F710, rc3), burro's ps5 (DualSense) and `custom` (the
file `burro createjs` writes). An entry is a function `(cfg) -> ControllerMap`."""

from __future__ import annotations

from typing import Any

from burro.errors import BurroError
from burro.registry import Registry

CONTROLLER_MAPS = Registry("controller type", "burro.parts.joystick.maps",
                           where="CONTROLLER_TYPE", fold=str.lower)

NOT_IN_BURRO = {
    "pigpio_rc": "an RC receiver on GPIO through pigpio (pigpio does not run on a Pi 5)",
    "mm1": "the Robo HAT MM1 board",
    "mock": "Donkey's mock controller (it fails to import in Donkey too)",
    "pygame": "pads read through pygame",
}
"""Donkey's other CONTROLLER_TYPE values, which burro does not have."""


def controller_map(controller_type: str, cfg: Any = None):
    """The ControllerMap for CONTROLLER_TYPE (one-line BurroError when there is none)."""
    folded = str(controller_type).lower()
    if folded in NOT_IN_BURRO:
        raise BurroError(f"CONTROLLER_TYPE {controller_type!r} ({NOT_IN_BURRO[folded]}) is not "
                         "in burro", "CONTROLLER_TYPE",
                         f"use one of: {', '.join(CONTROLLER_MAPS.names())}")
    return CONTROLLER_MAPS.get(controller_type)(cfg)
