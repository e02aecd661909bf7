"""`xbox`: Xbox One / Series pad over Bluetooth (Donkey's default CONTROLLER_TYPE)."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS, _xbox

XBOX = ControllerMap(
    name="xbox", title="Xbox Wireless Controller",
    axes=_xbox.AXES, buttons=_xbox.BUTTONS,
    steering="left_stick_horz", throttle="right_stick_vert",
    throttle_triggers=_xbox.TRIGGERS,
    actions=_xbox.ACTIONS,
    behavior_control="left_shoulder",
    device_pattern=_xbox.DEVICE_PATTERN,
    source="Donkey's xbox map (XboxOneJoystick); the behaviour button (Donkey has none on "
           "this pad) is burro's",
)


@CONTROLLER_MAPS.register("xbox")
def xbox(cfg=None) -> ControllerMap:
    return XBOX
