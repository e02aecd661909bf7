"""The car's vehicle, built stage by stage as Donkey's complete template wires it:
camera → user controller → pilot → launch / drive mode / fail-safe → drivetrain →
recording control → tub writer (docs/parts.md, "Order in the complete template")."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.cameras import CAMERAS
from burro.parts.drivetrains import DRIVETRAINS
from burro.parts.sim_car import end_types, uses_simulated_clock
from burro.vehicle import SimulatedClock, Vehicle

USER_OUTPUTS = ["user/angle", "user/throttle", "user/mode", "recording"]
PILOT_INPUTS = ["cam/image_array", "cam/frame_time", "loop/time"]
PILOT_OUTPUTS = ["pilot/angle", "pilot/throttle", "pilot/frame_time"]
FAILSAFE_INPUTS = ["angle", "throttle", "user/mode", "cam/frame_time", "pilot/frame_time",
                   "loop/time"]
POSE_KEYS = [(key, "float") for key in
             ("pos/pos_x", "pos/pos_y", "pos/pos_z", "pos/speed", "pos/cte")]
BEHAVIOR_KEYS = [("behavior/state", "int"), ("behavior/label", "str"),
                 ("behavior/one_hot_state_array", "vector")]


@dataclass
class DriveOptions:
    """`manage.py drive`'s options."""

    model: str | None = None
    model_type: str | None = None
    js: bool = False
    meta: list[str] = field(default_factory=list)


class Car:
    """The vehicle of one drive and what the start-up and shutdown prints need to know.

    `vehicle` is a `burro.vehicle.Vehicle`; add parts of your own to it between the stages
    with `car.vehicle.add(part, inputs=[...], outputs=[...])`.
    """

    def __init__(self, cfg: Any, options: DriveOptions | None = None, template: str = "complete"):
        self.cfg = cfg
        self.options = options or DriveOptions()
        self.template = template
        clock = SimulatedClock() if uses_simulated_clock(cfg) else None
        self.vehicle = Vehicle(clock=clock)
        self.user: Any = None
        self.web: Any = None  # the LocalWebController, when USE_WEB_CONTROLLER
        self.joystick: Any = None  # the JoystickController, with --js / USE_JOYSTICK_AS_DEFAULT
        self.behavior: Any = None  # the Behavior part, with TRAIN_BEHAVIORS
        self.pilot: Any = None
        self.tub_writer: Any = None

    # -- the stages ---------------------------------------------------------------------
    def add_camera(self) -> None:
        """CAMERAS[CAMERA_TYPE] (SIM with DONKEY_GYM): cam/image_array, cam/frame_time."""
        camera_type, _ = end_types(self.cfg)
        self._add(CAMERAS.get(camera_type, "CAMERA_TYPE")(self.cfg))

    def add_user(self) -> None:
        """The user controllers, the Behavior part, Donkey's ThrottleFilter on the user
        throttle (complete template) and `run_pilot`.

        Controllers: the web controller (USE_WEB_CONTROLLER, as Donkey always adds it), then
        the pad (--js / USE_JOYSTICK_AS_DEFAULT; docs/joystick.md says who wins); neither:
        NeutralUser in WEB_INIT_MODE. With the simulator's expert as the user (SIM_EXPERT_AS_USER)
        SimExpert drives; the page and the pad only watch, switch the behaviour state and stop
        (Stop Car from the page ends the drive). With TRAIN_BEHAVIORS the Behavior part holds
        the state the controllers switch (and the expert follows)."""
        self._add_controllers()
        if self.cfg.TRAIN_BEHAVIORS:
            self.behavior = PARTS.get("Behavior").from_config(self.cfg)
            for controller in self.controllers:
                controller.behavior = self.behavior
        if self.expert_drives:
            self.user = PARTS.get("SimExpert")(self.cfg)
            self.user.behavior = self.behavior
            self._add(self.user)
        elif self.controllers:
            self.user = self.joystick or self.web
        else:
            self.user = PARTS.get("NeutralUser").from_config(self.cfg)
            self._add(self.user, outputs=USER_OUTPUTS)
        if self.behavior is not None:
            self._add(self.behavior)
        if self.template == "complete":
            self._add(PARTS.get("ThrottleFilter")(), inputs=["user/throttle"],
                      outputs=["user/throttle"])
        self._add(PARTS.get("PilotCondition")())

    def _add_controllers(self) -> None:
        """The web controller and the pad; their outputs unwired while the expert drives."""
        from burro.web.telemetry import car_status

        cfg, watching = self.cfg, self.expert_drives
        if cfg.USE_WEB_CONTROLLER:
            self.web = PARTS.get("LocalWebController").from_config(cfg, expert_drives=watching)
            self.web.telemetry = car_status(self)
            if watching:
                self.web.on_stop = self.vehicle.stop
            self._add(self.web, outputs=[] if watching else None)
        if self.joystick_wanted:
            self.joystick = PARTS.get("JoystickController").from_config(cfg)
            self._add(self.joystick, outputs=[] if watching else None)

    def add_pilot(self) -> None:
        """With --model: the pilot (hot reload, --type checked), when `run_pilot`."""
        if not self.options.model:
            return
        self.pilot = PARTS.get("Pilot")(self.model_path(), self.options.model_type,
                                        cfg=self.cfg)
        inputs = PILOT_INPUTS
        transformations = PARTS.get("Transformations").for_pilot(self.cfg, self.pilot)
        if transformations is not None:  # a Donkey pilot: the car config's TRANSFORMATIONS
            self._add(transformations, inputs=["cam/image_array"],
                      outputs=["cam/image_array_trans"], run_condition="run_pilot")
            inputs = ["cam/image_array_trans", *PILOT_INPUTS[1:]]
        self._add(self.pilot, inputs=[*inputs, *self.pilot.extra_inputs], outputs=PILOT_OUTPUTS,
                  run_condition="run_pilot")

    def add_drive_mode(self) -> None:
        """AiLaunch (complete template), DriveMode → angle, throttle; FailSafe on them."""
        cfg = self.cfg
        if self.template == "complete":
            ai_launch = PARTS.get("AiLaunch").from_config(cfg)
            self._add(ai_launch, inputs=["user/mode", "pilot/throttle", "loop/time"],
                      outputs=["pilot/throttle"])
            for controller in self.controllers:
                controller.ai_launch = ai_launch
        self._add(PARTS.get("DriveMode").from_config(cfg),
                  inputs=["user/mode", "user/angle", "user/throttle", "pilot/angle",
                          "pilot/throttle"], outputs=["angle", "throttle"])
        self._add(PARTS.get("FailSafe").from_config(cfg), inputs=FAILSAFE_INPUTS,
                  outputs=["angle", "throttle"])

    def add_drivetrain(self) -> None:
        """DRIVETRAINS[DRIVE_TRAIN_TYPE] (SIM with DONKEY_GYM) on angle, throttle."""
        _, drivetrain_type = end_types(self.cfg)
        drivetrain = DRIVETRAINS.get(drivetrain_type, "DRIVE_TRAIN_TYPE")(self.cfg)
        self._add(drivetrain)
        if self.web is not None:
            self.web.drivetrain = drivetrain  # /calibrate sets its pulses live
        if self.cfg.DONKEY_GYM and self.cfg.SIM_LAPS:
            self._add(PARTS.get("SimLapLimit")(self.cfg, self.vehicle.stop))

    def add_recording(self) -> None:
        """RecordingControl → recording; the TubWriter (a new session per start, --meta)."""
        self._add(PARTS.get("RecordingControl").from_config(self.cfg),
                  inputs=["user/mode", "user/throttle", "recording"], outputs=["recording"])
        inputs, types = zip(*self.recorded_keys())
        self.tub_writer = PARTS.get("TubWriter").from_config(
            self.cfg, self.options.meta, inputs=list(inputs), types=list(types))
        self._add(self.tub_writer)
        for controller in self.controllers:
            controller.erase_last_n = self.tub_writer.erase_last_n
        if self.cfg.HAVE_RGB_LED:
            self.add_status_led()

    def add_status_led(self) -> None:
        """LedStatus (Donkey's LED logic) → RgbLed on three GPIO pins (HAVE_RGB_LED)."""
        self._add(PARTS.get("LedStatus").from_config(
            self.cfg, reloads=lambda: self.pilot.reloads if self.pilot is not None else 0))
        self._add(PARTS.get("RgbLed").from_config(self.cfg),
                  inputs=["led/color", "led/blink_rate", "loop/time"])

    def build(self) -> Vehicle:
        """Every stage, in order: the template's vehicle without parts of your own."""
        for stage in (self.add_camera, self.add_user, self.add_pilot, self.add_drive_mode,
                      self.add_drivetrain, self.add_recording):
            stage()
        return self.vehicle

    def start(self) -> int:
        """Print the start-up lines, run the loop, print the shutdown report; exit code 0."""
        from burro.car.report import shutdown_lines, startup_lines

        print("\n".join(startup_lines(self)), flush=True)
        self.vehicle.start(rate_hz=self.cfg.DRIVE_LOOP_HZ, max_loop_count=self.cfg.MAX_LOOPS)
        print("\n".join(shutdown_lines(self)), flush=True)
        return 0

    def abandon(self) -> None:
        """Shut down the parts built so far (start-up failed before the loop ran)."""
        for entry in self.vehicle.shutdown_order():
            try:
                getattr(entry.part, "shutdown", lambda: None)()
            except Exception:  # noqa: BLE001 - the start-up error is the one to report
                pass

    # -- what the stages decide ---------------------------------------------------------
    @property
    def expert_drives(self) -> bool:
        cfg = self.cfg
        return bool(cfg.DONKEY_GYM and cfg.SIM_EXPERT_AS_USER and not self.options.model)

    @property
    def joystick_wanted(self) -> bool:
        """--js or USE_JOYSTICK_AS_DEFAULT (with the simulator's expert as the user the pad
        does not drive: it switches the behaviour state)."""
        return bool(self.options.js or self.cfg.USE_JOYSTICK_AS_DEFAULT)

    @property
    def controllers(self) -> list[Any]:
        """The web controller and the pad, those that are in the loop (for their hooks)."""
        return [part for part in (self.web, self.joystick) if part is not None]

    def model_path(self) -> Path:
        """--model as given, else relative to the car folder."""
        given = Path(self.options.model).expanduser()
        for candidate in (given, Path(self.cfg.CAR_PATH) / given):
            if candidate.is_file():
                return candidate
        raise BurroError("model file not found", str(self.options.model),
                         "give the path of a .tflite/.onnx/.keras/.h5 pilot, e.g. "
                         "--model models/pilot.tflite")

    def recorded_keys(self) -> list[tuple[str, str]]:
        """Donkey's recorded keys, + the pose with SIM_RECORD_LOCATION in the simulator,
        + the behaviour keys with TRAIN_BEHAVIORS (also without a model, unlike Donkey) or
        the expert's lane, + the pilot's output with RECORD_DURING_AI."""
        from burro.parts.tub_writer import RECORDED, RECORDED_DURING_AI

        cfg, keys = self.cfg, list(RECORDED)
        if cfg.DONKEY_GYM and cfg.SIM_RECORD_LOCATION:
            keys += POSE_KEYS
        if cfg.TRAIN_BEHAVIORS or (self.expert_drives and cfg.SIM_EXPERT_LANE != "centre"):
            keys += BEHAVIOR_KEYS
        if cfg.RECORD_DURING_AI:
            keys += RECORDED_DURING_AI
        return keys

    def _add(self, part: Any, inputs: list[str] | None = None,
             outputs: list[str] | None = None, run_condition: str | None = None) -> None:
        """Add a burro part, wired by its own `inputs`/`outputs` unless given."""
        self.vehicle.add(part, inputs=list(getattr(part, "inputs", ()) if inputs is None else inputs),
                         outputs=list(getattr(part, "outputs", ()) if outputs is None else outputs),
                         threaded=bool(getattr(part, "threaded", False)),
                         run_condition=run_condition)
