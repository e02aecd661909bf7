"""LocalWebController: drive, record and switch modes from a browser (docs/web.md).

A threaded part: `update()` runs the web server (Tornado) in the part's thread;
`run_threaded()` never blocks: it reads the latest command (one short lock) and hands the
tick's values and a new camera frame to the server thread with IOLoop.add_callback. No
JSON or JPEG encoding happens on the loop's thread. The server's socket is bound when the
part is built, so a port in use is a one-line error before the car starts.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.parts import PARTS

log = logging.getLogger("burro.web")

CONTROL_INPUTS = ("cam/image_array", "cam/frame_time", "tub/num_records", "user/mode",
                  "recording", "user/stop")
TELEMETRY_INPUTS = ("user/angle", "user/throttle", "pilot/angle", "pilot/throttle", "angle",
                    "throttle", "behavior/state", "behavior/label", "pos/cte", "pos/speed")
OUTPUTS = ("user/angle", "user/throttle", "user/mode", "recording", "user/stop", "web/buttons")
ALL_INTERFACES = ("", "0.0.0.0", "::")


@PARTS.register("LocalWebController", aliases=("WebController",))
class LocalWebController:
    """Inputs `cam/image_array, cam/frame_time, tub/num_records, user/mode, recording,
    user/stop` and, for the telemetry, `user/angle, user/throttle, pilot/angle,
    pilot/throttle, angle, throttle, behavior/state, behavior/label, pos/cte, pos/speed`
    (the previous tick's values where this part runs first).
    Outputs `user/angle, user/throttle, user/mode, recording, user/stop, web/buttons`.

    `user/mode` and `recording` from memory are adopted unless a browser changed them since
    the last tick (a joystick's change wins the same way). `user/stop` is True on the tick
    after a Stop Car; `web/buttons` holds each pressed w1..w5 True for one tick (Donkey's
    latch). Hooks the Car sets: `erase_last_n`, `behavior`, `telemetry` (a callable giving
    loop and pilot figures), `drivetrain` (for /calibrate) and `ai_launch`.
    """

    threaded = True
    inputs = CONTROL_INPUTS + TELEMETRY_INPUTS
    outputs = OUTPUTS

    keys = (
        Key("USE_WEB_CONTROLLER", t.BOOL, True, "Run the web controller in manage.py drive "
            "(False: no web server; the car starts in WEB_INIT_MODE and nothing steers it, "
            "e.g. under systemd without a network)."),
        Key("WEB_CONTROL_PORT", t.int_between(0, 65535), 8887, "Port of the web controller "
            "(0 = any free port; the start-up line says which)."),
        Key("WEB_BIND_ADDRESS", t.STR, "0.0.0.0", "Address the web controller listens on "
            "(0.0.0.0 = every network of the car; 127.0.0.1 = this computer only)."),
        Key("WEB_TOKEN", t.STR, "", "A secret the web controller's page, WebSockets and video "
            "require (as ?token=…, its cookie or a Bearer header); empty = none."),
        Key("WEB_TIMEOUT", t.POSITIVE_FLOAT, 0.5, "Dead-man: seconds without a message from "
            "the driving browser before its throttle goes to 0 (local modes fall back to user)."),
        Key("WEB_ALLOWED_ORIGINS", t.STR_LIST, [], "Other web origins (e.g. "
            "'http://laptop:8000') whose pages may open the car's WebSockets."),
        Key("WEB_MAX_BAD_MESSAGES", t.POSITIVE_INT, 20, "Bad messages a client may send in "
            "10 s before it is disconnected (code 1008)."),
    )

    def __init__(self, port: int = 8887, mode: str = "user", settings: Any = None):
        from burro.parts.drive_mode import checked_mode
        from burro.web.app import DriveApp, WebSettings
        from burro.web.driving import DriveState
        from burro.web.server import ThreadedServer

        settings = settings or WebSettings(port=port, mode=mode)
        checked_mode(settings.mode, "WEB_INIT_MODE")
        self.settings = settings
        self.erase_last_n: Any = None
        self.behavior: Any = None
        self.ai_launch: Any = None
        self.telemetry: Any = None
        self.state = DriveState(settings.mode, settings.timeout,
                                viewing_only=settings.expert_drives)
        self.app = DriveApp(settings, self.state, self, self.inputs)
        self.server = ThreadedServer(settings.port, settings.address)
        self.server.on_stop.append(self.app.close)
        self._last_frame: Any = None
        self._last_frame_time: Any = None
        self._handover = threading.Lock()  # held for a few reference swaps, never for I/O
        self._latest: tuple = ()
        self._pending_frame: Any = None
        self._scheduled = False

    @classmethod
    def from_config(cls, cfg: Any, expert_drives: bool = False) -> LocalWebController:
        from burro.web.app import WebSettings

        settings = WebSettings.from_config(cfg, expert_drives=expert_drives)
        return cls(settings=settings)

    # ----- hooks ---------------------------------------------------------------------------

    @property
    def drivetrain(self) -> Any:
        return self.app.calibrator.drivetrain

    @drivetrain.setter
    def drivetrain(self, part: Any) -> None:
        self.app.calibrator.drivetrain = part

    @property
    def on_stop(self) -> Any:
        """With the simulator's expert driving: what Stop Car from the page calls."""
        return self.state.on_stop

    @on_stop.setter
    def on_stop(self, callback: Any) -> None:
        self.state.on_stop = callback

    # ----- where it listens ----------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        """The drive page's address, with the token when there is one."""
        address = self.settings.address
        host = socket.gethostname() if address in ALL_INTERFACES else address
        if ":" in host:
            host = f"[{host}]"
        token = f"?token={self.settings.token}" if self.settings.token else ""
        return f"http://{host}:{self.port}/drive{token}"

    # ----- the part protocol ---------------------------------------------------------------

    def update(self) -> None:
        self.server.run(self.app.make)

    def run_threaded(self, image: Any = None, frame_time: Any = None, num_records: Any = None,
                     mode: Any = None, recording: Any = None, stop: Any = None,
                     *telemetry: Any) -> tuple:
        command = self.state.tick(mode, recording, stop)
        frame = None
        if image is not None and (image is not self._last_frame
                                  or frame_time != self._last_frame_time):
            self._last_frame, self._last_frame_time = image, frame_time
            copy = getattr(image, "copy", None)
            frame = copy() if copy is not None else image  # a camera may reuse its buffer
        self._hand_over((image, frame_time, num_records, mode, recording, stop, *telemetry), frame)
        return (command.angle, command.throttle, command.mode, command.recording, command.stop,
                command.buttons)

    def _hand_over(self, values: tuple, frame: Any) -> None:
        """Give the server thread the newest tick: one callback at a time, so a loop on the
        simulator's fast clock (thousands of ticks a second) does not flood the server; a
        callback not yet run takes the newest values (and the newest frame) when it runs."""
        with self._handover:
            self._latest = values
            if frame is not None:
                self._pending_frame = frame
            schedule, self._scheduled = not self._scheduled, True
        if schedule and not self.server.call_soon(self._deliver):
            with self._handover:
                self._scheduled = False

    def _deliver(self) -> None:
        with self._handover:
            values, frame = self._latest, self._pending_frame
            self._pending_frame, self._scheduled = None, False
        self.app.on_tick(values, frame)

    def run(self, *inputs: Any) -> tuple:
        return self.run_threaded(*inputs)

    def shutdown(self) -> None:
        self.server.stop()
