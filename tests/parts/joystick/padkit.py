"""A FIFO as the joystick device: the test writes real `js_event` records into it, the
controller's own reader reads them (nothing of burro is replaced)."""

from __future__ import annotations

import errno
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from burro.parts.joystick import JoystickController
from burro.parts.joystick.device import AXIS, BUTTON, INIT, pack_event
from burro.parts.joystick.mapping import ControllerMap

FULL = 32767


def wait_until(predicate, timeout: float = 3.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


class FakePad:
    """The writing end of the FIFO, speaking the codes of `cmap` (by event number in the
    map's layout, or in `axis_codes`/`button_codes` when the test injects others)."""

    def __init__(self, path: Path, cmap: ControllerMap | None, axis_codes: list[int] | None = None,
                 button_codes: list[int] | None = None):
        self.path = path
        self.map = cmap
        layout = cmap.default_layout() if cmap is not None else ([], [])
        self.axis_codes = axis_codes or layout[0]
        self.button_codes = button_codes or layout[1]
        self.fd: int | None = None

    def connect(self, timeout: float = 3.0) -> None:
        """Open the FIFO for writing once the controller has it open for reading."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
                os.set_blocking(self.fd, True)
                return
            except OSError as error:
                if error.errno not in (errno.ENXIO, errno.ENOENT) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def unplug(self) -> None:
        os.close(self.fd)
        self.fd = None

    # ----- records -----------------------------------------------------------------------

    def axis(self, name: str, position: float, init: bool = False) -> bytes:
        number = self.axis_codes.index(self.map.axis_code(name))
        return pack_event(round(position * FULL), AXIS | (INIT if init else 0), number)

    def button(self, name: str, pressed: bool = True, init: bool = False) -> bytes:
        number = self.button_codes.index(self.map.button_code(name))
        return pack_event(int(pressed), BUTTON | (INIT if init else 0), number)

    def press(self, control: str, init: bool = False) -> bytes:
        """Press and release a button, or push a d-pad axis one way and back."""
        if control in self.map.hats:
            axis, direction = self.map.hats[control]
            return self.axis(axis, direction, init) + self.axis(axis, 0.0, init)
        return self.button(control, True, init) + self.button(control, False, init)

    def send(self, controller: JoystickController, *records: bytes) -> None:
        """Write the records and wait until the controller has read them all."""
        data = b"".join(records)
        expected = controller.events_seen + len(data) // 8
        os.write(self.fd, data)
        wait_until(lambda: controller.events_seen >= expected, what=f"{len(data) // 8} events")


@contextmanager
def running(controller: JoystickController):
    """The controller's reader thread, as the Vehicle runs it; joined at the end."""
    thread = threading.Thread(target=controller.update, daemon=True)
    thread.start()
    try:
        yield controller
    finally:
        controller.shutdown()
        thread.join(3)
        assert not thread.is_alive(), "the reader thread did not end at shutdown()"


def tick(controller: JoystickController, angle=0.0, throttle=0.0, mode="user",
         recording=False, stop=False) -> dict:
    """One loop tick with these web-controller outputs as inputs."""
    keys = ("angle", "throttle", "mode", "recording", "stop")
    return dict(zip(keys, controller.run_threaded(angle, throttle, mode, recording, stop)))


def make(fifo: Path, cmap: ControllerMap, **settings) -> JoystickController:
    settings.setdefault("retry_seconds", 0.05)
    return JoystickController(cmap, str(fifo), **settings)


def fifo_in(folder: Path, name: str = "js0") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path
