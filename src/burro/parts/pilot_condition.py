"""PilotCondition: whether the pilot runs this tick (the run condition `run_pilot`)."""

from burro.parts import PARTS


@PARTS.register("PilotCondition")
class PilotCondition:
    """Input `user/mode`; output `run_pilot`: True in every mode but `user` (local_angle,
    local, and None from a failed controller, where the fail-safe decides what is driven)."""

    inputs = ("user/mode",)
    outputs = ("run_pilot",)

    @classmethod
    def from_config(cls, cfg) -> "PilotCondition":
        return cls()

    def run(self, mode) -> bool:
        return mode != "user"
