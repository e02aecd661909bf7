"""`DonkeyEnv`: the simulator as a gymnasium environment, for reinforcement learning.

Action: (steering, throttle) in [-1, 1] (Donkey's signs: steering > 0 turns right).
Observation: the 120x160x3 uint8 camera frame. Reward like gym-donkeycar: -1 when the car
leaves the track (the episode ends), else (1 - |cte| / max_cte) * speed along the track.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np

from burro.sim.simulator import SimSettings, Simulator, Telemetry

ENV_ID = "burro/Donkey-v0"


class DonkeyEnv(gym.Env):
    metadata: ClassVar[dict] = {"render_modes": ["rgb_array"], "render_fps": 20}

    def __init__(self, track: str = "technical", hz: int = 20, latency_ms: float = 0.0,
                 randomise: bool = False, max_cte: float | None = None,
                 random_start: bool = False, render_mode: str | None = None):
        self.sim = Simulator(SimSettings(track=track, hz=hz, latency_ms=latency_ms,
                                         randomise=randomise))
        self.max_cte = max_cte or self.sim.track.half_width
        self.random_start = random_start
        self.render_mode = render_mode
        self.metadata = {**self.metadata, "render_fps": hz}
        camera = self.sim.settings.camera
        self.observation_space = gym.spaces.Box(0, 255, (camera.height, camera.width, 3), np.uint8)
        self.action_space = gym.spaces.Box(-1.0, 1.0, (2,), np.float32)
        self._last: Telemetry | None = None

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        start = 0.0
        if self.random_start:
            start = float(self.np_random.uniform(0, self.sim.track.length))
        self._last = self.sim.reset(s=start, seed=seed)
        if seed is not None:
            self.sim.camera.reseed(seed)
        return self._last.image, info(self._last)

    def step(self, action):
        steering, throttle = (float(v) for v in np.clip(action, -1.0, 1.0))
        self._last = telemetry = self.sim.step(steering, throttle)
        terminated = telemetry.off_track or abs(telemetry.cte) > self.max_cte
        reward = -1.0 if terminated else (1 - abs(telemetry.cte) / self.max_cte) * forward_speed(
            telemetry, self.sim)
        return telemetry.image, float(reward), bool(terminated), False, info(telemetry)

    def render(self):
        return None if self._last is None else self._last.image


def forward_speed(telemetry: Telemetry, sim: Simulator) -> float:
    """Speed along the track's direction (negative when driving the wrong way)."""
    tangent = sim.track.tangents[telemetry.index]
    return telemetry.speed * (math.cos(telemetry.heading) * tangent[0]
                              + math.sin(telemetry.heading) * tangent[1])


def info(telemetry: Telemetry) -> dict[str, Any]:
    return {
        "pos": (telemetry.x, telemetry.y), "heading": telemetry.heading,
        "speed": telemetry.speed, "cte": telemetry.cte, "progress": telemetry.progress,
        "lap_count": telemetry.lap_count, "lap_times": telemetry.lap_times,
        "last_lap_time": telemetry.lap_times[-1] if telemetry.lap_times else 0.0,
        "off_track": telemetry.off_track, "time": telemetry.time,
    }


gym.register(ENV_ID, entry_point=DonkeyEnv, max_episode_steps=4000)
