import math

import pytest

from burro.sim.car import Car, CarState
from burro.sim.simulator import SimSettings, Simulator


def test_throttle_reaches_a_steady_speed_with_lag():
    car = Car()
    speeds = [car.step(0.0, 0.5, 0.05).speed for _ in range(200)]
    assert speeds[0] < 0.25 * speeds[-1]  # lag: not there at once
    target = speeds[-1]
    assert car.step(0.0, car.steady_throttle(target), 0.05).speed == pytest.approx(target, abs=1e-3)
    assert car.state.y == pytest.approx(0.0)


def test_positive_angle_steers_right_like_donkey():
    car = Car(state=CarState(speed=1.0))
    for _ in range(10):
        car.step(1.0, car.steady_throttle(1.0), 0.05)
    assert car.state.heading < 0 and car.state.y < 0


def test_full_lock_turn_radius_matches_the_bicycle_model():
    car = Car(state=CarState(speed=1.0))
    for _ in range(40):
        car.step(-1.0, car.steady_throttle(1.0), 0.05)
    yaw_rate = car.state.speed * math.cos(math.atan(0.5 * math.tan(math.radians(25)))) \
        * math.tan(math.radians(25)) / 0.26
    before = car.state.heading
    car.step(-1.0, car.steady_throttle(1.0), 0.05)
    assert (car.state.heading - before) / 0.05 == pytest.approx(yaw_rate, rel=0.02)


def test_latency_delays_commands_by_whole_steps():
    sim = Simulator(SimSettings(track="oval", latency_ms=100))  # 2 steps at 20 Hz
    assert sim.latency_steps == 2
    speeds = [sim.step(0.0, 1.0).speed for _ in range(3)]
    assert speeds[0] == 0.0 and speeds[1] == 0.0 and speeds[2] > 0.0
