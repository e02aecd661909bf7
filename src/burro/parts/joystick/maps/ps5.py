"""`ps5`: Sony DualSense (and DualSense Edge) with the kernel's hid-playstation (5.12+).
Donkey Car has no DualSense map; the buttons and actions are its PS4 map's (Create in Share's
place), the codes hid-playstation's `ps_gamepad_buttons` and `ps_gamepad_create`."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS
from burro.parts.joystick.maps import _playstation as ps

PS5 = ControllerMap(
    name="ps5", title="Sony DualSense",
    axes=ps.AXES,
    buttons={**ps.FACE_AND_SHOULDER, 0x13A: "create", 0x13B: "options"},
    steering="left_stick_horz", throttle="right_stick_vert",
    actions=ps.actions("create", "options"),
    hats=ps.DPAD,
    behavior_control="L1",
    device_pattern=r"^(Sony Interactive Entertainment )?DualSense (Edge )?Wireless Controller$",
    source="burro's own: Linux hid-playstation codes (drivers/hid/hid-playstation.c), "
           "Donkey's PS4 actions",
)


@CONTROLLER_MAPS.register("ps5")
def ps5(cfg=None) -> ControllerMap:
    return PS5
