"""Car runtime: the Vehicle's loop overhead per part per tick.

Runs the loop on a SimulatedClock (no sleeping) with N trivial parts (one input, one output),
and the same part calls made directly in a plain Python loop; the difference per part per tick
is what the Vehicle adds (memory reads/writes, run condition, fault guard, profiler). The
fixed per-tick cost is the 0-part row. Pins the process to one CPU; best of --repeat runs.
Then --real-seconds of the same loop on the real clock at --rate-hz with 10 parts: the achieved
rate and late ticks (a tick is late when it starts > 10 % of a period after its schedule).
Prints Markdown tables.

    .venv/bin/python benchmarks/vehicle_bench.py [--ticks 20000] [--repeat 5] [--real-seconds 10]
"""

import argparse
import os
import time

from burro.vehicle import RealClock, SimulatedClock, Vehicle


class Part:
    def run(self, value):
        return value


def vehicle_seconds(parts: int, ticks: int) -> float:
    v = Vehicle(SimulatedClock())
    for i in range(parts):
        v.add(Part(), inputs=[f"k/{i}"], outputs=[f"k/{i + 1}"])
    started = time.perf_counter()
    v.start(rate_hz=20, max_loop_count=ticks)
    return time.perf_counter() - started


def direct_seconds(parts: int, ticks: int) -> float:
    chain = [Part() for _ in range(parts)]
    started = time.perf_counter()
    for tick in range(ticks):
        value = tick
        for part in chain:
            value = part.run(value)
    return time.perf_counter() - started


def real_time(parts: int, rate_hz: int, seconds: float) -> Vehicle:
    v = Vehicle(RealClock())
    for i in range(parts):
        v.add(Part(), inputs=[f"k/{i}"], outputs=[f"k/{i + 1}"])
    v.start(rate_hz=rate_hz, max_loop_count=int(seconds * rate_hz))
    return v


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parts", type=int, nargs="+", default=[0, 10, 30, 100])
    parser.add_argument("--real-seconds", type=float, default=10.0)
    parser.add_argument("--rate-hz", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"{args.ticks} ticks, best of {args.repeat}\n")
    print("| parts | vehicle µs/tick | direct calls µs/tick | overhead µs/part/tick |")
    print("|---:|---:|---:|---:|")
    base = None
    for parts in args.parts:
        v = min(vehicle_seconds(parts, args.ticks) for _ in range(args.repeat))
        d = min(direct_seconds(parts, args.ticks) for _ in range(args.repeat))
        per_tick_v, per_tick_d = 1e6 * v / args.ticks, 1e6 * d / args.ticks
        if parts == 0:
            base = per_tick_v
            print(f"| 0 (fixed cost per tick) | {per_tick_v:.2f} | - | - |")
            continue
        fixed = base or 0.0
        overhead = (per_tick_v - fixed - per_tick_d) / parts
        print(f"| {parts} | {per_tick_v:.2f} | {per_tick_d:.2f} | {overhead:.2f} |")
    if args.real_seconds > 0:
        v = real_time(10, args.rate_hz, args.real_seconds)
        tick = v.summary_lines()[-2].split()
        print(f"\nReal clock, 10 parts, {args.real_seconds:g} s at {args.rate_hz} Hz:\n")
        print("| ticks | achieved Hz | late ticks | whole tick p50 / p99 ms |")
        print("|---:|---:|---:|---:|")
        stats = v.loop_stats
        print(f"| {stats.ticks} | {stats.achieved_hz():.3f} | {stats.late} | "
              f"{tick[6]} / {tick[8]} |")


if __name__ == "__main__":
    main()
