"""Simulator tracks, one module each; `burro.sim.track.load_track(name)` builds one.

An entry is a function returning a `burro.sim.track.Track`, registered by name; a name
ending in `:SEED` (or another `:PARAM`) takes the text after the colon. Entry modules
import the track geometry (NumPy) inside the function, so listing tracks for help texts
costs nothing.
"""

from burro.registry import Registry

TRACKS = Registry("track", "burro.sim.tracks", where="--track / SIM_TRACK")
