"""The car folder: creating it, calibrating its actuators, starting it on boot."""
