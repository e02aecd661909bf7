import logging
import threading
import time

import pytest

from burro.errors import BurroError
from burro.vehicle import vehicle as vehicle_module
from burro.vehicle.clock import RealClock, SimulatedClock
from burro.vehicle.vehicle import Vehicle


class Recorder:
    """Records what it was given at each tick."""

    def __init__(self, out=None):
        self.seen = []
        self.out = out

    def run(self, *inputs):
        self.seen.append(inputs)
        return self.out


class Raising:
    def run(self):
        raise ValueError("broken part")


def test_parts_run_in_add_order_and_read_what_earlier_parts_wrote():
    v = Vehicle(SimulatedClock())
    order = []

    class Step:
        def __init__(self, name):
            self.name = name

        def run(self, value):
            order.append(self.name)
            return (value or 0) + 1

    v.add(Step("a"), inputs=["n"], outputs=["n"])
    v.add(Step("b"), inputs=["n"], outputs=["n"])
    assert v.start(rate_hz=20, max_loop_count=3)[0] == 3
    assert order == ["a", "b"] * 3
    assert v.mem["n"] == 6


def test_loop_time_and_tick_are_written_before_parts_run():
    v = Vehicle(SimulatedClock(start=100.0))
    rec = Recorder()
    v.add(rec, inputs=["loop/time", "loop/tick"])
    v.start(rate_hz=20, max_loop_count=4)
    assert rec.seen == [(100.0, 0), (100.05, 1), (100.1, 2), (pytest.approx(100.15), 3)]


def test_none_return_keeps_previous_values():
    v = Vehicle(SimulatedClock())
    v.mem["x"] = 7
    v.add(Recorder(out=None), outputs=["x"])
    v.start(max_loop_count=2)
    assert v.mem["x"] == 7


def test_run_condition_is_a_memory_key():
    v = Vehicle(SimulatedClock())

    class Toggle:
        def run(self, tick):
            return tick % 2 == 0

    rec = Recorder()
    v.add(Toggle(), inputs=["loop/tick"], outputs=["run_pilot"])
    v.add(rec, inputs=["loop/tick"], run_condition="run_pilot")
    v.add(Recorder(), run_condition="never/written")
    v.start(max_loop_count=6)
    assert rec.seen == [(0,), (2,), (4,)]


class StopAt:
    def __init__(self, vehicle, tick):
        self.vehicle, self.tick = vehicle, tick

    def run(self, tick):
        if tick == self.tick:
            self.vehicle.stop()


@pytest.mark.parametrize("limit", [None, 0])
def test_max_loop_count_none_or_zero_runs_until_stopped(limit):
    v = Vehicle(SimulatedClock())
    v.add(StopAt(v, 49), inputs=["loop/tick"])
    assert v.start(max_loop_count=limit)[0] == 50
    assert v.stop_reason == "stop()"


def test_a_raising_part_gets_none_outputs_and_the_others_run():
    v = Vehicle(SimulatedClock())
    v.mem["angle"] = 0.3

    class RaiseOnOdd:
        def run(self, tick):
            if tick % 2:
                raise RuntimeError("odd")
            return 0.5

    after = Recorder()
    v.add(RaiseOnOdd(), inputs=["loop/tick"], outputs=["angle"])
    v.add(after, inputs=["angle"])
    v.start(max_loop_count=4)
    assert after.seen == [(0.5,), (None,), (0.5,), (None,)]
    assert v.parts[0].timing.errors == 2


def test_wrong_number_of_outputs_is_a_fault_like_a_raise(caplog):
    v = Vehicle(SimulatedClock())
    v.mem.put(["a", "b"], (1, 2))
    v.add(Recorder(out=(1, 2, 3)), outputs=["a", "b"], name="three")
    with caplog.at_level(logging.ERROR, "burro.vehicle"):
        v.start(max_loop_count=2)
    assert v.mem.get(["a", "b"]) == [None, None]
    assert v.parts[0].timing.errors == 2
    assert "part three" in caplog.text and "3 values for 2 outputs" in caplog.text


def test_a_part_raising_every_tick_at_100_hz_logs_o1_lines_per_second(caplog):
    v = Vehicle(RealClock())
    counter = Recorder()
    v.add(Raising(), outputs=["bad/value"], name="broken")
    v.add(counter, inputs=["bad/value"])
    with caplog.at_level(logging.INFO, "burro.vehicle"):
        ticks, _ = v.start(rate_hz=100, max_loop_count=100)
    lines = [r for r in caplog.records if "broken" in r.getMessage()]
    assert ticks == 100 and len(counter.seen) == 100  # the other part ran every tick
    assert all(seen == (None,) for seen in counter.seen)
    assert 1 <= len(lines) <= 4, [r.getMessage() for r in lines]
    first = lines[0].getMessage()
    assert "ValueError: broken part" in first and "test_vehicle.py" in first
    assert sum(int(m.split("failed ")[1].split()[0]) for m in
               (r.getMessage() for r in lines[1:])) == 99  # every later failure is counted
    assert v.loop_stats.achieved_hz() > 80  # the loop keeps its rate


def test_a_recovered_part_is_one_line(caplog, monkeypatch):
    wall = [0.0]
    v = Vehicle(SimulatedClock())
    monkeypatch.setattr(v._faults, "_now", lambda: wall[0])

    class FailsFirstTen:
        def run(self, tick):
            wall[0] = tick * 0.1  # 10 wall ticks per second
            if tick < 10:
                raise OSError("camera busy")

    v.add(FailsFirstTen(), inputs=["loop/tick"], name="cam")
    with caplog.at_level(logging.INFO, "burro.vehicle"):
        v.start(max_loop_count=40)
    messages = [r.getMessage() for r in caplog.records if "part cam" in r.getMessage()]
    assert len(messages) == 3, messages
    assert "raised OSError: camera busy" in messages[0]
    assert "failed 9 more times" in messages[1]
    assert "runs again" in messages[2]


def test_threads_start_at_start_and_none_outlives_shutdown():
    v = Vehicle(RealClock())

    class Threaded:
        def __init__(self):
            self.running = True
            self.started_before_loop = None
            self.value = 0

        def update(self):
            while self.running:
                self.value += 1
                time.sleep(0.001)

        def run_threaded(self):
            return self.value

        def shutdown(self):
            self.running = False

    parts = [Threaded(), Threaded()]
    for part in parts:
        v.add(part, outputs=["v"], threaded=True)
    v.start(rate_hz=50, max_loop_count=5)
    assert v.mem["v"] > 0
    assert not [t for t in threading.enumerate() if t.name.startswith("part ")]


def test_a_thread_that_ignores_shutdown_is_reported(caplog, monkeypatch):
    monkeypatch.setattr(vehicle_module, "JOIN_TIMEOUT_S", 0.2)
    release = threading.Event()

    class Stubborn:
        def update(self):
            release.wait(10)

        def run_threaded(self):
            return None

    v = Vehicle(SimulatedClock())
    v.add(Stubborn(), threaded=True, name="stubborn")
    with caplog.at_level(logging.WARNING, "burro.vehicle"):
        started = time.monotonic()
        v.start(max_loop_count=2)
    release.set()
    assert time.monotonic() - started < 2
    assert "part stubborn: its update() thread did not end" in caplog.text


def test_a_crashing_update_thread_is_logged_and_the_loop_goes_on(caplog):
    class Crashes:
        def update(self):
            raise RuntimeError("no device")

        def run_threaded(self):
            return 1

    v = Vehicle(SimulatedClock())
    v.add(Crashes(), outputs=["x"], threaded=True, name="crashes")
    with caplog.at_level(logging.ERROR, "burro.vehicle"):
        v.start(max_loop_count=3)
        v.parts[0].thread.join(1)
    assert v.mem["x"] == 1
    assert "part crashes: its update() thread stopped: RuntimeError: no device" in caplog.text


def test_every_shutdown_runs_even_when_one_raises_in_documented_order(caplog):
    done = []

    class Part:
        def __init__(self, name, first=False, fail=False):
            self.name, self.fail = name, fail
            if first:
                self.shutdown_first = True

        def run(self):
            return None

        def shutdown(self):
            done.append(self.name)
            if self.fail:
                raise RuntimeError("cannot close")

    v = Vehicle(SimulatedClock())
    for part in [Part("camera"), Part("pilot", fail=True), Part("drivetrain", first=True),
                 Part("tub")]:
        v.add(part, name=part.name)
    v.add(Recorder(), name="no_shutdown")
    with caplog.at_level(logging.ERROR, "burro.vehicle"):
        v.start(max_loop_count=1)
    assert done == ["drivetrain", "tub", "pilot", "camera"]
    assert "part pilot: shutdown() raised RuntimeError: cannot close" in caplog.text


def test_shutdown_runs_when_the_loop_itself_fails(monkeypatch):
    v = Vehicle(SimulatedClock())
    done = []

    class Part:
        def run(self):
            return None

        def shutdown(self):
            done.append(1)

    v.add(Part())
    monkeypatch.setattr(v, "_tick", lambda tick, now: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        v.start(max_loop_count=3)
    assert done == [1]


def test_late_tick_restarts_the_schedule_without_a_burst():
    clock = SimulatedClock()
    v = Vehicle(clock)

    class Overrun:
        def run(self, tick):
            if tick == 5:
                clock.sleep_until(clock.now() + 0.125)  # 2.5 periods of work at 20 Hz

    rec = Recorder()
    v.add(Overrun(), inputs=["loop/tick"])
    v.add(rec, inputs=["loop/time"])
    v.start(rate_hz=20, max_loop_count=10)
    starts = [t for (t,) in rec.seen]
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert gaps[:5] == pytest.approx([0.05] * 5)
    assert gaps[5] == pytest.approx(0.125)  # tick 6 starts as soon as tick 5 ends
    assert gaps[6:] == pytest.approx([0.05] * 3)  # then one period apart again
    assert v.loop_stats.late == 1
    assert v.loop_stats.worst_late == pytest.approx(0.075)


def test_real_time_gaps_never_shrink_after_an_overrun():
    v = Vehicle(RealClock())

    class Slow:
        def run(self, tick):
            if tick == 3:
                time.sleep(0.12)

    rec = Recorder()
    v.add(Slow(), inputs=["loop/tick"])
    v.add(rec, inputs=["loop/time"])
    v.start(rate_hz=50, max_loop_count=12)
    starts = [t for (t,) in rec.seen]
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.9 * 0.02 - 1e-4
    assert v.loop_stats.late >= 1


@pytest.mark.parametrize("kwargs, message", [
    ({"inputs": "cam/image_array"}, "inputs must be a list of memory keys"),
    ({"outputs": [1]}, "outputs must be a list of memory keys"),
    ({"run_condition": True}, "run_condition must be a memory key"),
    ({"threaded": True}, "has no update() or run_threaded() method"),
])
def test_bad_add_is_a_one_line_error(kwargs, message):
    class OnlyRun:
        def run(self):
            return None

    with pytest.raises(BurroError, match="part OnlyRun") as caught:
        Vehicle().add(OnlyRun(), **kwargs)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_part_without_run_is_an_error():
    with pytest.raises(BurroError, match=r"has no run\(\) method"):
        Vehicle().add(object(), name="thing")


def test_bad_rate_is_an_error():
    with pytest.raises(BurroError, match="DRIVE_LOOP_HZ"):
        Vehicle().start(rate_hz=0)


def test_names_are_unique_and_describe_lists_the_parts_in_order():
    v = Vehicle()
    v.add(Recorder(), inputs=["cam/image_array"], outputs=["pilot/angle", "pilot/throttle"],
          run_condition="run_pilot")
    v.add(Recorder(), inputs=["pilot/angle"])
    assert [e.name for e in v.parts] == ["Recorder", "Recorder#2"]
    assert v.describe_lines() == [
        " 1. Recorder when run_pilot: cam/image_array -> pilot/angle, pilot/throttle",
        " 2. Recorder#2: pilot/angle -> -",
    ]
