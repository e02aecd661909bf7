"""Simulator speed: camera render, physics, and full steps per second on ONE core.

Pins the process to one CPU and OpenCV to one thread, then times each variant round-robin
in blocks so machine noise hits them alike. Prints a Markdown table.

    .venv/bin/python benchmarks/sim_bench.py [--steps 4000] [--track technical]
"""

import argparse
import os
import statistics
import time

import cv2
import numpy as np

from burro.sim.expert import Expert
from burro.sim.render import Appearance, Camera
from burro.sim.simulator import SimSettings, Simulator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000, help="steps per variant")
    parser.add_argument("--track", default="technical")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)

    sim = Simulator(SimSettings(track=args.track))
    expert = Expert(sim.track)
    noisy = Camera(sim.track, appearance=Appearance.randomised(np.random.default_rng(1)))
    poses = [sim.track.pose_at(s, 0.1) for s in np.linspace(0, sim.track.length, 500)]
    state = {"telemetry": sim.reset()}

    def render(i):
        sim.camera.render(*poses[i % len(poses)])

    def render_randomised(i):
        noisy.render(*poses[i % len(poses)])

    def physics(i):
        sim.car.step(0.1, 0.3, sim.dt)
        sim.track.locate(np.array([sim.car.state.x, sim.car.state.y]), sim._index)

    def sim_step(i):  # physics + track signals + camera frame
        telemetry = sim.step(*expert.act(state["telemetry"]))
        if telemetry.lap_count > 2:
            telemetry = sim.reset()
        state["telemetry"] = telemetry

    variants = {"camera render": render, "camera render, domain-randomised": render_randomised,
                "physics + track signals (no frame)": physics,
                "full step: expert + physics + signals + frame": sim_step}
    timings = {name: [] for name in variants}
    block = 200
    for start in range(0, args.steps, block):
        for name, run in variants.items():
            began = time.perf_counter()
            for i in range(start, start + block):
                run(i)
            timings[name].append((time.perf_counter() - began) / block)
    print(f"track {args.track}, {args.steps} steps per variant, 1 core, "
          f"{sim.settings.camera.width}x{sim.settings.camera.height} frames\n")
    print("| variant | median ms/step | steps/s (median) |")
    print("|---|---|---|")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"| {name} | {1000 * median:.3f} | {1 / median:,.0f} |")


if __name__ == "__main__":
    main()
