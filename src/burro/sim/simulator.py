"""One simulated car on one track: physics, camera, control latency, laps and off-track.

`Simulator.step(angle, throttle)` advances one drive-loop tick (1/DRIVE_LOOP_HZ) and returns
the camera frame with every signal a driver, recorder or evaluator needs.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from burro.errors import BurroError
from burro.sim.car import Car, CarSpec, CarState
from burro.sim.render import Appearance, Camera, CameraSpec
from burro.sim.track import Track, load_track


@dataclass
class Telemetry:
    """Everything known about the car after a step (lengths in m, speeds in m/s)."""

    image: np.ndarray
    x: float
    y: float
    heading: float
    speed: float
    cte: float  # signed distance from the centre line, left > 0
    s: float  # arc length along the centre line
    progress: float  # laps driven, fractional, since the start
    lap_count: int
    lap_times: list[float]
    off_track: bool  # the car's centre is outside the edge lines
    time: float
    index: int = field(repr=False, default=0)  # nearest centre-line sample


@dataclass
class SimSettings:
    track: str = "technical"
    hz: int = 20
    latency_ms: float = 0.0
    seed: int = 0
    randomise: bool = False  # domain randomisation of the look
    camera: CameraSpec = field(default_factory=CameraSpec)
    car: CarSpec = field(default_factory=CarSpec)

    @classmethod
    def from_config(cls, cfg, **overrides) -> SimSettings:
        camera = CameraSpec(width=cfg.IMAGE_W, height=cfg.IMAGE_H, fov_deg=cfg.SIM_CAMERA_FOV,
                            mount_height_m=cfg.SIM_CAMERA_HEIGHT, pitch_deg=cfg.SIM_CAMERA_PITCH)
        values = {"track": cfg.SIM_TRACK, "hz": cfg.DRIVE_LOOP_HZ,
                      "latency_ms": cfg.SIM_ARTIFICIAL_LATENCY, "seed": cfg.SIM_SEED,
                      "randomise": cfg.SIM_DOMAIN_RANDOMISATION, "camera": camera}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class Simulator:
    def __init__(self, settings: SimSettings | None = None, track: Track | None = None):
        settings = settings or SimSettings()
        if settings.camera.width < 8 or settings.camera.height < 8:
            raise BurroError("camera image too small for the simulator",
                             "IMAGE_W / IMAGE_H", "use at least 8x8 pixels")
        self.settings = settings
        self.track = track or load_track(settings.track)
        self.dt = 1.0 / settings.hz
        self.latency_steps = round(settings.latency_ms / 1000 * settings.hz)
        self.camera = self._make_camera(settings.seed)
        self.car = Car(settings.car)
        self.reset()

    def _make_camera(self, seed: int) -> Camera:
        rng = np.random.default_rng(seed)
        look = Appearance.randomised(rng) if self.settings.randomise else Appearance()
        return Camera(self.track, self.settings.camera, look, seed=seed)

    def reset(self, s: float = 0.0, offset: float = 0.0, speed: float = 0.0,
              seed: int | None = None) -> Telemetry:
        """Start over: the car at arc length s, `offset` m left of the centre line."""
        if seed is not None and self.settings.randomise:
            self.camera = self._make_camera(seed)
        self.time = 0.0
        self._travelled = 0.0
        self._laps = 0
        self._lap_start = 0.0
        self.lap_times: list[float] = []
        self._pending = deque([(0.0, 0.0)] * self.latency_steps)
        return self.place(s, offset, speed)

    def place(self, s: float, offset: float = 0.0, speed: float = 0.0) -> Telemetry:
        """Put the car on the track (an intervention) without touching time or laps."""
        x, y, heading = self.track.pose_at(s, offset)
        self.car.state = CarState(x, y, heading, speed)
        self._index, self._s, self._cte = self.track.locate(np.array([x, y]))
        self._pending = deque([(0.0, 0.0)] * self.latency_steps)
        return self.telemetry()

    def step(self, angle: float, throttle: float) -> Telemetry:
        """Send a command; with latency the car executes the one sent `latency_steps` ago."""
        if not (np.isfinite(angle) and np.isfinite(throttle)):
            raise BurroError("driver sent a non-finite command", f"angle={angle}, throttle={throttle}",
                             "check the pilot's outputs")
        self._pending.append((float(angle), float(throttle)))
        self.car.step(*self._pending.popleft(), self.dt)
        self.time += self.dt
        state = self.car.state
        index, s, cte = self.track.locate(np.array([state.x, state.y]), self._index)
        delta = (s - self._s + self.track.length / 2) % self.track.length - self.track.length / 2
        self._travelled += delta
        self._index, self._s, self._cte = index, s, cte
        if self._travelled >= (self._laps + 1) * self.track.length:
            self._laps += 1
            self.lap_times.append(self.time - self._lap_start)
            self._lap_start = self.time
        return self.telemetry()

    def telemetry(self) -> Telemetry:
        state = self.car.state
        return Telemetry(
            image=self.camera.render(state.x, state.y, state.heading),
            x=state.x, y=state.y, heading=state.heading, speed=state.speed,
            cte=self._cte, s=self._s, progress=float(self._travelled / self.track.length),
            lap_count=self._laps, lap_times=list(self.lap_times),
            off_track=abs(self._cte) > self.track.half_width, time=self.time, index=self._index)
