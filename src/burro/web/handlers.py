"""The drive app's request handlers: pages, static files, POST /drive and the WebSockets.

Each handler checks the token in prepare() (403 with a short page) and each WebSocket checks
its Origin (burro.web.auth). A client's message is validated whole (burro.web.messages)
before anything is applied; a bad one is answered {"error": ...} and counted, and a client
with too many bad ones in 10 s is disconnected with code 1008.
"""

from __future__ import annotations

import collections
import json
import logging
import time
from pathlib import Path
from typing import Any

from tornado import web, websocket
from tornado.ioloop import IOLoop

from burro.errors import BurroError
from burro.web.app import BAD_WINDOW_S, DriveApp
from burro.web.auth import COOKIE, origin_ok, token_ok
from burro.web.messages import MAX_MESSAGE_BYTES, MessageError, calibrate_message, drive_message

log = logging.getLogger("burro.web")


class _Guarded(web.RequestHandler):
    def initialize(self, app: DriveApp, **_: Any) -> None:
        self.app = app

    def prepare(self) -> None:
        self.app.refuse_unless_allowed(self)

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")


class RootHandler(_Guarded):
    """`GET /` → 302 `/drive`, keeping the query (the token)."""

    def get(self) -> None:
        query = self.request.query
        self.redirect("/drive" + (f"?{query}" if query else ""))


class PageHandler(_Guarded):
    """A page from the static folder; a valid `?token=` is kept in the burro_token cookie."""

    def initialize(self, app: DriveApp, page: str = "drive.html") -> None:
        super().initialize(app)
        self.page = page

    def get(self) -> None:
        token = self.app.settings.token
        given = self.get_query_argument("token", None)
        if token and given and token_ok(token, given):
            self.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
        path = Path(self.app.settings.static_path) / self.page
        try:
            body = path.read_bytes()
        except OSError:
            self.set_status(404)
            self.finish(f"{self.page} is not installed in {path.parent}\n")
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(body)


class DriveHandler(PageHandler):
    """`GET /drive` the page; `POST /drive` a drive message (Donkey's scripts), answered
    {"ok": true, "driver": bool} or 400 {"error": ...}."""

    def post(self) -> None:
        origin = self.request.headers.get("Origin")
        if origin and not origin_ok(origin, self.request.headers.get("Host"),
                                    self.app.settings.allowed_origins):
            # a browser sends simple cross-site POSTs without asking (CORS does not stop them)
            self.set_status(403)
            self.finish({"error": f"POST /drive from the page of another origin ({origin}) "
                                  "refused; WEB_ALLOWED_ORIGINS lists the ones allowed"})
            return
        body = self.request.body
        try:
            if len(body) > MAX_MESSAGE_BYTES:
                raise MessageError(f"message of {len(body)} bytes refused: at most "
                                   f"{MAX_MESSAGE_BYTES}")
            message = drive_message(body, self.app.behavior_count())
        except MessageError as error:
            self.app.bad_messages += 1
            self.set_status(400)
            self.finish({"error": str(error)})
            return
        self.app.ignored_keys += len(message.ignored)
        ip = self.request.remote_ip
        client = _http_client(ip)
        outcome = self.app.state.apply(client, message.fields)
        run_hooks(self.app, outcome)
        self.app.push_changes()
        self.finish({"ok": True, "driver": self.app.state.driver == client})


def _http_client(ip: str):
    from burro.web.driving import Client

    return Client(f"http {ip}", f"a script at {ip} (POST /drive)")


class StaticHandler(web.StaticFileHandler):
    def initialize(self, path: str, app: DriveApp, **kwargs: Any) -> None:
        super().initialize(path, **kwargs)
        self.app = app

    def prepare(self) -> None:
        self.app.refuse_unless_allowed(self)


def run_hooks(app: DriveApp, outcome: Any, reply: Any = None) -> None:
    """The side effects of an accepted message: erase (in a worker thread: it waits for the
    tub writer), behaviour; errors go back to the sender."""
    if reply is not None:
        for error in outcome.errors:
            reply({"error": error})
    if outcome.behavior is not None and app.hooks.behavior is not None:
        app.hooks.behavior.set_state(outcome.behavior)
    if outcome.erase:
        erase = app.hooks.erase_last_n
        if erase is None:
            if reply is not None:
                reply({"error": "nothing to erase: this car records no tub"})
            return
        IOLoop.current().add_future(IOLoop.current().run_in_executor(None, erase),
                                    lambda future: _erased(future, reply))


def _erased(future: Any, reply: Any) -> None:
    try:
        result = future.result()
    except Exception as error:  # noqa: BLE001 - a failed erase is reported, never raised
        log.error("erase from the web page failed: %s", error)
        if reply is not None:
            reply({"error": f"erase failed: {error}"})
        return
    count = len(result) if isinstance(result, (list, tuple)) else int(result or 0)
    if reply is not None:
        reply({"erased": count})


class _Socket(websocket.WebSocketHandler):
    """Token, origin, the 4 KiB limit and the bad-message count, for every WebSocket."""

    kind = "client"

    def initialize(self, app: DriveApp) -> None:
        self.app = app
        self.client = None
        self._bad: collections.deque[float] = collections.deque()

    def prepare(self) -> None:
        self.app.refuse_unless_allowed(self)

    def check_origin(self, origin: str) -> bool:
        ok = origin_ok(origin, self.request.headers.get("Host"),
                       self.app.settings.allowed_origins)
        if not ok:
            log.warning("web controller: WebSocket from origin %s refused (not this server; "
                        "WEB_ALLOWED_ORIGINS lists the others allowed)", origin)
        return ok

    def open(self) -> None:
        self.client = self.app.new_client(self.request, self.kind)
        self.sockets().add(self)
        self.opened()

    def on_close(self) -> None:
        self.sockets().discard(self)
        self.closed()

    def sockets(self) -> set:
        raise NotImplementedError

    def opened(self) -> None:
        pass

    def closed(self) -> None:
        pass

    def send(self, message: dict) -> None:
        self.send_text(json.dumps(message))

    def send_text(self, text: str) -> None:
        try:
            self.write_message(text)
        except websocket.WebSocketClosedError:
            pass

    def refused(self, error: MessageError | str) -> None:
        """A bad message: answered, counted; too many in BAD_WINDOW_S closes the socket."""
        self.app.bad_messages += 1
        self.send({"error": str(error)})
        now = time.monotonic()
        self._bad.append(now)
        while self._bad and now - self._bad[0] > BAD_WINDOW_S:
            self._bad.popleft()
        limit = self.app.settings.max_bad_messages
        if len(self._bad) >= limit:
            log.warning("web controller: %s sent %d bad messages in %.0f s: disconnected",
                        self.client.name if self.client else "a client", len(self._bad),
                        BAD_WINDOW_S)
            self.close(1008, f"too many bad messages ({limit} in {BAD_WINDOW_S:.0f} s)")


class DriveSocket(_Socket):
    """`/wsDrive`: Donkey's control channel, with burro's driver rules."""

    kind = "browser"

    def sockets(self) -> set:
        return self.app.drive_sockets

    def opened(self) -> None:
        state = self.app.state
        self.send({"driveMode": state.mode})
        self.send({"recording": state.recording})
        self.app.push_driver([self])

    def closed(self) -> None:
        if self.client is not None:
            self.app.state.client_closed(self.client)
            self.app.push_changes()

    def on_message(self, message: str | bytes) -> None:
        try:
            parsed = drive_message(message, self.app.behavior_count())
        except MessageError as error:
            self.refused(error)
            return
        self.app.ignored_keys += len(parsed.ignored)
        hello = parsed.fields.get("hello")
        if hello and hello["client"]:
            self._rename(hello["client"])
        outcome = self.app.state.apply(self.client, parsed.fields)
        run_hooks(self.app, outcome, self.send)
        self.app.push_changes()

    def _rename(self, who: str) -> None:
        from burro.web.driving import Client

        if self.app.state.driver != self.client:  # a driver keeps the name it was shown with
            number = self.client.id.partition("#")[2]
            self.client = Client(self.client.id, f"{who} #{number} ({self.request.remote_ip})")


class TelemetrySocket(_Socket):
    """`/wsTelemetry`: read-only; hello on open, then the telemetry ~10 times a second."""

    kind = "telemetry"

    def sockets(self) -> set:
        return self.app.telemetry_sockets

    def opened(self) -> None:
        self.send(self.app.hello())
        self.send(self.app.telemetry())

    def on_message(self, message: str | bytes) -> None:
        pass  # read-only: whatever a client sends is ignored


class CalibrateSocket(_Socket):
    """`/wsCalibrate`: drive in user mode, set the pulses live, save them."""

    kind = "calibrate"

    def sockets(self) -> set:
        return self.app.calibrate_sockets

    def opened(self) -> None:
        self.send(self.app.calibrator.state())

    def closed(self) -> None:
        if self.client is not None:
            self.app.state.client_closed(self.client)
            self.app.push_changes()

    def on_message(self, message: str | bytes) -> None:
        from burro.car.calibration_config import PWM_NAMES
        from burro.parts.drivetrains._pwm import LONGEST, SHORTEST

        try:
            parsed = calibrate_message(message, PWM_NAMES, SHORTEST, LONGEST)
        except MessageError as error:
            self.refused(error)
            return
        self.app.ignored_keys += len(parsed.ignored)
        fields = parsed.fields
        drive = {key: fields[key] for key in ("angle", "throttle") if key in fields}
        if drive:
            outcome = self.app.state.apply(self.client, {**drive, "drive_mode": "user"})
            for error in outcome.errors:
                self.send({"error": error})
            self.app.push_changes()
        calibrator = self.app.calibrator
        if "config" in fields:
            try:
                calibrator.change(fields["config"])
            except BurroError as error:
                self.refused(error.line())
                return
            self.app.broadcast(self.app.calibrate_sockets, calibrator.state())
        if fields.get("save"):
            try:
                self.send({"saved": str(calibrator.save())})
            except (BurroError, OSError) as error:
                self.send({"error": error.line() if isinstance(error, BurroError)
                           else f"cannot write myconfig.py: {error}"})
