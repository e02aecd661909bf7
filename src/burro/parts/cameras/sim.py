"""CAMERA_TYPE "SIM": the built-in simulator's camera (used whenever DONKEY_GYM = True)."""

from burro.parts.cameras import CAMERAS
from burro.parts.sim_car import acquire, release

POSE_OUTPUTS = ("pos/pos_x", "pos/pos_y", "pos/pos_z", "pos/speed", "pos/cte")


@CAMERAS.register("SIM")
class SimCamera:
    """The simulated car's camera frame for its current state (IMAGE_W x IMAGE_H RGB).

    Inputs: loop/time. Outputs: cam/image_array, cam/frame_time (= loop/time), and with
    SIM_RECORD_LOCATION also pos/pos_x, pos/pos_y, pos/pos_z, pos/speed, pos/cte (the pose the
    frame was rendered at). Shares its car with the SIM drivetrain built from the same config.
    Not threaded: the frame must be the one of this tick (`update()` returns at once).
    """

    inputs = ("loop/time",)

    def __init__(self, cfg):
        self.session = acquire(cfg)
        self.with_pose = bool(cfg.SIM_RECORD_LOCATION)
        self.outputs = ("cam/image_array", "cam/frame_time") + (
            POSE_OUTPUTS if self.with_pose else ())
        self._released = False

    def run(self, loop_time=None):
        telemetry = self.session.telemetry
        frame_time = telemetry.time if loop_time is None else loop_time
        if not self.with_pose:
            return telemetry.image, frame_time
        return (telemetry.image, frame_time, telemetry.x, telemetry.y, 0.0, telemetry.speed,
                telemetry.cte)

    run_threaded = run

    def update(self) -> None:
        """Nothing to poll: the simulator renders on the loop's thread."""

    def shutdown(self) -> None:
        if not self._released:
            self._released = True
            release(self.session)
