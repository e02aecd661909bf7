"""AiLaunch: a fixed throttle for a moment when the pilot takes over (Donkey's launch control)."""

import logging

from burro.config import types as t
from burro.config.defaults import Key
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts._values import finite

log = logging.getLogger("burro.parts.ai_launch")

CLOCK_ROUNDING = 1e-9  # 20.05 - 20.0 > 0.05 in floats; a tick exactly at the end still counts


@PARTS.register("AiLaunch")
class AiLaunch:
    """Inputs `user/mode, pilot/throttle, loop/time`; output `pilot/throttle`.

    Once enabled, the first tick in `local` mode starts a launch: the throttle is
    AI_LAUNCH_THROTTLE until more than AI_LAUNCH_DURATION seconds (of `loop/time`) have passed,
    then the pilot's throttle again and the launch is disabled. It is enabled by
    `enable_ai_launch()` (the controllers' AI_LAUNCH_ENABLE_BUTTON) and, with
    AI_LAUNCH_KEEP_ENABLED, by every switch into `local`. Leaving `local` ends a launch. As in
    Donkey it sits on `pilot/throttle` before DriveMode, so AI_THROTTLE_MULT applies to it.
    """

    keys = (
        Key("AI_LAUNCH_DURATION", t.NON_NEGATIVE_FLOAT, 0.0,
            "Seconds the launch throttle is held when the pilot takes over (local mode)."),
        Key("AI_LAUNCH_THROTTLE", t.FLOAT, 0.0, "Throttle of the launch."),
        Key("AI_LAUNCH_ENABLE_BUTTON", t.STR, "R2",
            "Controller button that arms one launch (it starts at the next tick in local mode)."),
        Key("AI_LAUNCH_KEEP_ENABLED", t.BOOL, False,
            "Launch at every switch into local mode, not only after the button."),
    )

    def __init__(self, launch_duration: float = 1.0, launch_throttle: float = 1.0,
                 keep_enabled: bool = False):
        for name, value in (("AI_LAUNCH_DURATION", launch_duration),
                            ("AI_LAUNCH_THROTTLE", launch_throttle)):
            if not finite(value):
                raise BurroError(f"{name} must be a number, got {value!r}", name,
                                 "set it to a float, e.g. 0.0")
        self.launch_duration = float(launch_duration)
        self.launch_throttle = float(launch_throttle)
        self.keep_enabled = bool(keep_enabled)
        self.enabled = False
        self.active = False
        self._started_at: float | None = None
        self._previous_mode = None

    @classmethod
    def from_config(cls, cfg) -> "AiLaunch":
        return cls(cfg.AI_LAUNCH_DURATION, cfg.AI_LAUNCH_THROTTLE, cfg.AI_LAUNCH_KEEP_ENABLED)

    def enable_ai_launch(self) -> None:
        """Arm one launch (a controller button calls this)."""
        self.enabled = True
        log.info("AI launch enabled")

    def run(self, mode, pilot_throttle, loop_time):
        if mode != self._previous_mode:
            self._previous_mode = mode
            if mode == "local" and self.keep_enabled:
                self.enabled = True
        if mode == "local" and self.enabled:
            self._launch_tick(loop_time)
        else:
            self.active = False
        return self.launch_throttle if self.active else pilot_throttle

    def _launch_tick(self, loop_time) -> None:
        if not self.active:
            self.active = True
            self._started_at = loop_time
            log.info("AI launch: throttle %.2f for %.2f s", self.launch_throttle,
                     self.launch_duration)
        elif loop_time - self._started_at > self.launch_duration + CLOCK_ROUNDING:
            self.active = False
            self.enabled = False
