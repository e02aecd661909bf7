"""The Tub Manager's HTTP API (every `tub=` is a path the shell resolves, and must be one of
the opened tubs):

    GET  /api/tubs/data?tub=P          columns of every field, indexes, deleted ranges, sessions
    GET  /api/tubs/image?tub=P&index=N[&key=K]   the record's image file, as stored (cached)
    POST /api/tubs/clean               {"tub", "action": "delete"|"restore", "first", "last"}
    POST /api/tubs/undo                {"tub"}: take back the tub's last delete/restore
    GET  /api/tubs/problems?tub=P      what `burro tub check` finds, lines with their indexes
    POST /api/tubs/filter              {"expression"}: records training would use, per tub
    POST /api/tubs/filter/save         {"expression"}: TRAIN_FILTER into the car's myconfig.py
    POST /api/tubs/folder              {"path"}: open every tub in a data folder
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import mimetypes
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web

from burro.errors import BurroError
from burro.training.record_filter import compile_filter
from burro.ui.app import UiHandler
from burro.ui.tubs.cleaning import Cleaner
from burro.ui.tubs.loaded import LoadedTub, TubCache, ranges_of, signature
from burro.ui.tubs.problems import tub_problems

IMAGE_MAX_AGE_S = 3600


class TubsState:
    """What the Tub Manager keeps between requests: loaded tubs and the undo stacks."""

    def __init__(self) -> None:
        self.cache = TubCache()
        self.cleaner = Cleaner()
        self._checks: dict[Path, tuple[tuple, asyncio.Future]] = {}

    def problems(self, path: Path) -> asyncio.Future:
        """`burro tub check` of the tub in a worker thread, once per state of its files:
        pages opening the tub meanwhile wait for the same check (it reads every image)."""
        stamp = signature(path)
        known = self._checks.get(path)
        running = known is not None and not known[1].done()  # one check at a time per tub
        if known is None or (not running and (known[0] != stamp or known[1].exception())):
            future = asyncio.ensure_future(tornado.ioloop.IOLoop.current().run_in_executor(
                None, tub_problems, path))
            self._checks[path] = known = (stamp, future)
        return asyncio.shield(known[1])


class TubHandler(UiHandler):
    def initialize(self, ui, state: TubsState) -> None:  # type: ignore[override]
        super().initialize(ui)
        self.state = state

    def opened_tub(self, given: Any) -> Path:
        if not isinstance(given, str) or not given:
            raise BurroError("no tub given", "tub", "name one of the opened tubs")
        path = self.ui.resolve(given)
        if path not in self.ui.tubs:
            raise BurroError("this tub is not open", given, "open it first (Tubs: in the header)")
        return path

    def loaded(self, given: Any) -> LoadedTub:
        return self.state.cache.get(self.opened_tub(given))

    def answer_cleaning(self, loaded: LoadedTub, changed: int) -> None:
        self.state.cache.refresh_signature(loaded)
        self.send_json({"changed": changed, "deleted": ranges_of(sorted(loaded.deleted)),
                        "undo": self.state.cleaner.depth(loaded)})


class DataHandler(TubHandler):
    async def get(self) -> None:
        path = self.opened_tub(self.get_query_argument("tub", ""))
        loop = tornado.ioloop.IOLoop.current()
        loaded = await loop.run_in_executor(None, self.state.cache.get, path)
        static = await loop.run_in_executor(None, loaded.columns_text)
        cfg = self.ui.config()
        chosen = cfg.TRAIN_FILTER
        changing = {"deleted": ranges_of(sorted(loaded.deleted)), "rate_hz": cfg.DRIVE_LOOP_HZ,
                    "undo": self.state.cleaner.depth(loaded),
                    "train_filter": chosen if isinstance(chosen, str) else None}
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(changing)[:-1] + "," + static[1:])


class ImageHandler(TubHandler):
    def get(self) -> None:
        loaded = self.loaded(self.get_query_argument("tub", ""))
        try:
            index = int(self.get_query_argument("index", ""))
        except ValueError:
            raise BurroError("index is not a number", "index", "send ?index=<record index>") from None
        key = self.get_query_argument("key", "") or (loaded.image_keys or [""])[0]
        image = loaded.image_path(index, key)
        if image is None or not image.is_file():
            raise tornado.web.HTTPError(404, reason=f"no image for record {index}")
        stat = image.stat()
        tag = hashlib.sha1(f"{image}:{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:16]
        self.set_header("Cache-Control", f"private, max-age={IMAGE_MAX_AGE_S}")
        self.set_header("ETag", f'"{tag}"')
        if self.request.headers.get("If-None-Match") == f'"{tag}"':
            self.set_status(304)
            self.finish()
            return
        self.set_header("Content-Type", mimetypes.guess_type(image.name)[0] or "image/jpeg")
        self.finish(image.read_bytes())


class CleanHandler(TubHandler):
    def post(self) -> None:
        body = self.json_body()
        loaded = self.loaded(body.get("tub"))
        first, last = body.get("first"), body.get("last")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last)):
            raise BurroError("first and last must be record indexes", "first/last",
                             'send {"first": 10, "last": 20}')
        change = self.state.cleaner.apply(loaded, str(body.get("action")), first, last)
        self.answer_cleaning(loaded, len(change.indexes))


class UndoHandler(TubHandler):
    def post(self) -> None:
        loaded = self.loaded(self.json_body().get("tub"))
        change = self.state.cleaner.undo(loaded)
        self.answer_cleaning(loaded, len(change.indexes))


class ProblemsHandler(TubHandler):
    async def get(self) -> None:
        path = self.opened_tub(self.get_query_argument("tub", ""))
        self.send_json(await self.state.problems(path))


def filter_counts(handler: TubHandler, expression: str) -> dict[str, Any]:
    tubs = []
    for path in handler.ui.tubs:
        loaded = handler.state.cache.get(path)
        keep = compile_filter(expression, loaded.inputs)
        used = [keep(line) for line in loaded.good_lines()]
        excluded = [i for i, line in zip(loaded.indexes, loaded.lines)
                    if i not in loaded.deleted and not keep(line)]
        tubs.append({"path": str(path), "kept": sum(used), "total": len(used),
                     "excluded": ranges_of(excluded)})
    return {"expression": expression, "kept": sum(t["kept"] for t in tubs),
            "total": sum(t["total"] for t in tubs), "tubs": tubs}


class FilterHandler(TubHandler):
    async def post(self) -> None:
        expression = self.json_body().get("expression")
        if not isinstance(expression, str):
            raise BurroError("no filter expression given", "expression",
                             'send {"expression": "user/throttle > 0.1"}')
        if not self.ui.tubs:
            raise BurroError("no tub is open", "burro ui", "open a tub first")
        loop = tornado.ioloop.IOLoop.current()
        self.send_json(await loop.run_in_executor(None, filter_counts, self, expression))


class SaveFilterHandler(TubHandler):
    def post(self) -> None:
        from burro.config.myconfig_edit import set_key

        expression = self.json_body().get("expression")
        if expression is not None and not isinstance(expression, str):
            raise BurroError("the filter must be a string", "expression", "send a string")
        if self.ui.car_dir is None:
            raise BurroError("no car folder is open", "TRAIN_FILTER",
                             "open the car folder whose myconfig.py should hold the filter")
        expression = (expression or "").strip() or None
        if expression is not None:
            for path in self.ui.tubs:
                compile_filter(expression, self.state.cache.get(path).inputs)
        myconfig = self.ui.car_dir / "myconfig.py"
        set_key(myconfig, "TRAIN_FILTER", expression)
        self.ui.reload_config()
        self.send_json({"saved": str(myconfig), "expression": expression})


class FolderHandler(TubHandler):
    def post(self) -> None:
        from burro.tub.reader import tub_paths

        given = self.json_body().get("path")
        if not isinstance(given, str) or not given:
            raise BurroError("no folder given", "path", 'send {"path": "data"}')
        folder = self.ui.resolve(given)
        self.ui.open_tubs([str(path) for path in tub_paths(str(folder))])
        self.send_json(self.ui.state())


def routes(ui) -> list[tuple]:
    options = {"ui": ui, "state": TubsState()}
    return [(rf"/api/tubs/{name}", handler, options) for name, handler in (
        ("data", DataHandler), ("image", ImageHandler), ("clean", CleanHandler),
        ("undo", UndoHandler), ("problems", ProblemsHandler), ("filter", FilterHandler),
        ("filter/save", SaveFilterHandler), ("folder", FolderHandler))]
