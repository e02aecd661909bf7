"""The drive web app: its settings, its routes, and the server-thread side of the controller
(clients, pushes, telemetry, video). Everything here runs in the server thread except
`WebSettings.from_config`; the drive loop talks to it only through `DriveState` and
`DriveApp.on_tick` (scheduled with IOLoop.add_callback).

Routes (docs/web.md): `/` → `/drive`, `/drive` (GET the page, POST a message), `/calibrate`,
`/static/…`, `/video`, and the WebSockets `/wsDrive`, `/wsTelemetry`, `/wsCalibrate`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from burro.web.driving import Client, DriveState

log = logging.getLogger("burro.web")

STATIC = Path(__file__).parent / "static"
DEADMAN_CHECK_S = 0.05
TELEMETRY_EVERY_S = 0.1
NUM_RECORDS_EVERY_S = 0.25  # {"num_records"} at most 4 times a second
BAD_WINDOW_S = 10.0


@dataclass
class WebSettings:
    """What the web app needs from the config (tests build one directly)."""

    port: int = 8887
    address: str = "0.0.0.0"
    token: str = ""
    timeout: float = 0.5
    allowed_origins: Sequence[str] = ()
    max_bad_messages: int = 20
    mode: str = "user"
    rate_hz: float = 20.0
    erase_n: int = 100
    sim: bool = False
    expert_drives: bool = False
    image_size: tuple[int, int] = (160, 120)
    static_path: Path = STATIC
    cfg: Any = field(default=None, repr=False)  # for /wsCalibrate (None: a default config)

    @classmethod
    def from_config(cls, cfg: Any, expert_drives: bool = False) -> WebSettings:
        return cls(port=cfg.WEB_CONTROL_PORT, address=cfg.WEB_BIND_ADDRESS,
                   token=cfg.WEB_TOKEN, timeout=cfg.WEB_TIMEOUT,
                   allowed_origins=tuple(cfg.WEB_ALLOWED_ORIGINS),
                   max_bad_messages=cfg.WEB_MAX_BAD_MESSAGES, mode=cfg.WEB_INIT_MODE,
                   rate_hz=float(cfg.DRIVE_LOOP_HZ), erase_n=cfg.ERASE_LAST_N_RECORDS,
                   sim=bool(cfg.DONKEY_GYM), expert_drives=expert_drives,
                   image_size=(cfg.IMAGE_W, cfg.IMAGE_H), cfg=cfg)


class DriveApp:
    """The server thread's state. `hooks` is the controller part: its `erase_last_n`,
    `behavior` and `telemetry` attributes are read when needed (the Car sets them late)."""

    def __init__(self, settings: WebSettings, state: DriveState, hooks: Any,
                 input_names: Sequence[str]):
        from burro.web.calibrate import Calibrator
        from burro.web.video import VideoHub

        self.settings = settings
        self.state = state
        self.hooks = hooks
        self.input_names = tuple(input_names)
        self.video = VideoHub(*settings.image_size)
        cfg = settings.cfg
        if cfg is None:
            from burro.config import default_config

            cfg = default_config()
        self.calibrator = Calibrator(cfg)
        self.drive_sockets: set[Any] = set()
        self.telemetry_sockets: set[Any] = set()
        self.calibrate_sockets: set[Any] = set()
        self.memory: dict[str, Any] = {}
        self.bad_messages = 0
        self.ignored_keys = 0
        self.ticks = 0
        self._pushed_mode: str | None = state.mode  # sockets get the state when they open
        self._pushed_recording: bool | None = state.recording
        self._pushed_records: Any = None
        self._records_pushed_at = 0.0
        self._clients = 0
        self._periodic: list[Any] = []

    # ----- building (in the server thread) -------------------------------------------------

    def make(self, ioloop: Any) -> Any:
        from tornado.ioloop import PeriodicCallback
        from tornado.web import Application

        from burro.web import handlers as h
        from burro.web.video import VideoHandler

        common = {"app": self}
        routes = [
            (r"/", h.RootHandler, common),
            (r"/drive", h.DriveHandler, {**common, "page": "drive.html"}),
            (r"/calibrate", h.PageHandler, {**common, "page": "calibrate.html"}),
            (r"/wsDrive", h.DriveSocket, common),
            (r"/wsTelemetry", h.TelemetrySocket, common),
            (r"/wsCalibrate", h.CalibrateSocket, common),
            (r"/video", VideoHandler, {"hub": self.video, "check": self.refuse_unless_allowed}),
            (r"/static/(.*)", h.StaticHandler, {"path": str(self.settings.static_path),
                                                "app": self}),
        ]
        self._periodic = [PeriodicCallback(self.check_deadman, DEADMAN_CHECK_S * 1000),
                          PeriodicCallback(self.every_100ms, TELEMETRY_EVERY_S * 1000)]
        for callback in self._periodic:
            callback.start()
        return Application(routes, debug=False, autoreload=False, compress_response=False,
                           websocket_max_message_size=64 * 1024,
                           websocket_ping_interval=None)

    async def close(self) -> None:
        """At shutdown: stop the timers, end the video streams, close the WebSockets."""
        for callback in self._periodic:
            callback.stop()
        self.video.close()
        for sockets in (self.drive_sockets, self.telemetry_sockets, self.calibrate_sockets):
            for sock in list(sockets):
                sock.close(1001, "the car stops")

    # ----- access ----------------------------------------------------------------------------

    def allowed(self, handler: Any) -> bool:
        from burro.web.auth import COOKIE, given_token, token_ok

        token = self.settings.token
        if not token:
            return True
        given = given_token(handler.get_query_argument("token", None),
                            handler.get_cookie(COOKIE), handler.request.headers.get("Authorization"))
        return token_ok(token, given)

    def refuse_unless_allowed(self, handler: Any) -> None:
        """For prepare(): answer 403 with a short page unless the token is right."""
        from burro.web.auth import REFUSED_PAGE

        if not self.allowed(handler):
            handler.set_status(403)
            handler.set_header("Content-Type", "text/html; charset=utf-8")
            handler.finish(REFUSED_PAGE)

    def new_client(self, request: Any, kind: str) -> Client:
        self._clients += 1
        return Client(f"{kind}#{self._clients}", f"{kind} #{self._clients} ({request.remote_ip})")

    def behavior_count(self) -> int | None:
        behavior = getattr(self.hooks, "behavior", None)
        return len(behavior.labels) if behavior is not None else None

    # ----- from the drive loop ---------------------------------------------------------------

    def on_tick(self, values: tuple, frame: Any) -> None:
        """The loop's tick `values` (the part's inputs) and, when new, its camera frame."""
        self.ticks += 1
        self.memory = dict(zip(self.input_names, values))
        if frame is not None:
            self.video.new_frame(frame)
        self.push_changes()

    # ----- pushes ----------------------------------------------------------------------------

    def push_changes(self) -> None:
        """{"driveMode"}, {"recording"} when they changed; the state's events."""
        state = self.state
        if state.mode != self._pushed_mode:
            self._pushed_mode = state.mode
            self.broadcast(self.drive_sockets, {"driveMode": state.mode})
        if state.recording != self._pushed_recording:
            self._pushed_recording = state.recording
            self.broadcast(self.drive_sockets, {"recording": state.recording})
        for kind, reason in state.events():
            if kind == "stopped":
                log.info("web controller: stopped: %s", reason)
                self.broadcast(self.drive_sockets, {"stopped": reason})
            else:
                self.push_driver()

    def push_driver(self, sockets: Any = None) -> None:
        driver = self.state.driver
        who = driver.name if driver else None
        for sock in list(self.drive_sockets if sockets is None else sockets):
            sock.send({"driver": {"you": driver is not None and sock.client == driver,
                                  "who": who}})

    def check_deadman(self) -> None:
        self.state.check_deadman()
        self.push_changes()

    def every_100ms(self) -> None:
        from burro.web.telemetry import whole

        records = whole(self.memory.get("tub/num_records"))
        now = time.monotonic()
        if records != self._pushed_records and now - self._records_pushed_at >= NUM_RECORDS_EVERY_S:
            self._pushed_records, self._records_pushed_at = records, now
            if records is not None:
                self.broadcast(self.drive_sockets, {"num_records": records})
        if self.telemetry_sockets:
            self.broadcast(self.telemetry_sockets, self.telemetry())

    def broadcast(self, sockets: set, message: dict) -> None:
        if not sockets:
            return
        text = json.dumps(message)
        for sock in list(sockets):
            sock.send_text(text)

    # ----- telemetry -------------------------------------------------------------------------

    def hello(self) -> dict:
        from burro import __version__
        from burro.web.messages import MODES

        behavior = getattr(self.hooks, "behavior", None)
        erase = getattr(self.hooks, "erase_last_n", None)
        s = self.settings
        return {"hello": {"modes": list(MODES),
                          "behaviors": list(behavior.labels) if behavior is not None else None,
                          "erase_n": s.erase_n if erase is not None else 0,
                          "rate_hz": s.rate_hz, "timeout_s": s.timeout, "sim": s.sim,
                          "expert_drives": s.expert_drives, "version": __version__}}

    def telemetry(self) -> dict:
        from burro.web.telemetry import telemetry_message

        provider: Callable[[], Any] | None = getattr(self.hooks, "telemetry", None)
        provided: Any = {}
        if provider is not None:
            try:
                provided = provider() or {}
            except Exception as error:  # noqa: BLE001 - telemetry must not end the server
                log.debug("telemetry provider failed: %s", error)
        return telemetry_message(self.memory, provided, mode=self.state.mode,
                                 recording=self.state.recording,
                                 driver=self.state.driver_name(), viewers=self.video.viewers,
                                 bad_messages=self.bad_messages, ignored_keys=self.ignored_keys)
