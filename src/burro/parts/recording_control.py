"""RecordingControl: decides on every tick whether the tub writer records."""

from burro.parts import PARTS
from burro.parts._values import finite


@PARTS.register("RecordingControl")
class RecordingControl:
    """Inputs `user/mode, user/throttle, recording`; output `recording`.

    With AUTO_RECORD_ON_THROTTLE, in `user` mode it records exactly while the user throttle is
    non-zero (a controller's own record toggle is ignored, as in Donkey); without it, in `user`
    mode the controller's `recording` decides. In `local_angle`/`local` (and for an unknown
    mode) it records only with RECORD_DURING_AI, and then when the controller's `recording`
    says so. Unlike Donkey, the throttle rule is applied here for every controller (Donkey's
    joystick applies it itself, with its dead zone; the web controller has its own rule).
    """

    def __init__(self, auto_record_on_throttle: bool = True, record_during_ai: bool = False):
        self.auto_record_on_throttle = bool(auto_record_on_throttle)
        self.record_during_ai = bool(record_during_ai)

    @classmethod
    def from_config(cls, cfg) -> "RecordingControl":
        return cls(cfg.AUTO_RECORD_ON_THROTTLE, cfg.RECORD_DURING_AI)

    def run(self, mode, user_throttle, recording) -> bool:
        if mode != "user":
            return self.record_during_ai and bool(recording)
        if self.auto_record_on_throttle:
            return bool(finite(user_throttle) and user_throttle != 0)
        return bool(recording)
