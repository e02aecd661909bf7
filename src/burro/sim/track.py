"""Closed circuits: a centre line sampled every few centimetres, a width, and queries on it.

Tracks are found by name in `burro.sim.tracks`, one module each. Built-in tracks are drawn
"turtle style" from straights and arcs of known radius, so the technical circuit really
has the bends it claims; two chosen straights are solved so the loop closes exactly.
All lengths are metres; a track runs counter-clockwise seen from above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from burro.errors import BurroError
from burro.sim.tracks import TRACKS

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
                             "use --lane only on a two-lane track: two_lane or two_lane_hook")
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


def resample(points: np.ndarray) -> np.ndarray:
    """The closed line through `points`, sampled every SAMPLE_SPACING_M along its length."""
    loop = np.vstack([points, points[:1]])
    seg = np.linalg.norm(np.diff(loop, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = round(s[-1] / SAMPLE_SPACING_M)
    target = np.linspace(0.0, s[-1], n, endpoint=False)
    return np.stack([np.interp(target, s, loop[:, 0]), np.interp(target, s, loop[:, 1])], axis=1)


def from_pieces(name: str, pieces: list[Straight | Arc], width: float,
                two_lane: bool = False) -> Track:
    """A track drawn from straights and arcs (see `closed_loop`), evenly resampled."""
    return Track(name, resample(closed_loop(pieces)), width=width, two_lane=two_lane)


# ----------------------------------------------------------------------------- by name


def track_names() -> list[str]:
    return TRACKS.names()


def load_track(name: str) -> Track:
    """A track by its registered name (`burro.sim.tracks`), e.g. `oval` or `random:SEED`."""
    factory = TRACKS.get(name)
    _, colon, parameter = name.partition(":")
    return factory(parameter) if colon else factory()
