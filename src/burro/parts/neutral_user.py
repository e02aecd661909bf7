"""NeutralUser: the default user controller while no real one is attached."""

from burro.config import types as t
from burro.config.defaults import Key
from burro.parts import PARTS
from burro.parts.drive_mode import MODES, checked_mode


@PARTS.register("NeutralUser")
class NeutralUser:
    """No inputs; outputs `user/angle, user/throttle, user/mode, recording`.

    Always (0.0, 0.0, WEB_INIT_MODE, False): a user who never touches anything, in the start
    mode. With WEB_INIT_MODE = "local" the pilot drives alone; with "user" the car stands
    still. It needs no keyboard, screen or device, so it runs under systemd and in tests.
    """

    keys = (Key("WEB_INIT_MODE", t.choice(*MODES), "user",
                "Drive mode at start: user, local_angle (pilot steers) or local (pilot drives)."),)

    def __init__(self, mode: str = "user"):
        self.mode = checked_mode(mode, "WEB_INIT_MODE")

    @classmethod
    def from_config(cls, cfg) -> "NeutralUser":
        return cls(cfg.WEB_INIT_MODE)

    def run(self):
        return 0.0, 0.0, self.mode, False
