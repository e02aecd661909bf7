"""Closed-loop proof of a behaviour pilot on two-lane roads: record through `manage.py drive`,
train `--type behavior`, let the pilot drive with a lane command changing every few seconds.

1. A sim car (`burro createcar --template sim`) with TRAIN_BEHAVIORS = True and the expert as
   the user, SIM_EXPERT_LANE = "switch", SIM_EXPERT_LANE_CHANGE_EVERY `--change-every` s,
   SIM_REALTIME = False: `python manage.py drive` twice (`--laps` laps each), starting in the
   left and in the right lane (SIM_EXPERT_START_LANE), other SIM_SEEDs. The Behavior part
   records the state (the expert sets it when it changes lane, as L1 would).
2. `python manage.py train --type behavior` on both tubs (MAX_EPOCHS `--epochs`).
3. The `.tflite` pilot drives `--drive-laps` laps of two_lane and of two_lane_hook (never seen
   in training); the benchmark commands the lane (a new command 1 s + ~`--command-every` s after
   the last, as a user pressing L1 would) and the pilot gets it as its behaviour input.

Per track: share of steps on the commanded lane's side of the centre line (all steps, and
"settled": leaving out each change's first 3 m), lane changes completed within 3 m of travel
(the car crosses to the new lane's side), off-track events.

    .venv/bin/python benchmarks/behavior_bench.py [--laps 11] [--epochs 15] [--drive-laps 10]

Prints the recording's make-up and a Markdown table. CPU only; ~8 min on 2 shared cores.
"""

import argparse
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHANGE_WITHIN_M = 3.0
TRACKS = ("two_lane", "two_lane_hook")
CAR_SETTINGS = """
SIM_REALTIME = False
SIM_TRACK = "two_lane"
SIM_EXPERT_LANE = "switch"
TRAIN_BEHAVIORS = True
AUTO_CREATE_NEW_TUB = True
WEB_CONTROL_PORT = 0
"""


def lane_changes(commands: list[int], ctes: list[float], xs: list[float], ys: list[float],
                 within_m: float = CHANGE_WITHIN_M) -> tuple[int, int, list[bool]]:
    """(changes commanded, changes completed within `within_m` metres of travel, the steps of
    each change's window): completed when the car is on the new lane's side of the centre
    line (left lane: cte > 0); the window runs from the command to completion, or `within_m`."""
    commanded = completed = 0
    changing = [False] * len(commands)
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
            changing[later] = True
    return commanded, completed, changing


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def record(car: Path, laps: int, start_lane: str, seed: int) -> Path:
    out = run([sys.executable, "manage.py", "drive", "--set", f"SIM_LAPS={laps}",
               "--set", f"SIM_EXPERT_START_LANE={start_lane}", "--set", f"SIM_SEED={seed}"], car)
    return Path(re.search(r"^recorded \d+ records into (\S+)", out, re.M)[1])


def recording_makeup(tubs: list[Path]) -> str:
    """Records, transitions, and the share of records settled in each lane / changing."""
    from burro.tub import Tub

    records = transitions = changing = 0
    settled = [0, 0]
    for tub in tubs:
        previous = None
        for r in Tub(tub):
            records += 1
            state, cte = r["behavior/state"], r["pos/cte"]
            transitions += previous is not None and state != previous
            previous = state
            lane_cte = 0.35 if state == 0 else -0.35
            if abs(cte - lane_cte) < 0.12:
                settled[state] += 1
            else:
                changing += 1
    share = [100 * n / records for n in (*settled, changing)]
    return (f"{records} records, {transitions} lane changes; within 0.12 m of the left lane "
            f"{share[0]:.0f} %, of the right lane {share[1]:.0f} %, elsewhere (changing, "
            f"drifting) {share[2]:.0f} %")


def closed_loop(pilot, track: str, laps: int, command_every: float, behaviors: list[str]):
    from burro.sim.evaluate import drive
    from burro.sim.expert import DrivingStyle
    from burro.sim.simulator import SimSettings

    commands: list[int] = []

    def driver(image, one_hot):
        commands.append(int(np.argmax(one_hot)))
        return pilot.run(image, one_hot)

    report = drive(driver, SimSettings(track=track, seed=7), laps, lane="switch",
                   style=DrivingStyle(lane_change_every_s=command_every), behaviors=behaviors)
    path = report.path
    changes, done, changing = lane_changes(commands, path["cte"], path["x"], path["y"])
    in_lane = [c * (1 if s == 0 else -1) > 0 for c, s in zip(path["cte"], commands)]
    settled = [ok for ok, moving in zip(in_lane, changing) if not moving]
    seconds = report.sim_seconds / max(changes, 1)
    return {"track": track, "every": f"{seconds:.1f} s", "laps": f"{report.laps_completed}/{laps}",
            "hold": 100 * float(np.mean(in_lane)), "settled": 100 * float(np.mean(settled)),
            "changes": f"{done}/{changes}", "change_pct": 100 * done / max(changes, 1),
            "off": report.off_track_events, "speed": report.mean_speed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laps", type=int, default=11, help="laps of each recording session")
    parser.add_argument("--change-every", type=float, default=2.0,
                        help="SIM_EXPERT_LANE_CHANGE_EVERY while recording")
    parser.add_argument("--change-speed", type=float, default=1.0,
                        help="SIM_EXPERT_LANE_CHANGE_SPEED (m/s sideways) while recording")
    parser.add_argument("--epochs", type=int, default=15, help="MAX_EPOCHS of the training")
    parser.add_argument("--train-seed", type=int, default=1, help="TRAIN_SEED of the training")
    parser.add_argument("--drive-laps", type=int, default=10, help="laps per track")
    parser.add_argument("--command-every", type=float, nargs="+", default=[4.0, 8.0],
                        help="mean s (after 1 s) between lane commands while the pilot drives; "
                             "one set of drives per value")
    parser.add_argument("--work", help="folder for the car (default: a temporary one)")
    parser.add_argument("--model", help="drive this pilot instead of recording and training")
    args = parser.parse_args()

    from burro.pilots import load

    behaviors = ["Left_Lane", "Right_Lane"]
    if args.model:
        model = Path(args.model)
    else:
        work = Path(args.work or tempfile.mkdtemp(prefix="behavior-bench-"))
        work.mkdir(parents=True, exist_ok=True)
        car = work / "car"
        run([sys.executable, "-m", "burro", "createcar", "--path", str(car), "--template", "sim"],
            work)
        with open(car / "myconfig.py", "a", encoding="utf-8") as myconfig:
            myconfig.write(CAR_SETTINGS + f"SIM_EXPERT_LANE_CHANGE_EVERY = {args.change_every}\n"
                           f"SIM_EXPERT_LANE_CHANGE_SPEED = {args.change_speed}\n")
        started = time.perf_counter()
        tubs = [record(car, args.laps, "left", 1), record(car, args.laps, "right", 2)]
        record_s = time.perf_counter() - started
        print(f"recorded through manage.py drive in {record_s:.0f} s: {recording_makeup(tubs)}")
        started = time.perf_counter()
        out = run([sys.executable, "manage.py", "train", "--type", "behavior",
                   "--tub", *map(str, tubs), "--model", "models/beh.keras",
                   "--set", f"MAX_EPOCHS={args.epochs}", "--set", "CREATE_ONNX=False",
                   "--set", "SHOW_PLOT=False", "--set", "VERBOSE_TRAIN=False",
                   "--set", "PRINT_MODEL_SUMMARY=False", "--set", f"TRAIN_SEED={args.train_seed}"], car)
        train_s = time.perf_counter() - started
        summary = [line.strip() for line in out.splitlines() if line.strip().startswith("epochs")]
        print(f"trained in {train_s:.0f} s: {summary[-1] if summary else out[-300:]}")
        model = car / "models" / "beh.tflite"
    pilot = load(model)

    rows = [closed_loop(pilot, track, args.drive_laps, every, behaviors)
            for every in args.command_every for track in TRACKS]
    print()
    print("| track | a command every | laps | in commanded lane | same, settled | lane changes "
          f"within {CHANGE_WITHIN_M:g} m | off-track events | mean speed |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['track']} | {row['every']} | {row['laps']} | {row['hold']:.1f} % | "
              f"{row['settled']:.1f} % "
              f"| {row['changes']} ({row['change_pct']:.0f} %) | {row['off']} | "
              f"{row['speed']:.2f} m/s |")


if __name__ == "__main__":
    main()
