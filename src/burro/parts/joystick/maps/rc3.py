"""`rc3`: a 3-channel RC transmitter through a USB joystick adapter (Donkey's map): both
sticks negated; the channel-3 switch toggles the mode (down) or erases records in user mode
and stops in the others (up). Such adapters have no common name, so any name is accepted."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS

RC3 = ControllerMap(
    name="rc3", title="3-channel RC transmitter (USB adapter)",
    axes={0x00: "Steering", 0x01: "Throttle"},
    buttons={0x120: "Switch-up", 0x121: "Switch-down"},
    steering="Steering", throttle="Throttle",
    inverted=frozenset({"Steering", "Throttle"}),
    actions={"Switch-down": "toggle_mode", "Switch-up": "erase_or_stop"},
    source="Donkey's rc3 map (RC3ChanJoystick)",
)


@CONTROLLER_MAPS.register("rc3")
def rc3(cfg=None) -> ControllerMap:
    return RC3
