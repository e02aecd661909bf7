"""The built-in simulator: tracks, camera, car physics, an expert driver, a gymnasium env.

`DonkeyEnv` (gymnasium) is imported lazily so `burro.sim` works without gymnasium.
"""

from burro.sim.expert import DrivingStyle, Expert
from burro.sim.simulator import SimSettings, Simulator, Telemetry
from burro.sim.track import Track, load_track, track_names

__all__ = ["DonkeyEnv", "DrivingStyle", "Expert", "SimSettings", "Simulator", "Telemetry",
           "Track", "load_track", "track_names"]


def __getattr__(name: str):
    if name == "DonkeyEnv":
        from burro.sim.env import DonkeyEnv
        return DonkeyEnv
    raise AttributeError(f"module 'burro.sim' has no attribute {name!r}")
