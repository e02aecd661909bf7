"""`burro sim record`: the expert drives laps and a Donkey v2 tub records them.

The keys are the ones a Donkey car records (cam/image_array, user/angle, user/throttle,
user/mode) plus the pose fields Donkey's gym template adds (pos/pos_x, pos/pos_y, pos/pos_z,
pos/speed, pos/cte), and the behaviour keys when a lane is chosen on a two-lane track.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from burro.errors import BurroError, Interrupted
from burro.sim.expert import LANES, DrivingStyle, Expert
from burro.sim.simulator import SimSettings, Simulator, Telemetry

LABELS = ("executed", "intended")
BASE_KEYS = [
    ("cam/image_array", "image_array"),
    ("user/angle", "float"),
    ("user/throttle", "float"),
    ("user/mode", "str"),
    ("pos/pos_x", "float"),
    ("pos/pos_y", "float"),
    ("pos/pos_z", "float"),
    ("pos/speed", "float"),
    ("pos/cte", "float"),
]
BEHAVIOR_KEYS = [
    ("behavior/state", "int"),
    ("behavior/label", "str"),
    ("behavior/one_hot_state_array", "vector"),
]


@dataclass
class RecordResult:
    records: int
    laps: int
    off_track: int
    sim_seconds: float
    mean_speed: float


def style_from_config(cfg) -> DrivingStyle:
    return DrivingStyle(max_speed=cfg.SIM_EXPERT_MAX_SPEED, steer_noise=cfg.SIM_EXPERT_STEER_NOISE,
                        drift_every_s=cfg.SIM_EXPERT_DRIFT_EVERY,
                        lane_change_every_s=cfg.SIM_EXPERT_LANE_CHANGE_EVERY,
                        lane_change_speed=cfg.SIM_EXPERT_LANE_CHANGE_SPEED)


def record_laps(settings: SimSettings, tub_path: str | Path, laps: int, *,
                lane: str | None = None, style: DrivingStyle | None = None,
                behaviors: list[str] = ("Left_Lane", "Right_Lane"), start_lane: str = "left",
                max_steps: int | None = None,
                labels: str = "intended",
                jpeg_quality: int = 75, max_catalog_len: int = 1000,
                on_lap: Callable[[Telemetry], None] | None = None) -> RecordResult:
    """Drive `laps` laps with the expert and append them to the tub at `tub_path`.

    `labels`: record the commands the expert `intended` (straight back to its line; DART-style
    noise injection: the car still wanders, the labels only correct) or the ones it
    `executed` (with its noise and drifts, like a person's recording). Intended labels made
    pilots far more robust (docs/benchmarks.md, "Simulator").

    `_timestamp_ms` is simulated time (the simulator runs far faster than real time), counted
    from the wall clock at the start, or just after the tub's newest record when appending,
    so durations and `tub rm --last-seconds` mean seconds of driving. Ctrl-C closes the tub
    with every finished record and raises `Interrupted` saying how many were kept."""
    from burro.tub import Tub

    if laps < 1:
        raise BurroError("--laps must be at least 1", f"--laps {laps}", "give a positive number")
    if labels not in LABELS:
        raise BurroError(f"unknown labels {labels!r}", "--labels", f"use {' or '.join(LABELS)}")
    if lane not in (None, *LANES):
        raise BurroError(f"unknown lane {lane!r}", "--lane", f"use one of: {', '.join(LANES)}")
    sim = Simulator(settings)
    lane = lane or "centre"
    with_behavior = lane != "centre"
    expert = Expert(sim.track, settings.hz, lane=lane, seed=settings.seed, style=style,
                    car=settings.car, behaviors=list(behaviors), start_lane=start_lane)
    start_lane = start_lane if lane == "switch" else lane
    telemetry = sim.reset(offset=sim.track.lane_offset(start_lane))
    keys = BASE_KEYS + (BEHAVIOR_KEYS if with_behavior else [])
    metadata = {"sim_track": sim.track.name, "sim_seed": settings.seed, "sim_lane": lane,
                "sim_labels": labels}
    limit = max_steps if max_steps is not None else steps_allowed(sim, laps)
    records = off_track = 0
    speed_sum = 0.0
    epoch_ms = start_epoch_ms(tub_path, sim.dt)
    tub = Tub(tub_path, [k for k, _ in keys], [t for _, t in keys], metadata,
              max_catalog_len=max_catalog_len, jpeg_quality=jpeg_quality)
    first_index = tub.end_index
    try:
        while telemetry.lap_count < laps and records < limit:
            angle, throttle = expert.act(telemetry)
            label_angle, label_throttle = expert.intended if labels == "intended" else (
                angle, throttle)
            record = {
                "cam/image_array": telemetry.image, "user/angle": label_angle,
                "user/throttle": label_throttle, "user/mode": "user",
                "pos/pos_x": telemetry.x, "pos/pos_y": telemetry.y, "pos/pos_z": 0.0,
                "pos/speed": telemetry.speed, "pos/cte": telemetry.cte,
            }
            if with_behavior:
                state, label, one_hot = expert.behavior()
                record.update({"behavior/state": state, "behavior/label": label,
                               "behavior/one_hot_state_array": one_hot})
            tub.write_record(record, timestamp_ms=epoch_ms + round(telemetry.time * 1000))
            records += 1
            speed_sum += telemetry.speed
            laps_before = telemetry.lap_count
            telemetry = sim.step(angle, throttle)
            if telemetry.off_track:  # the expert should not; put it back rather than record junk
                off_track += 1
                telemetry = sim.place(telemetry.s, sim.track.lane_offset(start_lane))
            if on_lap and telemetry.lap_count > laps_before:
                on_lap(telemetry)
    except KeyboardInterrupt:
        kept = tub.end_index - first_index  # records completely written
        tub.close()
        raise Interrupted(f"kept the {kept} records recorded so far in {tub_path} "
                          "(tub closed cleanly)") from None
    finally:
        tub.close()
    return RecordResult(records, telemetry.lap_count, off_track, telemetry.time,
                        speed_sum / max(records, 1))


def start_epoch_ms(tub_path: str | Path, dt: float) -> int:
    """Wall-clock now, or one step after the newest record of an existing tub if that is
    later (an earlier recording's simulated time can run ahead of the clock)."""
    from burro.tub import Tub

    now = round(time.time() * 1000)
    if not (Path(tub_path) / "manifest.json").is_file():
        return now
    newest = max((record.timestamp_ms for record in Tub(tub_path)
                  if record.timestamp_ms is not None), default=None)
    return now if newest is None else max(now, newest + round(dt * 1000))


def steps_allowed(sim: Simulator, laps: int, slowest_speed: float = 0.3) -> int:
    """Step budget for `laps` laps: enough for a car averaging `slowest_speed` m/s."""
    return int(laps * sim.track.length / slowest_speed / sim.dt)
