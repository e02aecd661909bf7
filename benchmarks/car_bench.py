"""Car runtime side by side: Donkey Car 5.3.0's `complete` template vs burro's Vehicle, then the
simulated car at full speed.

    .venv/bin/python benchmarks/car_bench.py [--ticks 6000] [--sim-ticks 2000] [--work DIR]
        [--donkey-venv DIR] [--skip-donkey]

Both cars drive a MOCK camera and a MOCK drivetrain with a `linear` .tflite pilot of the same
network (817,028 parameters) in full-auto `local` mode, recording every tick into a tub, at
20 Hz for --ticks ticks, one after the other (never at the same time):

- Donkey: its own `manage.py drive --model models/pilot.tflite --type tflite_linear` in a car
  made by `donkey createcar --template complete`, with a myconfig.py setting CAMERA_TYPE,
  DRIVE_TRAIN_TYPE = "MOCK", MAX_LOOPS, WEB_INIT_MODE = "local", RECORD_DURING_AI = True,
  USE_JOYSTICK_AS_DEFAULT = False. Its web server starts as always; recording is switched on
  the way its web page does it (a websocket message {"recording": true}). Its pilot is trained
  by Donkey (1 epoch on a copy of the test tub) and converted by Donkey's CREATE_TF_LITE.
- burro: `drive_burro()` below, the same parts in the complete template's order, driving a
  burro pilot trained 1 epoch on the same tub copy.

Each car runs in its own process; a probe wraps the loop's per-tick function (Donkey's
`Vehicle.update_parts`, burro's `Vehicle._tick`) and notes when each tick starts and ends.
Measured: start-up (process start -> first tick starts), work per tick p50/p99, late ticks
(a tick starting more than 10 % of a period after the previous start + one period), achieved
rate, peak RSS (VmHWM from /proc/self/status at the end), CPU used and the load from other
processes. Donkey's venv is made as in benchmarks/donkey_side_by_side.py when missing; nothing
of Donkey enters this repository. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TUB = next((p / "shared" / "data" / "donkey-test-tub" for p in REPO.parents
                    if (p / "shared" / "data" / "donkey-test-tub").is_dir()),
                   REPO.parent / "shared" / "data" / "donkey-test-tub")
DONKEY_PACKAGES = ["donkeycar[pc]==5.3.0", "opencv-python-headless<4.12", "pandas<3.1"]
LATE_FRACTION = 0.1


# ----- the parent: prepare, run both cars one after the other, print -------------------------

def main() -> int:
    args = _parse_args()
    if args.child:
        return _child(args)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    tub = _tub_copy(work, Path(args.tub))
    results = []
    if not args.skip_donkey:
        python = _donkey_venv(Path(args.donkey_venv))
        car = _donkey_car(work, python)
        model = _donkey_pilot(car, python, tub)
        results.append(_measure("Donkey 5.3.0", _donkey_command(python, car, model, args),
                                car, args, _donkey_after_start(car, args)))
    model = _burro_pilot(work, tub)
    results.append(_measure("burro", _burro_command(work, model, args), REPO, args, None))
    _print_table(results, args)
    if args.sim_ticks:
        _print_sim(args.sim_ticks)
    return 0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ticks", type=int, default=6000, help="ticks per car (MAX_LOOPS)")
    parser.add_argument("--rate-hz", type=int, default=20)
    parser.add_argument("--sim-ticks", type=int, default=2000,
                        help="ticks of the simulated car at full speed (0: skip)")
    parser.add_argument("--work", default="/tmp/burro-car-bench",
                        help="folder for the cars, the tub copy, the pilots and the recordings")
    parser.add_argument("--donkey-venv", default="/tmp/burro-donkey-bench/venv")
    parser.add_argument("--tub", default=str(DEFAULT_TUB))
    parser.add_argument("--skip-donkey", action="store_true")
    parser.add_argument("--pilot-threads", type=int, default=0,
                        help="burro's pilot num_threads (0: burro's default, min(4, CPUs))")
    parser.add_argument("--port", type=int, default=0, help="Donkey's web port (0: a free one)")
    # the child process (one car): internal
    parser.add_argument("--child", choices=("donkey", "burro"), help=argparse.SUPPRESS)
    parser.add_argument("--car", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.port:
        args.port = _free_port()
    return args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(command: list[str], cwd: Path, what: str) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    if done.returncode:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise SystemExit(f"{what} failed ({done.returncode}):\n{tail}")


def _tub_copy(work: Path, tub: Path) -> Path:
    copy = work / "tub"
    if not copy.exists():
        shutil.copytree(tub, copy)
    return copy


def _donkey_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not (venv / "bin" / "donkey").exists():
        print(f"installing {DONKEY_PACKAGES[0]} into {venv} (a few minutes) ...", file=sys.stderr)
        subprocess.run(["python3.11", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *DONKEY_PACKAGES], check=True)
    return python


def _donkey_car(work: Path, python: Path) -> Path:
    car = work / "donkey-car"
    if not (car / "manage.py").exists():
        _run([str(python.parent / "donkey"), "createcar", "--path", str(car),
              "--template", "complete"], work, "donkey createcar")
    return car


def _donkey_pilot(car: Path, python: Path, tub: Path) -> Path:
    """A `linear` pilot trained by Donkey (1 epoch), as .tflite (Donkey's CREATE_TF_LITE)."""
    model = car / "models" / "pilot.tflite"
    if not model.exists():
        (car / "myconfig.py").write_text("MAX_EPOCHS = 1\nCREATE_TF_LITE = True\n"
                                         "SHOW_PLOT = False\n")
        print("training the Donkey pilot (1 epoch) ...", file=sys.stderr)
        _run([str(python.parent / "donkey"), "train", "--tub", str(tub), "--model",
              str(model.with_suffix(".h5")), "--type", "linear"], car, "donkey train")
    return model


def _burro_pilot(work: Path, tub: Path) -> Path:
    """A `linear` pilot trained by burro (1 epoch) on the same tub, as .tflite."""
    model = work / "burro-models" / "pilot.tflite"
    if not model.exists():
        print("training the burro pilot (1 epoch) ...", file=sys.stderr)
        _run([sys.executable, "-m", "burro", "train", "--tub", str(tub), "--model",
              str(model.with_suffix(".keras")), "--type", "linear", "--car", str(work),
              "--set", "MAX_EPOCHS=1", "--set", "SHOW_PLOT=False",
              "--set", "CREATE_ONNX=False"], REPO, "burro train")
    return model


def _donkey_command(python: Path, car: Path, model: Path, args) -> list[str]:
    data = car / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    (car / "myconfig.py").write_text(
        'CAMERA_TYPE = "MOCK"\nDRIVE_TRAIN_TYPE = "MOCK"\n'
        f"MAX_LOOPS = {args.ticks}\nDRIVE_LOOP_HZ = {args.rate_hz}\n"
        f'WEB_INIT_MODE = "local"\nWEB_CONTROL_PORT = {args.port}\n'
        "USE_JOYSTICK_AS_DEFAULT = False\nRECORD_DURING_AI = True\n")
    return [str(python), str(Path(__file__).resolve()), "--child", "donkey", "--car", str(car),
            "--model", str(model)]


def _donkey_after_start(car: Path, args):
    """Switch recording on as Donkey's web page does, once its web server listens."""
    def switch_recording_on(deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                _websocket_send(args.port, "/wsDrive",
                                json.dumps({"drive_mode": "local", "recording": True}))
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("Donkey's web server did not answer: recording could not be switched on")
    return switch_recording_on


def _websocket_send(port: int, path: str, text: str) -> None:
    """One text message over a minimal client websocket (RFC 6455), then close."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        if b" 101 " not in s.recv(4096).split(b"\r\n", 1)[0] + b" ":
            raise OSError("no websocket upgrade")
        payload, mask = text.encode(), os.urandom(4)
        assert len(payload) < 126
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
        s.sendall(bytes([0x88, 0x80]) + os.urandom(4))  # close
        time.sleep(0.2)


def _burro_command(work: Path, model: Path, args) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", "burro",
            "--car", str(work / "burro-car"), "--model", str(model),
            "--ticks", str(args.ticks), "--rate-hz", str(args.rate_hz),
            "--pilot-threads", str(args.pilot_threads)]


def _busy_seconds() -> float:
    """CPU seconds the whole machine was busy since boot (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def _measure(tool: str, command: list[str], cwd: Path, args, after_start) -> dict:
    result = Path(args.work) / f"result-{tool.split()[0].lower()}.json"
    result.unlink(missing_ok=True)
    command = [*command, "--result", str(result)]
    load_before, busy_before = os.getloadavg()[0], _busy_seconds()
    print(f"running {tool}: {args.ticks} ticks at {args.rate_hz} Hz ...", file=sys.stderr)
    started = time.monotonic()
    log = Path(args.work) / f"log-{tool.split()[0].lower()}.txt"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
        if after_start is not None:
            after_start(started + 120)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    if status != 0 or not result.exists():
        tail = "\n".join(log.read_text().splitlines()[-20:])
        raise SystemExit(f"{tool} failed ({status}):\n{tail}")
    data = json.loads(result.read_text())
    cpu = usage.ru_utime + usage.ru_stime
    data.update(tool=tool, process_started=started, wall=wall, cpu=cpu,
                load_before=load_before, load_after=os.getloadavg()[0],
                other_cores=max(0.0, (_busy_seconds() - busy_before - cpu) / wall),
                maxrss_kb=usage.ru_maxrss, log=str(log))
    return data


def _stats(run: dict, rate_hz: int) -> dict:
    starts, ends = run["starts"], run["ends"]
    period = 1.0 / rate_hz
    work = sorted(e - s for s, e in zip(starts, ends))
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    late = sum(gap > period * (1 + LATE_FRACTION) for gap in gaps)
    first_tick_at = starts[0] - run["process_started"]
    return {
        "ticks": len(starts),
        "startup": first_tick_at,
        "p50": 1000 * _percentile(work, 50), "p99": 1000 * _percentile(work, 99),
        "max": 1000 * work[-1],
        "late": late, "late_pct": 100 * late / max(1, len(gaps)),
        "hz": (len(starts) - 1) / (starts[-1] - starts[0]) if len(starts) > 1 else 0.0,
        "hwm_mib": run["vm_hwm_kb"] / 1024,
        "cpu_per_tick_ms": 1000 * run["cpu"] / len(starts),
        "cpu_cores": run["cpu"] / run["wall"],
    }


def _percentile(ordered: list[float], q: float) -> float:
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _print_table(results: list[dict], args) -> None:
    stats = [_stats(run, args.rate_hz) for run in results]
    rows = [
        ("ticks run", lambda s, r: f"{s['ticks']}"),
        ("**start-up: process start → first tick, s**", lambda s, r: f"{s['startup']:.2f}"),
        ("work per tick p50 / p99 / max, ms",
         lambda s, r: f"{s['p50']:.2f} / {s['p99']:.2f} / {s['max']:.1f}"),
        ("late ticks (start > 10 % of a period late)",
         lambda s, r: f"{s['late']} ({s['late_pct']:.2f} %)"),
        ("achieved rate, Hz", lambda s, r: f"{s['hz']:.3f}"),
        ("**peak RSS (VmHWM), MiB**", lambda s, r: f"{s['hwm_mib']:.0f}"),
        ("CPU per tick (whole process, start-up included), ms",
         lambda s, r: f"{s['cpu_per_tick_ms']:.2f}"),
        ("records in the tub", lambda s, r: f"{r['records']}"),
        ("load average before → after / other processes, cores",
         lambda s, r: f"{r['load_before']:.2f} → {r['load_after']:.2f} / "
                      f"{r['other_cores']:.2f}"),
    ]
    print(f"\n{args.ticks} ticks at {args.rate_hz} Hz, MOCK camera and drivetrain, linear "
          ".tflite pilot, recording\n")
    print("| | " + " | ".join(r["tool"] for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name, cell in rows:
        print(f"| {name} | " + " | ".join(cell(s, r) for s, r in zip(stats, results)) + " |")
    if len(results) == 2:
        donkey, burro = stats
        print(f"\nburro / Donkey: start-up {burro['startup'] / donkey['startup']:.2f}, "
              f"work p99 {burro['p99'] / donkey['p99']:.2f}, "
              f"peak RSS {burro['hwm_mib'] / donkey['hwm_mib']:.2f}")
    for run in results:
        if run.get("burro_loop"):
            print(f"burro's own loop line: {run['burro_loop']}")
    print(f"logs: {', '.join(r['log'] for r in results)}")


# ----- the simulated car at full speed ------------------------------------------------------

def sim_vehicle(recording: bool, data_path: Path | None = None):
    """The sim car (DONKEY_GYM, SIM_REALTIME = False): SIM camera, the expert as the user,
    DriveMode, SIM drivetrain [, TubWriter], on a SimulatedClock."""
    from burro.config import default_config
    from burro.parts import PARTS
    from burro.parts.cameras import CAMERAS
    from burro.parts.drivetrains import DRIVETRAINS
    from burro.vehicle import SimulatedClock, Vehicle

    cfg = default_config()
    cfg.DONKEY_GYM, cfg.SIM_REALTIME = True, False
    if data_path is not None:
        cfg.CAR_PATH, cfg.DATA_PATH = str(data_path.parent), data_path.name
    v = Vehicle(SimulatedClock())
    camera = CAMERAS.get("SIM")(cfg)
    v.add(camera, inputs=camera.inputs, outputs=camera.outputs)
    expert = PARTS.get("SimExpert")(cfg)
    v.add(expert, outputs=expert.outputs)
    v.add(PARTS.get("DriveMode").from_config(cfg),
          inputs=["user/mode", "user/angle", "user/throttle", "pilot/angle", "pilot/throttle"],
          outputs=["angle", "throttle"])
    v.add(DRIVETRAINS.get("SIM")(cfg), inputs=["angle", "throttle"])
    if recording:
        writer = PARTS.get("TubWriter").from_config(cfg)
        v.add(writer, inputs=writer.inputs, outputs=writer.outputs)
    return v


def _print_sim(ticks: int) -> None:
    import contextlib
    import io
    import logging
    import tempfile

    logging.disable(logging.INFO)
    print(f"\nSimulated car at full speed (SimulatedClock, {ticks} ticks, expert driving)\n")
    print("| car | ticks/s | × real time at 20 Hz |\n|---|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for recording in (False, True):
            v = sim_vehicle(recording, Path(folder) / "data" if recording else None)
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # the session's drive summary
                v.start(rate_hz=20, max_loop_count=ticks)
            rate = ticks / (time.perf_counter() - started)
            name = "SIM camera + expert + DriveMode + SIM drivetrain" + (
                " + TubWriter" if recording else "")
            print(f"| {name} | {rate:.0f} | {rate / 20:.1f} |")


# ----- the child: one car in its own process, its loop probed ---------------------------------

class TickProbe:
    """Wraps a per-tick method and notes each tick's start and end (time.monotonic)."""

    def __init__(self, owner: type, method: str):
        self.starts: list[float] = []
        self.ends: list[float] = []
        original = getattr(owner, method)
        starts, ends, now = self.starts, self.ends, time.monotonic

        def probed(*args, **kwargs):
            starts.append(now())
            try:
                return original(*args, **kwargs)
            finally:
                ends.append(now())

        setattr(owner, method, probed)

    def write(self, path: str, **extra) -> None:
        status = Path("/proc/self/status").read_text()
        hwm = next(int(line.split()[1]) for line in status.splitlines()
                   if line.startswith("VmHWM:"))
        Path(path).write_text(json.dumps({"starts": self.starts, "ends": self.ends,
                                          "vm_hwm_kb": hwm, **extra}))


def _child(args) -> int:
    if args.child == "donkey":
        return _donkey_child(args)
    from burro.vehicle.vehicle import Vehicle

    probe = TickProbe(Vehicle, "_tick")
    vehicle, records = drive_burro(Path(args.car), Path(args.model), args.ticks, args.rate_hz,
                                   args.pilot_threads)
    probe.write(args.result, records=records(), burro_loop=vehicle.summary_lines()[-1])
    return 0


def _donkey_child(args) -> int:
    import runpy

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
    os.chdir(args.car)
    sys.path.insert(0, args.car)
    from donkeycar.vehicle import Vehicle

    probe = TickProbe(Vehicle, "update_parts")
    sys.argv = ["manage.py", "drive", "--model", args.model, "--type", "tflite_linear"]
    runpy.run_path("manage.py", run_name="__main__")
    catalogs = Path(args.car, "data").glob("catalog_*.catalog")
    records = sum(len(c.read_text().splitlines()) for c in catalogs)
    probe.write(args.result, records=records)
    return 0


def drive_burro(car: Path, model: Path, ticks: int, rate_hz: int, pilot_threads: int = 0):
    """burro's car for the comparison: the complete template's parts with a MOCK camera and
    drivetrain, the pilot driving in `local` mode, every tick recorded (RECORD_DURING_AI).
    Returns the Vehicle after the drive and a function counting the tub's records.
    (When `burro createcar` / `manage.py drive` exist, this is what to swap for them.)"""
    import logging

    from burro.config import default_config
    from burro.parts import PARTS
    from burro.parts.cameras import CAMERAS
    from burro.parts.drivetrains import DRIVETRAINS
    from burro.vehicle import Vehicle

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    shutil.rmtree(car / "data", ignore_errors=True)
    cfg = default_config()
    cfg.CAR_PATH, cfg.DATA_PATH = str(car), "data"
    cfg.CAMERA_TYPE = cfg.DRIVE_TRAIN_TYPE = "MOCK"
    cfg.MOCK_CAMERA_MOVING = False  # Donkey's MOCK camera gives one fixed frame too
    cfg.RECORD_DURING_AI, cfg.DRIVE_LOOP_HZ, cfg.MAX_LOOPS = True, rate_hz, ticks

    v = Vehicle()
    camera = CAMERAS.get("MOCK")(cfg)
    v.add(camera, inputs=camera.inputs, outputs=camera.outputs)
    v.add(PilotUser(), outputs=["user/angle", "user/throttle", "user/mode", "recording"])
    v.add(RunPilot(), inputs=["user/mode"], outputs=["run_pilot"])
    v.add(PARTS.get("ThrottleFilter")(), inputs=["user/throttle"], outputs=["user/throttle"])
    pilot = PARTS.get("Pilot")(model, **({"num_threads": pilot_threads} if pilot_threads else {}))
    print(pilot.startup_line())
    v.add(pilot, inputs=["cam/image_array", "cam/frame_time", "loop/time"],
          outputs=["pilot/angle", "pilot/throttle", "pilot/frame_time"], run_condition="run_pilot")
    v.add(PARTS.get("AiLaunch").from_config(cfg), inputs=["user/mode", "pilot/throttle",
                                                          "loop/time"],
          outputs=["pilot/throttle"])
    v.add(PARTS.get("DriveMode").from_config(cfg),
          inputs=["user/mode", "user/angle", "user/throttle", "pilot/angle", "pilot/throttle"],
          outputs=["angle", "throttle"])
    v.add(PARTS.get("FailSafe").from_config(cfg),
          inputs=["angle", "throttle", "user/mode", "cam/frame_time", "pilot/frame_time",
                  "loop/time"], outputs=["angle", "throttle"])
    v.add(DRIVETRAINS.get("MOCK")(cfg), inputs=["angle", "throttle"])
    v.add(PARTS.get("RecordingControl").from_config(cfg),
          inputs=["user/mode", "user/throttle", "recording"], outputs=["recording"])
    writer = PARTS.get("TubWriter").from_config(cfg)
    v.add(writer, inputs=writer.inputs, outputs=writer.outputs, threaded=writer.threaded)
    print("\n".join(v.describe_lines()))
    v.start(rate_hz=cfg.DRIVE_LOOP_HZ, max_loop_count=cfg.MAX_LOOPS)
    print("\n".join(v.summary_lines()))
    return v, lambda: writer.written


class PilotUser:
    """The user of this benchmark: chose `local` and pressed record, then let the pilot drive
    (what the websocket message does for Donkey's web controller)."""

    def run(self):
        return 0.0, 0.0, "local", True


class RunPilot:
    """`run_pilot` is true outside `user` mode (Donkey's UserPilotCondition)."""

    def run(self, mode):
        return mode != "user"


if __name__ == "__main__":
    sys.exit(main())
