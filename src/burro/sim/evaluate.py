"""`burro sim drive`: a trained pilot drives closed-loop; how well it drove, in numbers.

Whenever the car leaves the track it counts as an intervention: it is put back on the
centre line (of its lane) where it left, as a person would, and the drive goes on.
Autonomy uses PilotNet's formula: (1 - interventions * 6 s / elapsed time) * 100.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from burro.errors import BurroError
from burro.files import atomic_output
from burro.sim.expert import DrivingStyle, Expert
from burro.sim.record import steps_allowed
from burro.sim.simulator import SimSettings, Simulator, Telemetry

MODES = ("local", "local_angle")
SECONDS_PER_INTERVENTION = 6.0  # PilotNet (Bojarski et al. 2016)

Driver = Callable[..., tuple[float, float]]  # (image, *extra inputs) -> (angle, throttle)


@dataclass
class DriveReport:
    track: str
    mode: str
    laps_target: int
    laps_completed: int
    off_track_events: int
    autonomy_pct: float
    mean_abs_cte: float
    max_abs_cte: float
    mean_speed: float
    expert_mean_speed: float
    speed_ratio: float
    lap_times: list[float]
    sim_seconds: float
    steps: int
    latency_ms: float
    pilot_ms_per_step: float
    model: str = ""
    lane_hold_pct: float | None = None  # behaviour drives: steps in the commanded lane
    path: dict = field(default_factory=dict, repr=False)  # x, y, cte per step, for the plot

    def summary(self) -> str:
        laps = ", ".join(f"{t:.2f}" for t in self.lap_times) or "-"
        return "\n".join([
            f"track {self.track}, mode {self.mode}, model {self.model or '-'}",
            f"laps completed      {self.laps_completed}/{self.laps_target}",
            f"off-track events    {self.off_track_events}",
            f"autonomy            {self.autonomy_pct:.1f} %",
            f"|cte| mean / max    {self.mean_abs_cte:.3f} / {self.max_abs_cte:.3f} m",
            (f"mean speed          {self.mean_speed:.2f} m/s "
            f"({100 * self.speed_ratio:.0f} % of the expert's {self.expert_mean_speed:.2f} m/s)"),
            f"lap times           {laps} s",
            (f"driving time        {self.sim_seconds:.1f} s simulated, {self.steps} steps, "
            f"pilot {self.pilot_ms_per_step:.2f} ms/step, latency {self.latency_ms:g} ms"),
            *([f"in commanded lane   {self.lane_hold_pct:.1f} % of the steps"]
              if self.lane_hold_pct is not None else []),
        ])

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("path")
        return data


def autonomy(interventions: int, elapsed_s: float) -> float:
    if elapsed_s <= 0:
        return 0.0
    return max(0.0, (1 - interventions * SECONDS_PER_INTERVENTION / elapsed_s) * 100)


def drive(driver: Driver, settings: SimSettings, laps: int, *, mode: str = "local",
          lane: str | None = None, style: DrivingStyle | None = None,
          max_steps: int | None = None, on_frame: Callable[[Telemetry], None] | None = None,
          model: str = "", behaviors: list[str] | None = None) -> DriveReport:
    """Let `driver(image) -> (angle, throttle)` drive `laps` laps and measure it.

    With `behaviors` (BEHAVIOR_LIST) the driver is a behaviour pilot: each step it gets
    `driver(image, one_hot)`, the expert's lane as Donkey's behaviour vector (`lane` left,
    right, or switch: the expert changes lane every few seconds), and the report says how
    much of the time the car was on the commanded lane's side of the road.
    """
    if mode not in MODES:
        raise BurroError(f"unknown drive mode {mode!r}", "--mode", f"use {' or '.join(MODES)}")
    if laps < 1:
        raise BurroError("--laps must be at least 1", f"--laps {laps}", "give a positive number")
    sim = Simulator(settings)
    if lane == "switch" and not behaviors:
        raise BurroError("--lane switch needs a behaviour pilot (it is told which lane)",
                         "--lane switch", "give --lane left or right")
    sim.track.lane_offset("left" if lane == "switch" else lane)  # refused on one-lane tracks
    lane_style = (style or DrivingStyle())
    expert = Expert(sim.track, settings.hz, lane=lane or "centre", seed=settings.seed,
                    style=DrivingStyle.perfect(max_speed=lane_style.max_speed,
                                               lane_change_every_s=lane_style.lane_change_every_s),
                    car=settings.car, **({"behaviors": behaviors} if behaviors else {}))
    lane_offset = sim.track.lane_offset(expert.lane)
    telemetry = sim.reset(offset=lane_offset)
    limit = max_steps if max_steps is not None else steps_allowed(sim, laps)
    xs, ys, ctes, speeds, interventions = [], [], [], [], []
    in_lane: list[bool] = []
    pilot_seconds = 0.0
    steps = 0
    while telemetry.lap_count < laps and steps < limit:
        expert_action = expert.act(telemetry) if mode == "local_angle" or behaviors else None
        extra = (expert.behavior()[2],) if behaviors else ()
        started = time.perf_counter()
        angle, throttle = driver(telemetry.image, *extra)
        pilot_seconds += time.perf_counter() - started
        if mode == "local_angle":
            throttle = expert_action[1]
        telemetry = sim.step(angle, throttle)
        if behaviors:
            in_lane.append(telemetry.cte * sim.track.lane_offset(expert.lane) > 0)
            lane_offset = sim.track.lane_offset(expert.lane)
        steps += 1
        xs.append(telemetry.x)
        ys.append(telemetry.y)
        ctes.append(telemetry.cte)
        speeds.append(telemetry.speed)
        if on_frame:
            on_frame(telemetry)
        if telemetry.off_track:
            interventions.append(steps - 1)
            telemetry = sim.place(telemetry.s, lane_offset, speed=max(telemetry.speed, 0.0))
    expert_speed = expert_mean_speed(settings, laps=min(laps, 3), lane=lane, style=style)
    mean_speed = float(np.mean(speeds)) if speeds else 0.0
    abs_cte = np.abs(ctes) if ctes else np.zeros(1)
    return DriveReport(
        track=sim.track.name, mode=mode, laps_target=laps, laps_completed=telemetry.lap_count,
        off_track_events=len(interventions),
        autonomy_pct=autonomy(len(interventions), telemetry.time),
        mean_abs_cte=float(abs_cte.mean()), max_abs_cte=float(abs_cte.max()),
        mean_speed=mean_speed, expert_mean_speed=expert_speed,
        speed_ratio=mean_speed / expert_speed if expert_speed > 0 else 0.0,
        lap_times=[round(t, 3) for t in telemetry.lap_times], sim_seconds=telemetry.time,
        steps=steps, latency_ms=settings.latency_ms,
        pilot_ms_per_step=1000 * pilot_seconds / max(steps, 1), model=model,
        lane_hold_pct=100 * float(np.mean(in_lane)) if in_lane else None,
        path={"x": xs, "y": ys, "cte": ctes, "interventions": interventions})


def expert_mean_speed(settings: SimSettings, laps: int, lane: str | None = None,
                      style: DrivingStyle | None = None) -> float:
    """Mean speed of the recording expert (same style and seed) over `laps` laps."""
    sim = Simulator(settings)
    expert = Expert(sim.track, settings.hz, lane=lane or "centre", seed=settings.seed,
                    style=style, car=settings.car)
    telemetry = sim.reset(offset=sim.track.lane_offset(expert.lane))
    speeds = []
    for _ in range(steps_allowed(sim, laps)):
        telemetry = sim.step(*expert.act(telemetry))
        speeds.append(telemetry.speed)
        if telemetry.lap_count >= laps:
            break
    return float(np.mean(speeds))


def write_report(report: DriveReport, path: str | Path) -> None:
    with atomic_output(path) as temporary:
        temporary.write_text(json.dumps(report.to_json(), indent=2) + "\n")


def plot_drive(report: DriveReport, track, path: str | Path) -> None:
    """Track map with the driven path coloured by |cte| and off-track events marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    fig, ax = plt.subplots(figsize=(8, 7))
    for side in (1, -1):
        edge = track.points + side * track.half_width * track.normals
        ax.plot(*np.vstack([edge, edge[:1]]).T, color="0.3", linewidth=1.5)
    ax.plot(*track.points.T, color="0.6", linewidth=0.8, linestyle=(0, (4, 4)))
    x, y = np.asarray(report.path["x"]), np.asarray(report.path["y"])
    if len(x) > 1:
        segments = np.stack([np.column_stack([x[:-1], y[:-1]]), np.column_stack([x[1:], y[1:]])],
                            axis=1)
        driven = np.ones(len(segments), bool)
        driven[[i for i in report.path["interventions"] if i < len(segments)]] = False  # resets
        lines = LineCollection(segments[driven], cmap="viridis", linewidths=2)
        lines.set_array(np.abs(report.path["cte"])[1:][driven])
        lines.set_clim(0, track.half_width)
        ax.add_collection(lines)
        fig.colorbar(lines, ax=ax, label="|cross-track error| (m)", shrink=0.8)
    for step in report.path["interventions"]:
        ax.plot(x[step], y[step], "rx", markersize=10, markeredgewidth=2)
    ax.set_aspect("equal")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    ax.set_title(f"{report.track}: {report.laps_completed}/{report.laps_target} laps, "
                 f"{report.off_track_events} off-track, autonomy {report.autonomy_pct:.0f} %, "
                 f"{100 * report.speed_ratio:.0f} % expert speed", fontsize=10)
    fig.tight_layout()
    try:
        with atomic_output(path) as temporary:  # the format comes from the kept suffix
            fig.savefig(temporary, dpi=100)
    finally:
        plt.close(fig)


class VideoWriter:
    """MP4 of the camera frames (scaled 2x so the codec's 16-pixel blocks fit), written to a
    temporary file beside `path` that becomes `path` only when the block ends normally."""

    SUFFIXES = (".mp4", ".mkv", ".mov", ".avi")  # containers that take H.264

    def __init__(self, path: str | Path, fps: int):
        self.path = Path(path)
        self.fps = fps
        if self.path.suffix.lower() not in self.SUFFIXES:
            raise BurroError(f"cannot write a video named {self.path.name}", str(path),
                             f"end the name in {', '.join(self.SUFFIXES)}")

    def __enter__(self) -> VideoWriter:
        import imageio.v2 as imageio

        self._output = atomic_output(self.path)
        temporary = self._output.__enter__()
        try:
            self._writer = imageio.get_writer(str(temporary), fps=self.fps, codec="libx264",
                                              quality=5, macro_block_size=8)
        except BaseException:
            self._output.__exit__(*sys.exc_info())
            raise
        return self

    def add(self, telemetry: Telemetry) -> None:
        frame = np.repeat(np.repeat(telemetry.image, 2, axis=0), 2, axis=1)
        self._writer.append_data(frame)

    def __exit__(self, *exc_info) -> None:
        try:
            self._writer.close()
        except BaseException:
            self._output.__exit__(*sys.exc_info())
            raise
        self._output.__exit__(*exc_info)
