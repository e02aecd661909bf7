"""A small car for test_signals.py: `python signal_car.py OUT_DIR RATE_HZ`. Writes OUT_DIR/ready
after a few ticks, and on shutdown: actuator.json (the neutral command's time), tub.txt (a
part's shutdown file), result.json (what start() returned, the stop request's time, threads)."""

import json
import sys
import threading
import time
from pathlib import Path

from burro.vehicle import RealClock, Vehicle

out, rate = Path(sys.argv[1]), float(sys.argv[2])


class Ready:
    def run(self, tick):
        if tick == 2:
            (out / "ready").write_text("ready")


class Camera:
    def __init__(self):
        self.on, self.frame = True, 0

    def update(self):
        while self.on:
            self.frame += 1
            time.sleep(0.005)

    def run_threaded(self):
        return self.frame

    def shutdown(self):
        self.on = False


class Actuator:
    shutdown_first = True

    def run(self, frame):
        self.throttle = 0.3

    def shutdown(self):
        self.throttle = 0.0
        (out / "actuator.json").write_text(json.dumps({"neutral_at": time.monotonic()}))


class BrokenShutdown:
    def run(self):
        return None

    def shutdown(self):
        raise RuntimeError("cannot close")


class Tub:
    def run(self, frame):
        self.last = frame

    def shutdown(self):
        time.sleep(0.15)  # closing takes a while: the actuator must not wait for it
        (out / "tub.txt").write_text(f"closed after frame {self.last}")


V = Vehicle(RealClock())
V.add(Camera(), outputs=["cam/image_array"], threaded=True)
V.add(Ready(), inputs=["loop/tick"])
V.add(Actuator(), inputs=["cam/image_array"])
V.add(BrokenShutdown())
V.add(Tub(), inputs=["cam/image_array"])
ticks, seconds = V.start(rate_hz=rate)
print("\n".join(V.summary_lines()))
(out / "result.json").write_text(json.dumps({
    "ticks": ticks, "reason": V.stop_reason, "stop_requested_at": V.stop_requested_at,
    "threads": [t.name for t in threading.enumerate() if t is not threading.main_thread()],
}))
