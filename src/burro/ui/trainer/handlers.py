"""The Trainer's API (docs/ui-trainer.md):

    GET    /api/trainer/options         model types, config keys, transfer models, tubs
    POST   /api/trainer/check           the training plan's checks on a request
    POST   /api/trainer/train           check, save overrides into myconfig.py if asked, start
    GET    /api/trainer/job             the current (or last) run, or null
    POST   /api/trainer/job/cancel      SIGINT to the run (it keeps its best epoch)
    GET    /api/trainer/models          the model database's rows
    GET    /api/trainer/models/N        one pilot: row, config, training facts
    PUT    /api/trainer/models/N        {"comment"}
    DELETE /api/trainer/models/N        {"confirm": NAME}: files to models/.deleted, row removed
    POST   /api/trainer/restore         {"trash"}: undo a delete

Slow work (reading the tubs for the checks) runs in a thread; training in a subprocess.
"""

from __future__ import annotations

from typing import Any

import tornado.ioloop

from burro.errors import BurroError
from burro.ui.app import UiHandler
from burro.ui.trainer import pilots
from burro.ui.trainer.request import check_request, editable_keys, parse_request, save_overrides


async def _in_thread(function: Any, *args: Any) -> Any:
    return await tornado.ioloop.IOLoop.current().run_in_executor(None, function, *args)


class TrainerHandler(UiHandler):
    @property
    def trainer(self) -> Any:
        return self.options["trainer"]

    def models_dir(self) -> Any:
        return pilots.models_dir(self.ui.config())


class OptionsHandler(TrainerHandler):
    async def get(self) -> None:
        from burro.models import model_types
        from burro.training.plan import default_model_type

        cfg = self.ui.config()
        folder = self.models_dir()
        transfers = await _in_thread(pilots.transfer_choices, folder) if folder.is_dir() else []
        self.send_json({"types": model_types(), "default_type": default_model_type(cfg),
                        "keys": editable_keys(cfg), "transfers": transfers,
                        "tubs": [str(tub) for tub in self.ui.tubs],
                        "car_dir": str(self.ui.car_dir) if self.ui.car_dir else None,
                        "models_dir": str(folder)})


class CheckHandler(TrainerHandler):
    async def post(self) -> None:
        request = parse_request(self.ui, self.json_body())
        self.send_json(await _in_thread(check_request, request))


class TrainHandler(TrainerHandler):
    async def post(self) -> None:
        request = parse_request(self.ui, self.json_body())
        checked = await _in_thread(check_request, request)
        saved = []
        if request.save_to_myconfig and request.overrides:
            saved = save_overrides(request)
            self.ui.reload_config()
        job = self.trainer.start(request)
        self.send_json({"check": checked, "saved": saved, "job": job.view()})


class JobHandler(TrainerHandler):
    def get(self) -> None:
        job = self.trainer.current
        self.send_json(job.view() if job else None)


class CancelHandler(TrainerHandler):
    def post(self) -> None:
        job = self.trainer.current
        if job is None:
            raise BurroError("no training to cancel", "Trainer", "start one first")
        job.cancel()
        self.send_json(job.view())


class ModelsHandler(TrainerHandler):
    async def get(self) -> None:
        folder = self.models_dir()
        self.send_json({"models_dir": str(folder),
                        "rows": await _in_thread(pilots.list_pilots, folder)})


class ModelHandler(TrainerHandler):
    async def get(self, number: str) -> None:
        self.send_json(await _in_thread(pilots.pilot_detail, self.models_dir(), int(number)))

    def put(self, number: str) -> None:
        comment = self.json_body().get("comment", "")
        self.send_json(pilots.set_comment(self.models_dir(), int(number), comment))

    def delete(self, number: str) -> None:
        folder = self.models_dir()
        row = pilots.pilot_detail(folder, int(number))["row"]
        if self.json_body().get("confirm") != row.get("Name"):
            raise BurroError("deleting a pilot needs its name as confirmation",
                             f"pilot {row.get('Name')}", 'send {"confirm": "<its Name>"}')
        self.send_json(pilots.delete_pilot(folder, int(number)))


class RestoreHandler(TrainerHandler):
    def post(self) -> None:
        trash = self.json_body().get("trash")
        if not isinstance(trash, str):
            raise BurroError("no deleted pilot given", "trash", 'send {"trash": "<folder>"}')
        self.send_json(pilots.restore_pilot(self.models_dir(), trash))


def routes(ui: Any, trainer: Any) -> list[tuple]:
    common = {"ui": ui, "trainer": trainer}
    return [
        (r"/api/trainer/options", OptionsHandler, common),
        (r"/api/trainer/check", CheckHandler, common),
        (r"/api/trainer/train", TrainHandler, common),
        (r"/api/trainer/job", JobHandler, common),
        (r"/api/trainer/job/cancel", CancelHandler, common),
        (r"/api/trainer/models", ModelsHandler, common),
        (r"/api/trainer/models/(\d+)", ModelHandler, common),
        (r"/api/trainer/restore", RestoreHandler, common),
    ]
