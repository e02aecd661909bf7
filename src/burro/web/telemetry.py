"""`/wsTelemetry`: what the car is doing, about 10 times a second (docs/web.md).

The message is built on the server thread from the newest tick the loop handed over (its
memory values), the controller's own state, and a provider callable the Car sets: loop
rate and late ticks, pilot latency, tub and simulator laps. Numbers that are not known (yet)
are null.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Mapping
from typing import Any

Provider = Callable[[], Mapping[str, Any]]


def number(value: Any, digits: int = 4) -> float | None:
    """A finite number rounded for JSON, else None (JSON has no NaN)."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, (int, float)):
        try:
            value = float(value)  # numpy scalars (a pilot's float32)
        except (TypeError, ValueError):
            return None
    return round(float(value), digits) if math.isfinite(value) else None


def pair(angle: Any, throttle: Any) -> dict[str, float | None]:
    return {"angle": number(angle), "throttle": number(throttle)}


def telemetry_message(memory: Mapping[str, Any], provided: Mapping[str, Any], *, mode: str,
                      recording: bool, driver: str | None, viewers: int, bad_messages: int,
                      ignored_keys: int) -> dict[str, Any]:
    """The {"telemetry": {...}} message; `memory` holds the last tick's input values."""
    pilot = None
    if memory.get("pilot/angle") is not None or memory.get("pilot/throttle") is not None \
            or provided.get("pilot_latency_ms") is not None:
        pilot = {**pair(memory.get("pilot/angle"), memory.get("pilot/throttle")),
                 "latency_ms": number(provided.get("pilot_latency_ms"), 2)}
    behavior = None
    if memory.get("behavior/state") is not None:
        label = memory.get("behavior/label")
        behavior = {"state": whole(memory.get("behavior/state")),
                    "label": label if isinstance(label, str) else None}
    sim = provided.get("sim")
    if sim is None and (memory.get("pos/cte") is not None or memory.get("pos/speed") is not None):
        sim = {"cte": memory.get("pos/cte"), "speed": memory.get("pos/speed"), "lap": None,
               "laps": None}
    if sim is not None:
        sim = {key: number(sim.get(key), 3) for key in ("cte", "speed", "lap", "laps")}
    tub = provided.get("tub")
    if tub is None and memory.get("tub/num_records") is not None:
        tub = {"path": None, "num_records": memory.get("tub/num_records")}
    if tub is not None:
        count = tub.get("num_records")
        tub = {"path": tub.get("path"),
               "num_records": whole(memory.get("tub/num_records") if count is None else count)}
    return {"telemetry": {
        "loop": _loop(provided.get("loop")),
        "mode": mode,
        "recording": recording,
        "user": pair(memory.get("user/angle"), memory.get("user/throttle")),
        "pilot": pilot,
        "out": pair(memory.get("angle"), memory.get("throttle")),
        "tub": tub,
        "behavior": behavior,
        "sim": sim,
        "driver": driver,
        "viewers": viewers,
        "bad_messages": bad_messages,
        "ignored_keys": ignored_keys,
    }}


def _loop(loop: Mapping[str, Any] | None) -> dict[str, Any]:
    loop = loop or {}
    return {"hz": number(loop.get("hz"), 2), "ticks": whole(loop.get("ticks")),
            "late": whole(loop.get("late")), "late_pct": number(loop.get("late_pct"), 2)}


def whole(value: Any) -> int | None:
    """An integer (also numpy's) as an int for JSON, else None."""
    return int(value) if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
        else None


class LoopRate:
    """The loop's recent rate: ticks per wall second over the last ~2 s of calls."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._samples: list[tuple[float, int]] = []

    def hz(self, ticks: int) -> float | None:
        now = self._clock()
        self._samples.append((now, ticks))
        while len(self._samples) > 2 and now - self._samples[1][0] >= 2.0:
            self._samples.pop(0)
        (t0, n0) = self._samples[0]
        return (ticks - n0) / (now - t0) if now - t0 >= 0.5 and ticks >= n0 else None


def car_status(car: Any, rate: LoopRate | None = None) -> Callable[[], dict[str, Any]]:
    """The telemetry provider of a `burro.car.Car`: read at call time, so parts added later
    (the pilot, the tub writer) are seen, from any thread (plain attribute reads)."""
    rate = rate or LoopRate()

    def provide() -> dict[str, Any]:
        status: dict[str, Any] = {}
        stats = car.vehicle.loop_stats
        if stats is not None:
            hz = rate.hz(stats.ticks) if not stats.simulated else stats.achieved_hz()
            status["loop"] = {"hz": hz, "ticks": stats.ticks, "late": stats.late,
                              "late_pct": 100 * stats.late / stats.ticks if stats.ticks else 0.0}
        if car.pilot is not None:
            status["pilot_latency_ms"] = car.pilot.latency_ms
        writer = car.tub_writer
        if writer is not None:
            status["tub"] = {"path": str(writer.tub.path), "num_records": None}
        session = _sim_session(car.cfg)
        if session is not None:
            telemetry = session.telemetry
            status["sim"] = {"cte": telemetry.cte, "speed": telemetry.speed,
                             "lap": telemetry.lap_count, "laps": session.laps_target or None}
        return status

    return provide


def _sim_session(cfg: Any) -> Any:
    if not cfg.DONKEY_GYM:
        return None
    from burro.parts.sim_car import session_for

    return session_for(cfg)
