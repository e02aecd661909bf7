"""DRIVE_TRAIN_TYPE "SIM": the built-in simulator's car (used whenever DONKEY_GYM = True)."""

from burro.parts.drivetrains import DRIVETRAINS
from burro.parts.sim_car import acquire, release


@DRIVETRAINS.register("SIM")
class SimDrivetrain:
    """Drives the simulated car: applies (angle, throttle) and advances the physics by one
    loop period (1 / DRIVE_LOOP_HZ), so it runs last of the parts that decide the command.

    Inputs: angle, throttle (None or non-finite → 0). Outputs: none. The car is the one the
    SIM camera built from the same config shows; control latency is SIM_ARTIFICIAL_LATENCY.
    `summary()` is the drive so far (laps, off-track events, |cte|, speed); shutdown prints it
    once the last SIM part is shut down.
    """

    inputs = ("angle", "throttle")
    outputs = ()
    shutdown_first = True  # neutral within one tick of a stop (docs/vehicle.md)

    def __init__(self, cfg):
        self.session = acquire(cfg)
        self._released = False

    def run(self, angle=None, throttle=None) -> None:
        self.session.step(angle, throttle)

    run_threaded = run

    def update(self) -> None:
        """Nothing to poll: the physics steps on the loop's thread."""

    def summary(self) -> str:
        return self.session.summary()

    def shutdown(self) -> None:
        if not self._released:
            self._released = True
            release(self.session)
