"""`ps4`: Sony DualShock 4 (Bluetooth or USB) with the kernel's hid-sony / hid-playstation."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS
from burro.parts.joystick.maps import _playstation as ps

PS4 = ControllerMap(
    name="ps4", title="Sony DualShock 4",
    axes=ps.AXES,
    buttons={**ps.FACE_AND_SHOULDER, 0x13A: "share", 0x13B: "options"},
    steering="left_stick_horz", throttle="right_stick_vert",
    actions=ps.actions("share", "options"),
    hats=ps.DPAD,
    behavior_control="L1",
    device_pattern=r"^(Sony (Interactive|Computer) Entertainment )?Wireless Controller$",
    source="Donkey's ps4 actions; codes of the kernel's hid-sony/hid-playstation (Donkey's "
           "ps4 table calls 0x138 L1 and 0x136 L2; the kernel sends 0x136 for L1)",
)


@CONTROLLER_MAPS.register("ps4")
def ps4(cfg=None) -> ControllerMap:
    return PS4
