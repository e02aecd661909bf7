"""The web controller under load, side by side with Donkey Car 5.3.0's LocalWebController.

    .venv/bin/python benchmarks/web_bench.py [--seconds 20] [--viewers 10] [--bad 1000]
        [--donkey-venv DIR] [--skip-donkey]

Each scenario starts a fresh car process serving the web controller on a free port, at 20 Hz
with a 160x120 MOCK camera (a new frame every tick), and drives it from this process:

- idle: nobody connected (the CPU baseline);
- viewers: --viewers clients read `/video` (raw sockets, the multipart stream parsed part by
  part: frames received per second and how many were the same JPEG as the one before);
- load (burro only): the viewers, plus a driving WebSocket client sending a new steering value
  every 50 ms (with a random phase), plus a hostile client sending --bad malformed frames
  (not JSON, NaN, wrong types, unknown modes, 5 KiB strings), reconnecting whenever the
  server closes its socket.

burro's car is `burro.car.Car` (the complete template: camera, web controller, throttle filter,
drive mode, fail-safe, MOCK drivetrain, tub writer) plus a probe part after the drivetrain that
notes when each new steering value reaches it; Donkey's is its `LocalWebController` polled by a
plain 20 Hz loop (its `run_threaded(img, num_records, mode, recording)`), from Donkey's venv
(made as in benchmarks/donkey_side_by_side.py when missing; nothing of Donkey enters this
repository).

Measured in the car process over the same window: CPU seconds (time.process_time, all threads)
-> CPU per viewer = (viewers - idle) / viewers, in % of one core; loop ticks, late ticks (a
tick starting > 10 % of a period late); command-to-actuator latency = probe time - send time
(both time.monotonic, one machine), p50/p99, and the share of commands applied by the first
tick that started after they were sent. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RATE_HZ = 20
WARMUP_S = 3.0
BOUNDARY = b"--boundarydonotcross"
MALFORMED = [
    "not json", "{", "[1, 2, 3]", '"a string"', "42", "null",
    '{"angle": NaN}', '{"angle": Infinity}', '{"throttle": -Infinity}',
    '{"angle": "left"}', '{"throttle": [0.5]}', '{"angle": 7}', '{"throttle": -1.5}',
    '{"drive_mode": "warp"}', '{"drive_mode": 3}', '{"recording": "yes"}',
    '{"buttons": [1]}', '{"behavior": "x"}', '{"angle": 1e400}',
    '{"pad": "' + "x" * 5000 + '"}',
]


# ----- the parent ------------------------------------------------------------------------------

def main() -> int:
    args = _parse_args()
    if args.child:
        return _child_burro(args) if args.child == "burro" else _child_donkey(args)
    implementations = [("burro", [sys.executable])]
    if not args.skip_donkey:
        from car_bench import _donkey_venv  # this folder: Donkey's venv made the same way

        implementations.append(("Donkey 5.3.0", [str(_donkey_venv(Path(args.donkey_venv)))]))
    rows, load = [], None
    for name, python in implementations:
        child = "burro" if name == "burro" else "donkey"
        idle = _scenario(python, child, args, viewers=0)
        watched = _scenario(python, child, args, viewers=args.viewers)
        rows.append((name, idle, watched))
        if child == "burro":
            load = _scenario(python, child, args, viewers=args.viewers, bad=args.bad, drive=True)
    _print_tables(rows, load, args)
    return 0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window per scenario")
    parser.add_argument("--viewers", type=int, default=10)
    parser.add_argument("--bad", type=int, default=1000, help="malformed frames in the load run")
    parser.add_argument("--donkey-venv", default="/tmp/burro-donkey-bench/venv")
    parser.add_argument("--skip-donkey", action="store_true")
    parser.add_argument("--child", choices=("burro", "donkey"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    return parser.parse_args()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scenario(python: list[str], child: str, args, viewers: int, bad: int = 0,
              drive: bool = False) -> dict:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="burro-web-bench-") as work:
        command = [*python, __file__, "--child", child, "--port", str(port), "--work", work,
                   "--seconds", str(args.seconds)]
        env = dict(os.environ, PYTHONPATH=str(REPO / "src")) if child == "burro" else None
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=env)
        _wait_for_port(port, process)
        stop = threading.Event()
        clients = [_Viewer(port) for _ in range(viewers)]
        threads = [threading.Thread(target=c.read, args=(stop,), daemon=True) for c in clients]
        sent: dict[float, float] = {}
        hostile = {"sent": 0, "closed": 0}
        if drive:
            threads.append(threading.Thread(target=_drive, args=(port, stop, sent), daemon=True))
        if bad:
            threads.append(threading.Thread(target=_hostile, args=(port, stop, bad, hostile),
                                            daemon=True))
        for thread in threads:
            thread.start()
        out, err = process.communicate(timeout=args.seconds + 120)
        stop.set()
        if process.returncode != 0:
            raise SystemExit(f"{child} car failed:\n{err[-3000:]}")
        result = json.loads(out.strip().splitlines()[-1])
    result["viewers"] = [c.summary(args.seconds) for c in clients]
    result["hostile"] = hostile
    if drive:
        result["latency"] = _latency(sent, result.pop("seen"), result.pop("tick_starts"))
    return result


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the car exited early:\n{process.stderr.read()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on port {port}")


class _Viewer:
    """One `/video` client: counts the JPEG parts it receives and repeats of the one before."""

    def __init__(self, port: int):
        self.port = port
        self.frames = 0
        self.repeats = 0
        self.bytes = 0
        self.first: float | None = None
        self.last: float | None = None

    def read(self, stop: threading.Event) -> None:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
                connection.sendall(b"GET /video HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                self._parts(connection.makefile("rb"), stop)
        except OSError:
            pass  # the car process ended

    def _parts(self, stream, stop: threading.Event) -> None:
        previous = None
        _headers(stream)  # the HTTP response's
        while not stop.is_set():
            headers = _headers(stream)
            if headers is None:
                return
            length = int(headers.get(b"content-length", b"0"))
            jpeg = stream.read(length)
            if len(jpeg) < length:
                return
            digest = hashlib.blake2b(jpeg, digest_size=8).digest()
            self.repeats += digest == previous
            previous = digest
            self.frames += 1
            self.bytes += length
            now = time.monotonic()
            self.first = self.first or now
            self.last = now

    def summary(self, seconds: float) -> dict:
        span = (self.last - self.first) if self.first and self.last else 0.0
        return {"frames": self.frames, "repeats": self.repeats,
                "fps": (self.frames - 1) / span if span > 0 else 0.0,
                "kb_per_s": self.bytes / 1000 / span if span > 0 else 0.0}


def _headers(stream) -> dict[bytes, bytes] | None:
    """The next block of header lines (skipping a boundary line and blank lines)."""
    headers: dict[bytes, bytes] = {}
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            if headers:
                return headers
            continue
        if line.startswith(BOUNDARY) or line.startswith(b"HTTP/"):
            if line.startswith(b"HTTP/"):
                headers[b"status"] = line
            continue
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()


def _drive(port: int, stop: threading.Event, sent: dict[float, float]) -> None:
    """Send a new steering value every ~50 ms (random phase); note each one's send time."""
    from tornado.websocket import websocket_connect

    async def run() -> None:
        connection = await websocket_connect(f"ws://127.0.0.1:{port}/wsDrive")
        k = 0
        while not stop.is_set():
            angle = round(-0.9 + (k % 1800) / 1000, 3)
            sent[angle] = time.monotonic()
            await connection.write_message(json.dumps({"angle": angle, "throttle": 0.0,
                                                       "drive_mode": "user"}))
            k += 1
            await asyncio.sleep(0.05 * random.uniform(0.6, 1.4))
        connection.close()

    try:
        asyncio.run(run())
    except Exception as error:  # noqa: BLE001 - the car process ended under us
        print(f"driver client stopped: {error!r}", file=sys.stderr)


def _hostile(port: int, stop: threading.Event, count: int, tally: dict) -> None:
    """Send `count` malformed frames, about 100 per second, reconnecting when closed."""
    from tornado.websocket import websocket_connect

    async def drain(connection) -> None:
        while await connection.read_message() is not None:
            pass  # the server's {"error": ...} answers; None = it closed the socket

    async def run() -> None:
        connection, reader = None, None
        while tally["sent"] < count and not stop.is_set():
            if connection is None:
                connection = await websocket_connect(f"ws://127.0.0.1:{port}/wsDrive")
                reader = asyncio.ensure_future(drain(connection))
            try:
                await connection.write_message(MALFORMED[tally["sent"] % len(MALFORMED)])
                tally["sent"] += 1
            except Exception:  # noqa: BLE001 - closed while writing: the reader sees it too
                await reader
            await asyncio.sleep(0.01)
            if reader.done():  # closed by the server: reconnect
                tally["closed"] += 1
                connection = None

    try:
        asyncio.run(run())
    except Exception as error:  # noqa: BLE001
        print(f"hostile client stopped: {error!r}", file=sys.stderr)


def _latency(sent: dict[float, float], seen: list[list[float]], tick_starts: list[float]) -> dict:
    """Send → probe latency per command, and whether the first tick after sending applied it."""
    import bisect

    seen_at = {angle: t for angle, t in seen}
    latencies, first_tick = [], 0
    for angle, t_sent in sent.items():
        t_seen = seen_at.get(angle)
        if t_seen is None or t_seen < t_sent:
            continue
        latencies.append(1000 * (t_seen - t_sent))
        next_tick = bisect.bisect_right(tick_starts, t_sent)
        following = tick_starts[next_tick + 1] if next_tick + 1 < len(tick_starts) else 1e18
        first_tick += t_seen < following
    if not latencies:
        return {"commands": 0}
    latencies.sort()
    return {"commands": len(latencies), "sent": len(sent),
            "p50_ms": statistics.median(latencies),
            "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "max_ms": latencies[-1], "first_tick_pct": 100 * first_tick / len(latencies)}


def _print_tables(rows, load, args) -> None:
    print(f"web controller, {RATE_HZ} Hz loop, 160x120 frames, {args.seconds:g} s per scenario, "
          f"{os.cpu_count()} CPUs\n")
    print("| server | CPU idle (% of a core) | CPU with "
          f"{args.viewers} viewers | CPU per viewer | frames/s per viewer | repeated frames "
          "| kB/s per viewer | late ticks (viewers) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, idle, watched in rows:
        cpu_idle = 100 * idle["cpu_s"] / idle["window_s"]
        cpu_watch = 100 * watched["cpu_s"] / watched["window_s"]
        per_viewer = (cpu_watch - cpu_idle) / max(1, args.viewers)
        fps = statistics.mean(v["fps"] for v in watched["viewers"]) if watched["viewers"] else 0
        frames = sum(v["frames"] for v in watched["viewers"])
        repeats = sum(v["repeats"] for v in watched["viewers"])
        kbs = statistics.mean(v["kb_per_s"] for v in watched["viewers"]) if watched["viewers"] else 0
        late = _late(watched)
        print(f"| {name} | {cpu_idle:.1f} % | {cpu_watch:.1f} % | {per_viewer:.2f} % | "
              f"{fps:.1f} | {100 * repeats / max(1, frames):.1f} % | {kbs:.0f} | {late} |")
    if load is None:
        return
    latency = load["latency"]
    print(f"\nburro under load: {args.viewers} viewers + a driving client + "
          f"{load['hostile']['sent']} malformed frames "
          f"(the server closed the hostile socket {load['hostile']['closed']} times)\n")
    print("| loop ticks | achieved Hz | late ticks | command→actuator p50 | p99 | max "
          "| applied by the next tick | commands |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {load['ticks']} | {load['hz']:.2f} | {_late(load)} | {latency['p50_ms']:.1f} ms "
          f"| {latency['p99_ms']:.1f} ms | {latency['max_ms']:.1f} ms "
          f"| {latency['first_tick_pct']:.1f} % | {latency['commands']} of {latency['sent']} |")


def _late(result: dict) -> str:
    return f"{result['late']} ({100 * result['late'] / max(1, result['ticks']):.2f} %)"


# ----- the car processes ------------------------------------------------------------------------

class _Window:
    """CPU seconds of this process between WARMUP_S and the end, and the tick starts."""

    def __init__(self, period: float):
        self.period = period
        self.started = time.monotonic()
        self.cpu_start: float | None = None
        self.window_start = 0.0
        self.tick_starts: list[float] = []
        self.late = 0

    def tick(self, now: float) -> None:
        if self.cpu_start is None and now - self.started >= WARMUP_S:
            self.cpu_start, self.window_start = time.process_time(), now
        if self.cpu_start is None:
            return
        if self.tick_starts and now - self.tick_starts[-1] > self.period * 1.1:
            self.late += 1
        self.tick_starts.append(now)

    def result(self) -> dict:
        end = time.monotonic()
        ticks = len(self.tick_starts)
        span = self.tick_starts[-1] - self.tick_starts[0] if ticks > 1 else 0.0
        return {"cpu_s": time.process_time() - (self.cpu_start or 0.0),
                "window_s": end - self.window_start, "ticks": ticks, "late": self.late,
                "hz": (ticks - 1) / span if span > 0 else 0.0, "tick_starts": self.tick_starts}


def _child_burro(args) -> int:
    from burro.car import Car
    from burro.config import load_config

    overrides = [f"WEB_CONTROL_PORT={args.port}", "WEB_BIND_ADDRESS='127.0.0.1'",
                 "CAMERA_TYPE='MOCK'", "DRIVE_TRAIN_TYPE='MOCK'", "IMAGE_W=160", "IMAGE_H=120",
                 f"DRIVE_LOOP_HZ={RATE_HZ}",
                 f"MAX_LOOPS={int((WARMUP_S + args.seconds) * RATE_HZ)}"]
    cfg = load_config(args.work, None, overrides)
    car = Car(cfg)
    window = _Window(1.0 / RATE_HZ)
    probe = _Probe(window)
    car.add_camera()
    car.add_user()
    car.add_pilot()
    car.add_drive_mode()
    car.add_drivetrain()
    car.vehicle.add(probe, inputs=["angle", "loop/time"], name="Probe")
    car.add_recording()
    sys.stdout = sys.stderr  # the start-up and shutdown lines; the result goes to stdout
    car.start()
    sys.stdout = sys.__stdout__
    result = window.result()
    stats = car.vehicle.loop_stats  # burro's own count of late ticks replaces the probe's
    result.update(ticks=stats.ticks, late=stats.late, hz=stats.achieved_hz())
    result["seen"] = probe.seen
    print(json.dumps(result))
    return 0


class _Probe:
    """After the drivetrain: when a new steering value arrives there, and each tick's start."""

    def __init__(self, window: _Window):
        self.window = window
        self.seen: list[list[float]] = []
        self.last = None

    def run(self, angle, tick_start) -> None:
        now = time.monotonic()
        self.window.tick(tick_start)  # RealClock: loop/time is time.monotonic()
        if angle != self.last and angle is not None:
            self.seen.append([round(float(angle), 3), now])
            self.last = angle


def _child_donkey(args) -> int:
    import numpy as np
    from donkeycar.parts.web_controller.web import LocalWebController

    controller = LocalWebController(port=args.port, mode="user")
    threading.Thread(target=controller.update, daemon=True).start()
    frame = np.zeros((120, 160, 3), dtype=np.uint8)
    frame[:, :, 0] = np.arange(160, dtype=np.uint8)[None, :]
    period = 1.0 / RATE_HZ
    window = _Window(period)
    next_tick = time.monotonic()
    for tick in range(int((WARMUP_S + args.seconds) * RATE_HZ)):
        now = time.monotonic()
        window.tick(now)
        frame = np.roll(frame, 2, axis=1)  # a new frame every tick, as the MOCK camera's
        controller.run_threaded(frame, tick, "user", False)
        next_tick += period
        time.sleep(max(0.0, next_tick - time.monotonic()))
    result = window.result()
    result.pop("tick_starts")
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # Donkey's server thread has no stop


if __name__ == "__main__":
    sys.exit(main())
