"""Car parts for the drive loop, one concern per module, registered by name for the template.

A part follows Donkey Car's protocol, so a Donkey user's own parts run unchanged: `run(*inputs)`
returns its outputs (one value, a tuple, or None); a threaded part has `update()` (its own
loop, run in a thread) and `run_threaded(*inputs)` (returns the latest values without
blocking); every part may have `shutdown()`. Each part's docstring names its inputs and
outputs (the memory keys the template wires to it).

Entry modules import heavy or device libraries (OpenCV, smbus2, picamera2, LiteRT) inside the
code that needs them, so listing parts or loading a config imports none of them. A part that
reads config keys only it uses declares them in its `keys` (collected into the key table).
Cameras (`CAMERA_TYPE`) and drivetrains (`DRIVE_TRAIN_TYPE`) have registries of their own in
`burro.parts.cameras` and `burro.parts.drivetrains`.
"""

from burro.registry import Registry

PARTS = Registry("part", "burro.parts", where="the car template (manage.py)")
