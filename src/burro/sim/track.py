"""Closed circuits: a centre line sampled every few centimetres, a width, and queries on it.

Built-in tracks are drawn "turtle style" from straights and arcs of known radius, so the
technical circuit really has the bends it claims; two chosen straights are solved so the
loop closes exactly. Random tracks are smooth star-shaped loops from a seeded generator.
All lengths are metres; a track runs counter-clockwise seen from above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from burro.errors import BurroError

SAMPLE_SPACING_M = 0.02
SEARCH_WINDOW_M = 1.0


@dataclass(frozen=True)
class Straight:
    length: float
    solve: bool = False  # length found so that the loop closes


@dataclass(frozen=True)
class Arc:
    radius: float
    degrees: float  # > 0 turns left, < 0 turns right


@dataclass
class Track:
    """A closed centre line with per-sample tangent, left normal, curvature and arc length."""

    name: str
    points: np.ndarray  # (N, 2) x, y
    width: float  # edge line to edge line
    two_lane: bool = False
    tangents: np.ndarray = field(init=False)
    normals: np.ndarray = field(init=False)  # unit vectors to the left of the direction of travel
    curvature: np.ndarray = field(init=False)  # 1/m, > 0 bends left
    arc_length: np.ndarray = field(init=False)
    length: float = field(init=False)

    def __post_init__(self) -> None:
        segments = np.roll(self.points, -1, axis=0) - self.points
        seg_len = np.linalg.norm(segments, axis=1)
        self.length = float(seg_len.sum())
        self.arc_length = np.concatenate([[0.0], np.cumsum(seg_len)[:-1]])
        central = np.roll(self.points, -1, axis=0) - np.roll(self.points, 1, axis=0)
        self.tangents = central / np.linalg.norm(central, axis=1, keepdims=True)
        self.normals = np.stack([-self.tangents[:, 1], self.tangents[:, 0]], axis=1)
        headings = np.unwrap(np.arctan2(self.tangents[:, 1], self.tangents[:, 0]))
        turn = np.gradient(headings)
        self.curvature = turn / np.maximum(seg_len, 1e-9)

    @property
    def half_width(self) -> float:
        return self.width / 2

    def lane_offset(self, lane: str | None) -> float:
        """Lateral offset (left positive) of a lane's centre: left/right lanes on two-lane roads."""
        if lane in (None, "centre", "center"):
            return 0.0
        if not self.two_lane:
            raise BurroError(f"track {self.name!r} has one lane", f"lane {lane!r}",
                             "use --lane only on the two_lane track")
        return {"left": 1, "right": -1}[lane] * self.width / 4

    def nearest_index(self, xy: np.ndarray, hint: int | None = None) -> int:
        """Index of the nearest centre-line sample; a hint keeps the search local (crossings)."""
        if hint is None:
            candidates = np.arange(len(self.points))
        else:
            half = int(SEARCH_WINDOW_M / SAMPLE_SPACING_M)
            candidates = np.arange(hint - half, hint + half + 1) % len(self.points)
        offsets = self.points[candidates] - xy
        return int(candidates[np.argmin(np.einsum("ij,ij->i", offsets, offsets))])

    def locate(self, xy: np.ndarray, hint: int | None = None) -> tuple[int, float, float]:
        """(nearest index, arc length s along the centre line, signed cross-track error, left > 0)."""
        i = self.nearest_index(xy, hint)
        delta = xy - self.points[i]
        s = (self.arc_length[i] + float(delta @ self.tangents[i])) % self.length
        return i, s, float(delta @ self.normals[i])

    def pose_at(self, s: float, offset: float = 0.0) -> tuple[float, float, float]:
        """(x, y, heading) at arc length s, shifted `offset` metres to the left."""
        i = int(np.searchsorted(self.arc_length, s % self.length, side="right") - 1)
        x, y = self.points[i] + offset * self.normals[i]
        return float(x), float(y), float(np.arctan2(self.tangents[i, 1], self.tangents[i, 0]))

    def index_ahead(self, i: int, distance: float) -> int:
        return (i + round(distance / SAMPLE_SPACING_M)) % len(self.points)

    def bounds(self, margin: float) -> tuple[float, float, float, float]:
        low = self.points.min(axis=0) - margin
        high = self.points.max(axis=0) + margin
        return float(low[0]), float(low[1]), float(high[0]), float(high[1])


# ----------------------------------------------------------------------------- building


def _trace(pieces: list[Straight | Arc], lengths: dict[int, float]) -> tuple[np.ndarray, float]:
    """Sample the pieces from (0, 0) heading east; returns points and the final heading."""
    points, xy, heading = [], np.zeros(2), 0.0
    for index, piece in enumerate(pieces):
        if isinstance(piece, Straight):
            length = lengths.get(index, piece.length)
            n = max(round(length / SAMPLE_SPACING_M), 1) if length > 0 else 0
            direction = np.array([np.cos(heading), np.sin(heading)])
            for k in range(n):
                points.append(xy + direction * length * k / n)
            xy = xy + direction * length
        else:
            sweep = np.radians(piece.degrees)
            n = max(round(abs(sweep) * piece.radius / SAMPLE_SPACING_M), 1)
            side = np.sign(sweep)
            centre = xy + side * piece.radius * np.array([-np.sin(heading), np.cos(heading)])
            start = heading - side * np.pi / 2
            for k in range(n):
                angle = start + sweep * k / n
                points.append(centre + piece.radius * np.array([np.cos(angle), np.sin(angle)]))
            heading += sweep
            angle = start + sweep
            xy = centre + piece.radius * np.array([np.cos(angle), np.sin(angle)])
    return np.array(points + [xy]), heading


def closed_loop(pieces: list[Straight | Arc]) -> np.ndarray:
    """Points of a loop whose two `solve=True` straights are sized so it closes exactly."""
    free = [i for i, piece in enumerate(pieces) if isinstance(piece, Straight) and piece.solve]
    if not free:
        points, _ = _trace(pieces, {})
        if np.linalg.norm(points[-1]) > 1e-6:
            raise ValueError("track does not close")
        return points[:-1]
    if len(free) != 2:
        raise ValueError("a track needs none or exactly two straights with solve=True")
    zero = {i: 0.0 for i in free}
    base = _trace(pieces, zero)[0][-1]
    columns = [_trace(pieces, {**zero, i: 1.0})[0][-1] - base for i in free]
    lengths = np.linalg.solve(np.stack(columns, axis=1), -base)
    if np.any(lengths < 0):
        raise ValueError(f"track does not close with positive straights: {lengths}")
    points, heading = _trace(pieces, dict(zip(free, lengths)))
    if abs(heading - 2 * np.pi) > 1e-6:
        raise ValueError("track pieces must turn by +360 degrees in total")
    return points[:-1]  # the last point repeats the first


def _resample(points: np.ndarray) -> np.ndarray:
    loop = np.vstack([points, points[:1]])
    seg = np.linalg.norm(np.diff(loop, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = round(s[-1] / SAMPLE_SPACING_M)
    target = np.linspace(0.0, s[-1], n, endpoint=False)
    return np.stack([np.interp(target, s, loop[:, 0]), np.interp(target, s, loop[:, 1])], axis=1)


def oval() -> Track:
    pieces = [Straight(4.0), Arc(1.5, 180), Straight(4.0), Arc(1.5, 180)]
    return Track("oval", _resample(closed_loop(pieces)), width=1.0)


def technical() -> Track:
    """Left and right bends of radius 0.9-2.5 m, an S-bend and a 0.8 m hairpin."""
    pieces = [
        Straight(2.0),
        Arc(1.2, 90),
        Straight(1.0),
        Arc(2.0, 45),
        Arc(1.2, -45),  # S-bend: right after left
        Straight(0.5),
        Arc(0.8, 180),  # hairpin
        Straight(1.0),
        Arc(1.0, -90),  # right-hander
        Arc(1.5, 90),
        Straight(0, solve=True),
        Arc(1.0, 90),
        Straight(0, solve=True),
    ]
    return Track("technical", _resample(closed_loop(pieces)), width=1.0)


def two_lane() -> Track:
    """A road with two 0.7 m lanes, a dashed line between them, bends both ways."""
    pieces = [
        Straight(4.0),
        Arc(2.0, 120),
        Straight(1.5),
        Arc(1.8, -60),
        Arc(2.0, 150),
        Straight(0, solve=True),
        Arc(2.2, 150),
        Straight(0, solve=True),
    ]
    return Track("two_lane", _resample(closed_loop(pieces)), width=1.4, two_lane=True)


def random_track(seed: int) -> Track:
    """A smooth star-shaped loop; retried until bends are >= 0.9 m and no parts overlap."""
    rng = np.random.default_rng(seed)
    theta = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    for _ in range(500):
        base = rng.uniform(3.0, 4.5)
        radius = np.full_like(theta, base)
        for k in range(2, 6):
            radius += base * rng.uniform(0, 0.25 / k) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
        points = _resample(np.stack([radius * np.cos(theta), radius * 0.7 * np.sin(theta)], axis=1))
        track = Track(f"random:{seed}", points, width=1.0)
        if _drivable(track, min_radius=0.9):
            return track
    raise BurroError("could not generate a drivable random track", f"seed {seed}",
                     "try another --seed")


def _drivable(track: Track, min_radius: float) -> bool:
    if np.max(np.abs(track.curvature)) > 1 / min_radius:
        return False
    sparse = track.points[:: 10]
    spacing = SAMPLE_SPACING_M * 10
    gaps = np.linalg.norm(sparse[:, None] - sparse[None], axis=2)
    steps = np.abs(np.arange(len(sparse))[:, None] - np.arange(len(sparse))[None])
    steps = np.minimum(steps, len(sparse) - steps) * spacing
    far_apart_on_track = steps > 3 * track.width
    return bool(np.all(gaps[far_apart_on_track] > 2 * track.width))


BUILT_IN = {"oval": oval, "technical": technical, "two_lane": two_lane}


def track_names() -> list[str]:
    return [*BUILT_IN, "random:SEED"]


def load_track(name: str) -> Track:
    """A built-in track by name, or `random:SEED` for a generated one."""
    if name in BUILT_IN:
        return BUILT_IN[name]()
    if name.startswith("random:"):
        try:
            seed = int(name.split(":", 1)[1])
        except ValueError:
            raise BurroError("random track seed must be an integer", name,
                             "use e.g. --track random:7") from None
        return random_track(seed)
    raise BurroError(f"unknown track {name!r}", "--track / SIM_TRACK",
                     f"use one of: {', '.join(track_names())}")
