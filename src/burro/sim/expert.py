"""The expert driver: pure pursuit with a curvature-based speed profile, driven like a person.

A person does not drive a perfect line: the hands shake a little (smoothed steering noise)
and now and then the car drifts off the line and is brought back. Those recoveries are what
a pilot trained on the recording must learn, so the expert makes them on purpose.
On a two-lane road it keeps the left or right lane, or changes lane from time to time, and
reports Donkey's behaviour state for recording.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from burro.sim.car import Car, CarSpec
from burro.sim.simulator import Telemetry
from burro.sim.track import SAMPLE_SPACING_M, Track

LANES = ("centre", "left", "right", "switch")


@dataclass(frozen=True)
class DrivingStyle:
    max_speed: float = 2.0  # m/s on straights
    lateral_accel: float = 2.0  # m/s^2 allowed in bends
    braking: float = 2.5  # m/s^2 before bends
    steer_noise: float = 0.05  # std of the smoothed steering noise (normalised angle)
    steer_noise_s: float = 0.4  # its correlation time
    drift_every_s: float = 5.0  # mean time between drifts off the line
    drift_m: tuple[float, float] = (0.10, 0.22)  # how far a drift goes
    lane_change_every_s: float = 8.0  # mean time between lane changes with lane="switch"
    lane_change_speed: float = 0.5  # m/s sideways while changing lane

    @classmethod
    def perfect(cls, **changes) -> DrivingStyle:
        return cls(steer_noise=0.0, drift_every_s=math.inf, **changes)


class Expert:
    """`act(telemetry) -> (angle, throttle)` in Donkey's conventions; with lane="switch" it
    starts in `start_lane` and changes lane every `style.lane_change_every_s` on average."""

    def __init__(self, track: Track, hz: int = 20, lane: str = "centre", seed: int = 0,
                 style: DrivingStyle | None = None, car: CarSpec | None = None,
                 behaviors: list[str] = ("Left_Lane", "Right_Lane"), start_lane: str = "left"):
        style = style or DrivingStyle()
        self.track, self.dt, self.style = track, 1.0 / hz, style
        self.lane_mode = lane
        self.behaviors = list(behaviors)
        self._car = Car(car or CarSpec())
        self._rng = np.random.default_rng(seed)
        self._speed_profile = speed_profile(track, style)
        self._noise = 0.0
        self._lane = start_lane if lane == "switch" else lane
        self._lane_offset = track.lane_offset(self._lane)
        self._next_lane_change = self._wait(style.lane_change_every_s)
        self._drift = _Drift()
        self._next_drift = self._wait(style.drift_every_s)
        self._time = 0.0

    @property
    def lane(self) -> str:
        """The lane it drives in (or changes to) now: centre, left or right."""
        return self._lane

    def command_lane(self, lane: str) -> None:
        """Change to `lane` (left or right) now, as a driver told to; with lane="switch" the
        next change of its own comes a while after this one."""
        self.track.lane_offset(lane)  # a one-line error on a one-lane track
        self._lane = lane
        self._next_lane_change = self._time + self._wait(self.style.lane_change_every_s)

    # ---- behaviour (Donkey's behavior/state, behavior/label, behavior/one_hot_state_array)
    def behavior(self) -> tuple[int, str, list[float]]:
        label = {"left": "Left_Lane", "right": "Right_Lane"}.get(self._lane, "Left_Lane")
        state = self.behaviors.index(label) if label in self.behaviors else 0
        one_hot = [0.0] * len(self.behaviors)
        one_hot[state] = 1.0
        return state, self.behaviors[state], one_hot

    def target_speed(self, index: int) -> float:
        return float(self._speed_profile[index])

    def act(self, telemetry: Telemetry) -> tuple[float, float]:
        """What the (imperfect) expert does now; `intended` holds what it meant to do."""
        self._time += self.dt
        self._update_lane()
        angle = self.steer(telemetry, self._target_offset())
        speed = self.target_speed(self.track.index_ahead(telemetry.index, 0.3))
        throttle = float(np.clip(
            self._car.steady_throttle(speed) + 0.5 * (speed - telemetry.speed), -1, 1))
        clean = float(np.clip(self.steer(telemetry, self._lane_offset), -1, 1))
        self.intended = (clean, throttle)  # back to its line: no noise, no drift
        return float(np.clip(angle + self._steer_noise(), -1, 1)), throttle

    def steer(self, telemetry: Telemetry, offset: float = 0.0) -> float:
        """Pure pursuit towards the point `lookahead` metres ahead, `offset` m left of centre."""
        spec = self._car.spec
        lookahead = float(np.clip(0.3 + 0.3 * abs(telemetry.speed), 0.4, 1.0))
        ahead = self.track.index_ahead(telemetry.index, lookahead)
        goal = self.track.points[ahead] + offset * self.track.normals[ahead]
        dx, dy = goal[0] - telemetry.x, goal[1] - telemetry.y
        cos_h, sin_h = math.cos(telemetry.heading), math.sin(telemetry.heading)
        forward, left = cos_h * dx + sin_h * dy, -sin_h * dx + cos_h * dy
        alpha = math.atan2(left, forward)
        distance = max(math.hypot(dx, dy), 1e-6)
        steer = math.atan2(2 * spec.wheelbase_m * math.sin(alpha), distance)
        return -steer / math.radians(spec.max_steer_deg)  # left turn -> negative Donkey angle

    # ---- imperfection
    def _wait(self, mean_s: float) -> float:
        return math.inf if not math.isfinite(mean_s) else self._rng.exponential(mean_s) + 1.0

    def _steer_noise(self) -> float:
        style = self.style
        if style.steer_noise <= 0:
            return 0.0
        keep = math.exp(-self.dt / style.steer_noise_s)
        self._noise = keep * self._noise + math.sqrt(1 - keep**2) * self._rng.normal(0, style.steer_noise)
        return self._noise

    def _target_offset(self) -> float:
        if self._time >= self._next_drift:
            low, high = self.style.drift_m
            room = self.track.half_width - abs(self._lane_offset) - 0.2
            size = min(self._rng.uniform(low, high), max(room, 0.0)) * self._rng.choice([-1, 1])
            self._drift = _Drift(start=self._time, size=size,
                                 hold=self._rng.uniform(0.3, 0.8))
            self._next_drift = self._time + self._wait(self.style.drift_every_s)
        return self._lane_offset + self._drift.offset(self._time)

    def _update_lane(self) -> None:
        if self.lane_mode == "switch" and self._time >= self._next_lane_change:
            self._lane = "right" if self._lane == "left" else "left"
            self._next_lane_change = self._time + self._wait(self.style.lane_change_every_s)
        goal = self.track.lane_offset(self._lane)
        step = self.style.lane_change_speed * self.dt
        self._lane_offset += float(np.clip(goal - self._lane_offset, -step, step))


@dataclass
class _Drift:
    """The target line wanders `size` m sideways, stays there a moment, then comes back."""

    start: float = -math.inf
    size: float = 0.0
    out_s: float = 0.8
    hold: float = 0.5
    back_s: float = 0.6

    def offset(self, time: float) -> float:
        t = time - self.start
        if t < 0 or t > self.out_s + self.hold + self.back_s:
            return 0.0
        if t < self.out_s:
            return self.size * _smooth(t / self.out_s)
        if t < self.out_s + self.hold:
            return self.size
        return self.size * (1 - _smooth((t - self.out_s - self.hold) / self.back_s))


def _smooth(x: float) -> float:
    return x * x * (3 - 2 * x)


def speed_profile(track: Track, style: DrivingStyle) -> np.ndarray:
    """Target speed at every centre-line sample: limited by bend curvature and by braking
    distance to the bends ahead (two backward passes round the loop)."""
    bend = np.abs(track.curvature)
    curvature = np.convolve(np.concatenate([bend[-7:], bend, bend[:7]]), np.ones(15) / 15, "valid")
    limit = np.minimum(style.max_speed, np.sqrt(style.lateral_accel / np.maximum(curvature, 1e-6)))
    speed = limit.copy()
    n = len(speed)
    for _ in range(2):
        for i in range(n - 1, -1, -1):
            following = speed[(i + 1) % n]
            speed[i] = min(speed[i], math.sqrt(following**2 + 2 * style.braking * SAMPLE_SPACING_M))
    return speed
