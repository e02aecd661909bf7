"""`random:SEED`: a smooth star-shaped loop from a seeded generator (same seed, same track)."""

from burro.errors import BurroError
from burro.sim.tracks import TRACKS


@TRACKS.register("random:SEED")
def random_track(seed: str):
    try:
        number = int(seed)
    except ValueError:
        raise BurroError("random track seed must be an integer", f"random:{seed}",
                         "use e.g. --track random:7") from None
    return generate(number)


def generate(seed: int):
    """Retried until bends are >= 0.9 m and no parts of the loop come close to each other."""
    import numpy as np

    from burro.sim.track import Track, resample

    rng = np.random.default_rng(seed)
    theta = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    for _ in range(500):
        base = rng.uniform(3.0, 4.5)
        radius = np.full_like(theta, base)
        for k in range(2, 6):
            radius += base * rng.uniform(0, 0.25 / k) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
        points = resample(np.stack([radius * np.cos(theta), radius * 0.7 * np.sin(theta)], axis=1))
        track = Track(f"random:{seed}", points, width=1.0)
        if _drivable(track, min_radius=0.9):
            return track
    raise BurroError("could not generate a drivable random track", f"seed {seed}",
                     "try another --seed")


def _drivable(track, min_radius: float) -> bool:
    import numpy as np

    from burro.sim.track import SAMPLE_SPACING_M

    if np.max(np.abs(track.curvature)) > 1 / min_radius:
        return False
    sparse = track.points[:: 10]
    spacing = SAMPLE_SPACING_M * 10
    gaps = np.linalg.norm(sparse[:, None] - sparse[None], axis=2)
    steps = np.abs(np.arange(len(sparse))[:, None] - np.arange(len(sparse))[None])
    steps = np.minimum(steps, len(sparse) - steps) * spacing
    far_apart_on_track = steps > 3 * track.width
    return bool(np.all(gaps[far_apart_on_track] > 2 * track.width))
