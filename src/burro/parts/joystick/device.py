"""The Linux joystick API (joydev, `/dev/input/js*`): 8-byte `js_event` records and the
ioctls that name the device and its axis/button codes (linux/joystick.h).

A record is `struct js_event {u32 time_ms; s16 value; u8 type; u8 number;}` = `"IhBB"`.
`number` is the index of the axis or button on this device; JSIOCGAXMAP/JSIOCGBTNMAP give the
evdev code (ABS_*, BTN_*) of each index, which is what controller maps are written in. A FIFO
or pipe carries the same records but answers the ioctls with ENOTTY: then the name and codes
given to `JoystickDevice` are used (or the map's own layout, see `mapping.ControllerMap`).
"""

from __future__ import annotations

import array
import errno
import os
import select
import struct
from dataclasses import dataclass

EVENT = struct.Struct("IhBB")
BUTTON, AXIS, INIT = 0x01, 0x02, 0x80
AXIS_FULL_SCALE = 32767.0

_IOC_READ = 2
ABS_CNT = 0x40
BUTTON_MAP_LEN = 0x2FF - 0x100 + 1  # KEY_MAX - BTN_MISC + 1 (joydev's keypam)
NAME_LEN = 128


def _ior(number: int, size: int) -> int:
    """_IOR('j', number, size) of asm-generic/ioctl.h."""
    return (_IOC_READ << 30) | (size << 16) | (ord("j") << 8) | number


JSIOCGAXES = _ior(0x11, 1)
JSIOCGBUTTONS = _ior(0x12, 1)
JSIOCGNAME = _ior(0x13, NAME_LEN)
JSIOCGAXMAP = _ior(0x32, ABS_CNT)
JSIOCGBTNMAP = _ior(0x34, 2 * BUTTON_MAP_LEN)


@dataclass(frozen=True)
class JsEvent:
    time_ms: int
    value: int
    type: int
    number: int

    @property
    def is_init(self) -> bool:
        """The state the driver reports on open (and after a buffer overflow), not a use."""
        return bool(self.type & INIT)

    @property
    def is_button(self) -> bool:
        return bool(self.type & BUTTON)

    @property
    def is_axis(self) -> bool:
        return bool(self.type & AXIS)

    @property
    def axis_value(self) -> float:
        """The axis position in [-1, 1]."""
        return max(-1.0, min(1.0, self.value / AXIS_FULL_SCALE))


def pack_event(value: int, type_: int, number: int, time_ms: int = 0) -> bytes:
    """One `js_event` record as the kernel writes it."""
    return EVENT.pack(time_ms & 0xFFFFFFFF, value, type_, number)


def axis_event(number: int, position: float, time_ms: int = 0) -> bytes:
    """An axis record for a position in [-1, 1]."""
    return pack_event(round(max(-1.0, min(1.0, position)) * AXIS_FULL_SCALE), AXIS, number, time_ms)


def button_event(number: int, pressed: bool, time_ms: int = 0) -> bytes:
    return pack_event(1 if pressed else 0, BUTTON, number, time_ms)


class DeviceLost(Exception):
    """The device went away (unplugged, out of radio range, the FIFO's writer closed)."""


class JoystickDevice:
    """One open joystick device file; `read_events()` never blocks.

    `name`, `axis_codes` and `button_codes` are given for a device that cannot say (a FIFO);
    the ioctls' answers win when the device gives them. After `open()`, `name` is None and
    the codes are None when neither the device nor the caller knows them.
    """

    def __init__(self, path: str, name: str | None = None,
                 axis_codes: list[int] | None = None, button_codes: list[int] | None = None):
        self.path = str(path)
        self._given = (name, axis_codes, button_codes)
        self.name: str | None = name
        self.axis_codes: list[int] | None = axis_codes
        self.button_codes: list[int] | None = button_codes
        self.reports_codes = False  # the device itself answered the code-map ioctls
        self._fd: int | None = None
        self._pending = b""

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def open(self) -> None:
        """Open without blocking (a FIFO without a writer opens too); raises OSError."""
        self._fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._pending = b""
        try:
            self._ask_device()
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
        self._fd = None

    def wait(self, timeout_s: float) -> bool:
        """True when records (or the end) can be read within `timeout_s`."""
        if self._fd is None:
            return False
        poller = select.poll()
        poller.register(self._fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(max(0, int(timeout_s * 1000))))

    def read_events(self) -> list[JsEvent]:
        """The records available now; DeviceLost at the end of the stream or on ENODEV."""
        if self._fd is None:
            raise DeviceLost("not open")
        try:
            data = os.read(self._fd, EVENT.size * 64)
        except BlockingIOError:
            return []
        except OSError as error:
            raise DeviceLost(error.strerror or str(error)) from None
        if not data:
            raise DeviceLost("end of the event stream")
        data = self._pending + data
        whole = len(data) - len(data) % EVENT.size
        self._pending = data[whole:]
        return [JsEvent(*EVENT.unpack_from(data, offset)) for offset in range(0, whole, EVENT.size)]

    def drain(self) -> list[JsEvent]:
        """Every record the device holds now (read until nothing is left)."""
        events: list[JsEvent] = []
        while self.wait(0):
            batch = self.read_events()
            if not batch:
                break
            events += batch
        return events

    # ----- the ioctls ----------------------------------------------------------------------

    def _ask_device(self) -> None:
        name, axis_codes, button_codes = self._given
        self.name, self.axis_codes, self.button_codes = name, axis_codes, button_codes
        self.reports_codes = False
        try:
            from fcntl import ioctl
        except ImportError:  # not Linux
            return
        try:
            buffer = array.array("B", [0] * NAME_LEN)
            ioctl(self._fd, JSIOCGNAME, buffer)
            self.name = buffer.tobytes().split(b"\0", 1)[0].decode("utf-8", "replace")
            self.axis_codes = self._codes(ioctl, JSIOCGAXES, JSIOCGAXMAP, "B", ABS_CNT)
            self.button_codes = self._codes(ioctl, JSIOCGBUTTONS, JSIOCGBTNMAP, "H",
                                            BUTTON_MAP_LEN)
            self.reports_codes = True
        except OSError as error:
            if error.errno not in (errno.ENOTTY, errno.EINVAL):
                raise
            self.name, self.axis_codes, self.button_codes = name, axis_codes, button_codes

    def _codes(self, ioctl, count_request: int, map_request: int, kind: str,
               length: int) -> list[int]:
        count = array.array("B", [0])
        ioctl(self._fd, count_request, count)
        codes = array.array(kind, [0] * length)
        ioctl(self._fd, map_request, codes)
        return list(codes[:count[0]])
