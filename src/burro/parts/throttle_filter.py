"""ThrottleFilter: the ESC's reverse "double tap", done for the driver."""

from burro.parts import PARTS
from burro.parts._values import finite


@PARTS.register("ThrottleFilter")
class ThrottleFilter:
    """Input `user/throttle`; output `user/throttle` (Donkey wires it on the user's throttle).

    Most hobby ESCs only reverse after reverse, neutral, reverse. When a negative throttle
    follows a negative output and no neutral has been inserted yet, one tick of 0.0 is output;
    any throttle >= 0 re-arms it. Held reverse coming from forward thus becomes
    `-x, 0.0, -x, -x, ...` (as in Donkey). None and non-finite values pass through unchanged
    and leave the state as it was.
    """

    def __init__(self):
        self.reverse_triggered = False
        self.last_throttle = 0.0

    @classmethod
    def from_config(cls, cfg) -> "ThrottleFilter":
        return cls()

    def run(self, throttle):
        if not finite(throttle):
            return throttle
        output = throttle
        if throttle < 0.0:
            if not self.reverse_triggered and self.last_throttle < 0.0:
                output = 0.0
                self.reverse_triggered = True
        else:
            self.reverse_triggered = False
        self.last_throttle = output
        return output
