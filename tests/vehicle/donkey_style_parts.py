"""Parts written exactly as a Donkey Car user writes them: plain classes, no burro imports
(test_donkey_part.py checks that this file imports nothing from burro)."""

import time


class Doubler:
    def run(self, value):
        if value is None:
            return None
        return value * 2


class SteeringAndThrottle:
    def __init__(self):
        self.calls = 0

    def run(self, angle):
        self.calls += 1
        return angle, 0.5

    def shutdown(self):
        self.calls = -1


class ThreadedCounter:
    def __init__(self):
        self.on = True
        self.count = 0
        self.shut = False

    def update(self):
        while self.on:
            self.count += 1
            time.sleep(0.002)

    def run_threaded(self):
        return self.count

    def shutdown(self):
        self.on = False
        self.shut = True
