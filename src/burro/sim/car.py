"""Car physics: a kinematic bicycle with a lagging, drag-limited motor.

Steering and throttle use Donkey's conventions: angle and throttle in [-1, 1], angle > 0
steers right, throttle > 0 drives forward.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class CarSpec:
    wheelbase_m: float = 0.26
    max_steer_deg: float = 25.0
    top_speed: float = 5.0  # m/s the motor pushes towards at full throttle
    motor_lag_s: float = 0.3  # first-order time constant of speed following throttle
    drag: float = 0.05  # quadratic drag, 1/m
    max_reverse: float = 1.0  # m/s


@dataclass
class CarState:
    x: float = 0.0
    y: float = 0.0
    heading: float = 0.0  # rad, counter-clockwise from +x
    speed: float = 0.0  # m/s along the heading


class Car:
    def __init__(self, spec: CarSpec | None = None, state: CarState | None = None):
        self.spec = spec or CarSpec()
        self.state = state or CarState()

    def step(self, angle: float, throttle: float, dt: float) -> CarState:
        """Advance dt seconds (midpoint rule) with clipped Donkey commands."""
        spec, state = self.spec, self.state
        angle = min(max(angle, -1.0), 1.0)
        throttle = min(max(throttle, -1.0), 1.0)
        steer = -angle * math.radians(spec.max_steer_deg)  # Donkey: angle > 0 is right
        accel = (throttle * spec.top_speed - state.speed) / spec.motor_lag_s
        accel -= spec.drag * state.speed * abs(state.speed)
        speed = min(max(state.speed + accel * dt, -spec.max_reverse), spec.top_speed)
        mean_speed = (state.speed + speed) / 2
        slip = math.atan(0.5 * math.tan(steer))  # the reference point is the car's centre
        yaw_rate = mean_speed * math.cos(slip) * math.tan(steer) / spec.wheelbase_m
        mid_heading = state.heading + yaw_rate * dt / 2 + slip
        state.x += mean_speed * math.cos(mid_heading) * dt
        state.y += mean_speed * math.sin(mid_heading) * dt
        state.heading = (state.heading + yaw_rate * dt + math.pi) % (2 * math.pi) - math.pi
        state.speed = speed
        return state

    def steady_throttle(self, speed: float) -> float:
        """Throttle that holds `speed` on a straight (feed-forward for drivers)."""
        spec = self.spec
        return (speed + spec.motor_lag_s * spec.drag * speed * abs(speed)) / spec.top_speed
