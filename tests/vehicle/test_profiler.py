import math

import pytest

from burro.vehicle import SimulatedClock, Vehicle, profiler
from burro.vehicle.profiler import LoopStats, PartTiming, table_lines


def test_part_timing_columns_in_ms():
    timing = PartTiming()
    for ms in range(1, 101):  # 1..100 ms
        timing.add(ms / 1000)
    assert timing.row_ms() == pytest.approx([100, 1, 50.5, 50, 90, 99])


def test_percentiles_use_the_recent_window_and_the_rest_the_whole_run(monkeypatch):
    monkeypatch.setattr(profiler, "RECENT", 10)
    timing = PartTiming()
    for _ in range(10):
        timing.add(1.0)
    for _ in range(10):
        timing.add(0.001)
    assert timing.count == 20 and len(timing._recent) == 10
    high, low, avg, p50, p90, p99 = timing.row_ms()
    assert (high, low) == (1000, 1) and avg == pytest.approx(500.5)
    assert p50 == p90 == p99 == pytest.approx(1)


def test_an_unused_part_has_empty_cells():
    assert all(math.isnan(v) for v in PartTiming().row_ms())
    lines = table_lines([("never", PartTiming())])
    assert lines[0].split() == ["part", "calls", "errors", "max", "min", "avg", "p50", "p90",
                                "p99", "(ms)"]
    assert lines[1].split()[:3] == ["never", "0", "0"]


def test_loop_line_reports_rate_and_late_ticks():
    stats = LoopStats(rate_hz=20, simulated=False)
    for i in range(201):
        stats.started_tick(i * 0.05)
    stats.late_tick(0.012)
    stats.late_tick(0.030)
    assert stats.achieved_hz() == pytest.approx(20)
    assert stats.line() == ("loop: 201 ticks, 20.00 Hz achieved (target 20 Hz), "
                            "2 late (1.00 %), worst 30.0 ms late")


def test_vehicle_summary_has_one_row_per_part_then_the_tick_then_the_loop():
    v = Vehicle(SimulatedClock())

    class Part:
        def run(self, tick):
            if tick == 0:
                raise ValueError("first tick")

    v.add(Part(), inputs=["loop/tick"], name="camera")
    v.add(Part(), inputs=["loop/tick"], name="pilot")
    v.start(rate_hz=20, max_loop_count=50)
    lines = v.summary_lines()
    assert [line.split()[0] for line in lines[1:4]] == ["camera", "pilot", "(whole"]
    assert lines[1].split()[1:3] == ["50", "1"]
    assert lines[4].startswith("loop: 50 ticks, 20.00 Hz achieved (target 20 Hz), 0 late")
    assert "simulated clock" in lines[4]
