"""Behaviour pilot on the two-lane track: record the expert changing lanes, train, drive.

1. `burro sim record`'s recorder: the expert drives `--laps` laps of two_lane with
   `--lane switch` (a lane change every ~8 s), so the tub holds Donkey's behaviour keys.
2. `burro train --type behavior` on it (MAX_EPOCHS `--epochs`, early stopping as configured).
3. The .tflite pilot drives `--drive-laps` laps per lane plan (left, right, switch), told the
   expert's lane every step, and the table gives: the share of steps on the commanded lane's
   side, off-track events, and for `switch` the lane changes completed within 3 m of travel.

    .venv/bin/python benchmarks/behavior_bench.py [--laps 10] [--epochs 20] [--drive-laps 3]

Prints a Markdown table. CPU only; ~10-20 min on 2 cores with the defaults.
"""

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np

CHANGE_WITHIN_M = 3.0


def lane_changes(commands: list[int], ctes: list[float], xs: list[float], ys: list[float],
                 within_m: float = CHANGE_WITHIN_M) -> tuple[int, int]:
    """(changes commanded, changes completed within `within_m` metres of travel): completed
    when the car is on the new lane's side of the centre line (left lane: cte > 0)."""
    commanded = completed = 0
    for step in range(1, len(commands)):
        if commands[step] == commands[step - 1]:
            continue
        commanded += 1
        side = 1.0 if commands[step] == 0 else -1.0
        travelled = 0.0
        for later in range(step, len(commands)):
            if later > step:
                travelled += math.hypot(xs[later] - xs[later - 1], ys[later] - ys[later - 1])
            if travelled > within_m or (later > step and commands[later] != commands[step]):
                break
            if ctes[later] * side > 0:
                completed += 1
                break
    return commanded, completed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laps", type=int, default=10, help="laps the expert records")
    parser.add_argument("--epochs", type=int, default=20, help="MAX_EPOCHS of the training")
    parser.add_argument("--drive-laps", type=int, default=3, help="laps per lane plan")
    parser.add_argument("--work", help="folder for the tub and model (default: a temporary one)")
    args = parser.parse_args()

    from burro.config import default_config
    from burro.pilots import load
    from burro.sim.evaluate import drive
    from burro.sim.record import record_laps
    from burro.sim.simulator import SimSettings
    from burro.training import train

    work = Path(args.work or tempfile.mkdtemp(prefix="behavior-bench-"))
    settings = SimSettings(track="two_lane")
    started = time.perf_counter()
    recorded = record_laps(settings, work / "tub", args.laps, lane="switch")
    record_s = time.perf_counter() - started

    cfg = default_config()
    cfg.CAR_PATH = str(work)
    cfg.MAX_EPOCHS = args.epochs
    cfg.VERBOSE_TRAIN = cfg.PRINT_MODEL_SUMMARY = cfg.SHOW_PLOT = False
    cfg.CREATE_ONNX = False
    cfg.TRAIN_SEED = 1
    cfg.TRAIN_BEHAVIORS = True
    started = time.perf_counter()
    result = train(cfg, [work / "tub"], work / "models" / "beh.keras")
    train_s = time.perf_counter() - started
    pilot = load(work / "models" / "beh.tflite")

    rows = []
    for lane in ("left", "right", "switch"):
        commands: list[int] = []

        def driver(image, one_hot, commands=commands):
            commands.append(int(np.argmax(one_hot)))
            return pilot.run(image, one_hot)

        report = drive(driver, settings, args.drive_laps, lane=lane,
                       behaviors=list(cfg.BEHAVIOR_LIST))
        changes, done = lane_changes(commands, report.path["cte"], report.path["x"],
                                     report.path["y"])
        rows.append((lane, report, changes, done))

    print(f"recorded {recorded.records} records ({args.laps} laps, {record_s:.0f} s); trained "
          f"{result.epochs} epochs in {train_s:.0f} s (best val_loss {result.best_val_loss:.3f})")
    print()
    print("| lane plan | laps | in commanded lane | off-track events | lane changes within "
          f"{CHANGE_WITHIN_M:g} m | mean speed |")
    print("|---|---|---|---|---|---|")
    for lane, report, changes, done in rows:
        change_text = f"{done}/{changes}" if changes else "-"
        print(f"| {lane} | {report.laps_completed}/{report.laps_target} | "
              f"{report.lane_hold_pct:.1f} % | {report.off_track_events} | {change_text} | "
              f"{report.mean_speed:.2f} m/s |")


if __name__ == "__main__":
    main()
