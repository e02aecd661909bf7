import threading
import time

from burro.vehicle.clock import RealClock, SimulatedClock


def test_simulated_clock_jumps_to_deadlines_and_never_goes_back():
    clock = SimulatedClock()
    assert clock.now() == 0.0
    started = time.perf_counter()
    clock.sleep_until(3600.0)
    assert time.perf_counter() - started < 0.1
    assert clock.now() == 3600.0
    clock.sleep_until(10.0)
    assert clock.now() == 3600.0
    assert SimulatedClock(start=5).now() == 5.0


def test_real_clock_sleeps_until_the_deadline():
    clock = RealClock()
    deadline = clock.now() + 0.05
    clock.sleep_until(deadline)
    assert clock.now() >= deadline
    before = clock.now()
    clock.sleep_until(before - 1)  # a past deadline returns at once
    assert clock.now() - before < 0.01


def test_real_clock_wakes_when_the_event_is_set():
    clock, wake = RealClock(), threading.Event()
    threading.Timer(0.05, wake.set).start()
    started = time.monotonic()
    clock.sleep_until(started + 5, wake)
    assert 0.04 < time.monotonic() - started < 2
