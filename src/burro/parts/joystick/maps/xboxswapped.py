"""`xboxswapped`: the xbox map with the sticks swapped (steer right, throttle left)."""

from dataclasses import replace

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS
from burro.parts.joystick.maps.xbox import XBOX

XBOX_SWAPPED = replace(XBOX, name="xboxswapped", title="Xbox Wireless Controller (swapped)",
                       steering="right_stick_horz", throttle="left_stick_vert",
                       source="Donkey's xboxswapped map (XboxOneSwappedJoystickController)")


@CONTROLLER_MAPS.register("xboxswapped")
def xboxswapped(cfg=None) -> ControllerMap:
    return XBOX_SWAPPED
