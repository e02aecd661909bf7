"""Parts written as a Donkey Car user writes them (plain classes, no burro import); the tests
copy this file into a car folder as myparts.py and add the parts in its manage.py."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


class ThrottleLog:
    """Remembers the throttle the drivetrain got at every tick; writes it at shutdown."""

    def __init__(self):
        self.throttles = {}

    def run(self, tick, throttle):
        self.throttles[tick] = throttle

    def shutdown(self):
        with open(os.path.join(HERE, "throttle_log.json"), "w") as f:
            json.dump(self.throttles, f)


class StallingCamera:
    """Between two ticks, hands on the frame of the tick before instead of the new ones."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.held = None

    def run(self, tick, image, frame_time):
        if self.start <= tick < self.end:
            return self.held
        self.held = (image, frame_time)
        return image, frame_time


class FlakyPilot:
    """Drives straight at throttle 0.4, then raises at every tick from `fail_at` on."""

    def __init__(self, fail_at):
        self.fail_at = fail_at

    def run(self, tick, frame_time):
        if tick >= self.fail_at:
            raise RuntimeError("the pilot broke")
        return 0.0, 0.4, frame_time


class ModelSwapper:
    """At one tick, replaces a file with garbage the way rsync does (write, then rename)."""

    def __init__(self, path, at_tick):
        self.path, self.at_tick = path, at_tick

    def run(self, tick):
        if tick == self.at_tick:
            temporary = self.path + ".partial"
            with open(temporary, "wb") as f:
                f.write(b"this is not a pilot" * 100)
            os.replace(temporary, self.path)
