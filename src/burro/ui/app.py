"""The `burro ui` server: the shell page, its static files, the shared state API and every
screen's routes, on Tornado in the main thread.

    GET  /                 the app (static/index.html)
    GET  /static/<path>    its scripts and styles (each screen's `static/<name>.js`)
    GET  /api/screens      [{"name", "title", "script"}], in tab order
    GET  /api/state        {"car_dir", "tubs", "roots"}
    POST /api/car          {"path": DIR} → open a car folder (config.py + myconfig.py)
    POST /api/tubs         {"paths": [DIR, ...]} → open these tubs
    GET  /api/browse?path= the folders and tubs in a folder, for the open dialogs

Every request needs the token when one is set (as the web controller's: `?token=`, the
`burro_token` cookie, or a Bearer header); every path is resolved by `UiContext.resolve`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import tornado.web
import tornado.websocket

from burro.errors import BurroError
from burro.ui.context import OutsideRoots, UiContext
from burro.web.auth import COOKIE, given_token, origin_ok, token_ok

log = logging.getLogger("burro.ui")

STATIC = Path(__file__).parent / "static"
MAX_BODY = 1024 * 1024


class UiHandler(tornado.web.RequestHandler):
    """Base of every `burro ui` handler: the token, JSON in and out, one-line errors.

    A BurroError raised by a handler is answered 400 (403 for a path outside the roots)
    with `{"error": "<one line>"}`; anything else 500 with its first line, logged."""

    def initialize(self, ui: UiContext, **kwargs: Any) -> None:
        self.ui = ui
        self.options = kwargs

    def prepare(self) -> None:
        check_token(self)
        if self.request.method not in ("GET", "HEAD") and not same_site(self):
            # another site's page in this browser must not change anything here (a cross-site
            # form or text/plain POST needs no CORS preflight)
            raise tornado.web.HTTPError(403, reason="burro ui: request from another site refused")
        if self.ui.token and self.get_query_argument("token", None):
            self.set_cookie(COOKIE, self.ui.token, httponly=True, samesite="Strict")

    def json_body(self) -> dict[str, Any]:
        """The request's JSON object, or a 400 naming what is wrong."""
        if len(self.request.body) > MAX_BODY:
            raise BurroError("request too large", self.request.path, "send less than 1 MiB")
        try:
            body = json.loads(self.request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BurroError("the request is not JSON", self.request.path,
                             "send a JSON object") from None
        if not isinstance(body, dict):
            raise BurroError("the request is not a JSON object", self.request.path,
                             "send a JSON object")
        return body

    def send_json(self, value: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(value, allow_nan=False, default=str))

    def _handle_request_exception(self, error: BaseException) -> None:
        if isinstance(error, BurroError):
            self.send_json({"error": error.line()}, 403 if isinstance(error, OutsideRoots) else 400)
        elif isinstance(error, tornado.web.HTTPError):
            self.send_json({"error": error.reason or error.log_message or "refused"},
                           error.status_code)
        else:
            log.error("burro ui: %s %s failed: %r", self.request.method, self.request.path, error)
            self.send_json({"error": f"internal error: {error!r}"}, 500)


def check_token(handler: Any) -> None:
    """403 unless the request carries the token (when one is set)."""
    given = given_token(handler.get_query_argument("token", None), handler.get_cookie(COOKIE),
                        handler.request.headers.get("Authorization"))
    if not token_ok(handler.ui.token, given):
        raise tornado.web.HTTPError(403, reason="burro ui needs its token")


def same_site(handler: Any) -> bool:
    """No Origin (a script), or this server's own pages."""
    origin = handler.request.headers.get("Origin")
    return origin is None or origin_ok(origin, handler.request.headers.get("Host"), ())


class UiSocket(tornado.websocket.WebSocketHandler):
    """Base of `burro ui`'s WebSockets: the token, and only this server's own pages."""

    def initialize(self, ui: UiContext, **kwargs: Any) -> None:
        self.ui = ui
        self.options = kwargs

    def prepare(self) -> None:
        check_token(self)

    def check_origin(self, origin: str) -> bool:
        return origin_ok(origin, self.request.headers.get("Host"), ())


class ShellHandler(UiHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish((STATIC / "index.html").read_bytes())


class StaticHandler(tornado.web.StaticFileHandler):
    def initialize(self, path: str, ui: UiContext) -> None:  # type: ignore[override]
        super().initialize(path)
        self.ui = ui

    def prepare(self) -> None:
        check_token(self)


class ScreensHandler(UiHandler):
    def get(self) -> None:
        from burro.ui.screens import SCREENS, ordered_names

        self.send_json([{"name": name, "title": SCREENS.get(name).title,
                         "script": SCREENS.get(name).script} for name in ordered_names()])


class StateHandler(UiHandler):
    def get(self) -> None:
        self.send_json(self.ui.state())


class CarHandler(UiHandler):
    def post(self) -> None:
        path = self.json_body().get("path")
        if not isinstance(path, str) or not path:
            raise BurroError("no car folder given", "path", 'send {"path": "/home/me/mycar"}')
        self.ui.open_car(path)
        self.send_json(self.ui.state())


class TubsHandler(UiHandler):
    def post(self) -> None:
        paths = self.json_body().get("paths")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise BurroError("no tubs given", "paths", 'send {"paths": ["data/tub_1"]}')
        self.ui.open_tubs(paths)
        self.send_json(self.ui.state())


class BrowseHandler(UiHandler):
    def get(self) -> None:
        given = self.get_query_argument("path", "") or str(self.ui.car_dir or self.ui.roots[0])
        folder = self.ui.resolve(given)
        if not folder.is_dir():
            raise BurroError("not a folder", given, "choose a folder")
        entries = []
        for child in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            entries.append({"name": child.name, "path": str(child),
                            "tub": (child / "manifest.json").is_file(),
                            "car": (child / "config.py").is_file()})
        parent = folder.parent
        try:
            parent_path = str(self.ui.resolve(parent))
        except BurroError:
            parent_path = None
        self.send_json({"path": str(folder), "parent": parent_path, "entries": entries,
                        "tub": (folder / "manifest.json").is_file(),
                        "car": (folder / "config.py").is_file()})


def make_app(ui: UiContext) -> tornado.web.Application:
    from burro.ui.screens import SCREENS, ordered_names

    common = {"ui": ui}
    routes: list[tuple] = [
        (r"/", ShellHandler, common),
        (r"/static/(.*)", StaticHandler, {"path": str(STATIC), "ui": ui}),
        (r"/api/screens", ScreensHandler, common),
        (r"/api/state", StateHandler, common),
        (r"/api/car", CarHandler, common),
        (r"/api/tubs", TubsHandler, common),
        (r"/api/browse", BrowseHandler, common),
    ]
    for name in ordered_names():
        routes += SCREENS.get(name).routes(ui)
    return tornado.web.Application(routes, debug=False, autoreload=False,
                                   max_body_size=64 * 1024 * 1024)
