"""The Car Connector's routes (all under /api/car/, JSON in and out):

    GET  settings          {"settings": {user, host, car_dir, port, identity, ssh_config, python},
                            "error": why they do not work or null, "keys": {setting: key}}
    PUT  settings          {"settings": {...}, "save": bool} → change them (save: into myconfig.py)
    GET  status            {"state": "connected"|"disconnected", "target", "message", "checked"}
    GET  remote            the car's tubs (data/) and pilots (models/)
    GET  local             this computer's data/ and models/ (pilots with their formats)
    POST pull              {"tubs": [name, ...], "into": DIR?} → a job
    POST push              {"pilots": [stem, ...], "formats": [".tflite", ...], "database": bool}
    POST drive             {"pilot": name|null, "type": str|null} → a job
    POST drive/stop        SIGINT to the car's manage.py
    GET  jobs, jobs/<id>   the jobs with their last output lines
    WS   socket            every job's lines, progress and end, as they come
"""

from __future__ import annotations

import json
from typing import Any

import tornado.web
import tornado.websocket

from burro.errors import BurroError
from burro.ui.app import UiHandler, UiSocket
from burro.ui.car.connector import CarConnector
from burro.ui.car.remote import SETTINGS

SHOWN_LINES = 500


class CarHandler(UiHandler):
    @property
    def car(self) -> CarConnector:
        return self.options["connector"]


class SettingsHandler(CarHandler):
    def get(self) -> None:
        self.send_json({**self.car.shown_settings(), "keys": SETTINGS,
                        "car_dir": str(self.ui.car_dir) if self.ui.car_dir else None})

    def put(self) -> None:
        body = self.json_body()
        settings = body.get("settings")
        if not isinstance(settings, dict):
            raise BurroError("no settings given", "settings",
                             'send {"settings": {"host": "donkeypi.local"}}')
        remote = self.car.change_settings(settings, bool(body.get("save")))
        self.send_json({"settings": remote.settings(), "keys": SETTINGS})


class StatusHandler(CarHandler):
    async def get(self) -> None:
        self.send_json(await self.car.status())


class RemoteHandler(CarHandler):
    async def get(self) -> None:
        self.send_json(await self.car.listing())


class LocalHandler(CarHandler):
    def get(self) -> None:
        self.send_json(self.car.local())


class PullHandler(CarHandler):
    def post(self) -> None:
        body = self.json_body()
        job = self.car.pull(body.get("tubs"), body.get("into"))
        self.send_json(job.summary())


class PushHandler(CarHandler):
    def post(self) -> None:
        body = self.json_body()
        job = self.car.push(body.get("pilots"), body.get("formats"),
                            bool(body.get("database", True)), body.get("from"))
        self.send_json(job.summary())


class DriveHandler(CarHandler):
    def post(self) -> None:
        body = self.json_body()
        self.send_json(self.car.drive(body.get("pilot"), body.get("type")).summary())


class StopHandler(CarHandler):
    def post(self) -> None:
        self.send_json(self.car.stop_drive().summary())


class JobsHandler(CarHandler):
    def get(self, job_id: str | None = None) -> None:
        if job_id is not None:
            self.send_json(self.car.job(int(job_id)).summary(SHOWN_LINES))
        else:
            self.send_json([job.summary(SHOWN_LINES) for job in self.car.jobs])


class SocketHandler(UiSocket):
    """Sends `{"jobs": [...]}` at open, then each job message as it comes."""

    @property
    def car(self) -> CarConnector:
        return self.options["connector"]

    def open(self) -> None:
        self.write_message(json.dumps({"jobs": [job.summary(SHOWN_LINES)
                                                for job in self.car.jobs]}))
        self.car.listen(self.send)

    def send(self, message: dict[str, Any]) -> None:
        try:
            self.write_message(json.dumps(message, default=str))
        except tornado.websocket.WebSocketClosedError:
            self.car.unlisten(self.send)

    def on_close(self) -> None:
        self.car.unlisten(self.send)


def routes(ui: Any) -> list[tuple]:
    kwargs = {"ui": ui, "connector": CarConnector(ui)}
    return [(rf"/api/car/{path}", handler, kwargs) for path, handler in (
        ("settings", SettingsHandler), ("status", StatusHandler), ("remote", RemoteHandler),
        ("local", LocalHandler), ("pull", PullHandler), ("push", PushHandler),
        ("drive", DriveHandler), ("drive/stop", StopHandler), ("jobs", JobsHandler),
        (r"jobs/(\d+)", JobsHandler), ("socket", SocketHandler))]
