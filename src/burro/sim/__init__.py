"""The built-in simulator: tracks, camera, car physics, an expert driver, a gymnasium env.

Names are imported on first use, so `burro.sim.tracks` (listing tracks for help texts)
stays cheap and `DonkeyEnv` works only where gymnasium is installed.
"""

import importlib

_MODULE_OF = {
    "DrivingStyle": "burro.sim.expert", "Expert": "burro.sim.expert",
    "SimSettings": "burro.sim.simulator", "Simulator": "burro.sim.simulator",
    "Telemetry": "burro.sim.simulator",
    "Track": "burro.sim.track", "load_track": "burro.sim.track", "track_names": "burro.sim.track",
    "DonkeyEnv": "burro.sim.env",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name in _MODULE_OF:
        return getattr(importlib.import_module(_MODULE_OF[name]), name)
    raise AttributeError(f"module 'burro.sim' has no attribute {name!r}")
