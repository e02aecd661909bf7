"""Physical pads on the Linux joystick API (`/dev/input/js*`): the reader part
`JoystickController` (registered in PARTS), the controller maps by CONTROLLER_TYPE
(`burro.parts.joystick.maps`) and what `burro createjs` uses (`creator`). docs/joystick.md."""

from burro.parts.joystick.controller import JoystickController

__all__ = ["JoystickController"]
