"""What the car prints: at start-up the parts, the controls, the pilot, the tub and the loop;
at shutdown the timing table and what was recorded (the simulator adds its drive summary
when its parts shut down)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from burro.parts.sim_car import uses_simulated_clock

if TYPE_CHECKING:
    from burro.car.car import Car

MODE_MEANS = {"user": "the user drives (the car stands still until a controller moves it)",
              "local_angle": "the pilot steers, the user throttles",
              "local": "the pilot drives"}


def startup_lines(car: Car) -> list[str]:
    cfg = car.cfg
    lines = [f"car: {cfg.CAR_PATH} (template {car.template}, PID {os.getpid()})",
             "parts, in order:"]
    lines += [f"  {line}" for line in car.vehicle.describe_lines()]
    lines += [controls_line(car)]
    if car.web is not None:
        lines.append(web_line(car))
    lines += joystick_lines(car)
    lines += [pilot_line(car), tub_line(car), loop_line(car)]
    return lines


def web_line(car: Car) -> str:
    web = car.web
    drive_url = web.url
    calibrate_url = drive_url.replace("/drive", "/calibrate", 1)
    what = ("watch only: the simulator's expert drives; Stop Car ends the drive"
            if car.expert_drives else "the Mode & Pilot menu")
    return f"web controller: {drive_url} ({what}; calibrate: {calibrate_url})"


def controls_line(car: Car) -> str:
    if car.user is None:
        return "controls: none added (a part of your own writes user/mode)"
    if car.expert_drives:
        return ("controls: SimExpert, the simulator's expert driver, is the user "
                "(SIM_EXPERT_AS_USER; mode user)")
    mode = car.cfg.WEB_INIT_MODE
    names = " + ".join(type(part).__name__ for part in car.controllers) or \
        type(car.user).__name__
    return f"controls: {names}, mode {mode} (WEB_INIT_MODE): {MODE_MEANS[mode]}"


def joystick_lines(car: Car) -> list[str]:
    """The pad and its controls table, as the hooks are set now (docs/joystick.md)."""
    if car.joystick is None:
        return []
    lines = car.joystick.controls_lines()
    if car.expert_drives:
        lines.append("  (the simulator's expert drives: the pad only switches the behaviour state)")
    return lines


def pilot_line(car: Car) -> str:
    if car.pilot is None:
        return "pilot: none (give --model to drive with one)"
    return car.pilot.startup_line()


def tub_line(car: Car) -> str:
    writer = car.tub_writer
    if writer is None:
        return "tub: none (nothing is recorded)"
    cfg = car.cfg
    rule = ("while the user throttle is non-zero" if cfg.AUTO_RECORD_ON_THROTTLE
            else "while the controller's record switch is on")
    during_ai = "also" if cfg.RECORD_DURING_AI else "not"
    return (f"tub: {writer.tub.path} ({len(writer.tub)} records so far; records {rule}, "
            f"{during_ai} while the pilot drives)")


def loop_line(car: Car) -> str:
    cfg = car.cfg
    clock = ("simulated time, as fast as the CPU allows (SIM_REALTIME False)"
             if uses_simulated_clock(cfg) else "real time")
    limit = f", stops after {cfg.MAX_LOOPS} ticks (MAX_LOOPS)" if cfg.MAX_LOOPS else \
        " until Ctrl-C or SIGTERM"
    return f"loop: {cfg.DRIVE_LOOP_HZ} Hz on {clock}{limit}"


def shutdown_lines(car: Car) -> list[str]:
    vehicle = car.vehicle
    reason = vehicle.stop_reason or "MAX_LOOPS reached"
    lines = [f"stopped: {reason}", *vehicle.summary_lines()]
    writer = car.tub_writer
    if writer is not None:
        skipped = f", {writer.skipped} skipped" if writer.skipped else ""
        failed = "; recording stopped early: " + writer.failure.line() if writer.failure else ""
        lines.append(f"recorded {writer.written} records into {writer.tub.path}{skipped}{failed}")
    return lines
