"""The arena's HTTP API (under /api/arena/). Inference, image work and job starts run in the
arena's thread pool, never in Tornado's thread.

    GET    /api/arena/pilots?folder=     the pilot files (default: the car's models/)
    GET    /api/arena/options            augmentations, transformations, model types, tracks
    GET    /api/arena/frames             how many frames the opened tubs give
    GET    /api/arena/image/<pos>?view=  the frame as JPEG (view: JSON of the preview)
    POST   /api/arena/predict            {position, pilots: [...], view?} -> each pilot's output
    POST   /api/arena/range              {pilots, start, end, view?} -> a job (predicted vs
                                         recorded, MSE)
    POST   /api/arena/drive              {pilot, laps, track?} -> a job (burro sim drive)
    GET    /api/arena/jobs/<id>          its progress and result; DELETE cancels it
    GET    /api/arena/jobs/<id>/plot.png the drive's path plot
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tornado.ioloop
import tornado.web

from burro.errors import BurroError
from burro.ui.app import UiHandler
from burro.ui.arena.frames import FrameList
from burro.ui.arena.jobs import DriveJob, Jobs, RangeJob, sampled
from burro.ui.arena.pilots import PilotCache, list_pilots, parse_choice, parse_choices

MAX_LAPS = 20
MAX_DRIVES = 4


class Arena:
    """What the arena keeps while the server runs: frames, opened pilots, jobs, its pool."""

    def __init__(self) -> None:
        self.frames = FrameList()
        self.pilots = PilotCache()
        self.jobs = Jobs()
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="arena")


class ArenaHandler(UiHandler):
    @property
    def arena(self) -> Arena:
        return self.options["arena"]

    async def in_pool(self, function: Any, *args: Any) -> Any:
        return await tornado.ioloop.IOLoop.current().run_in_executor(self.arena.pool, function,
                                                                     *args)

    def view_from(self, given: Any) -> Any:
        from burro.ui.arena.preview import View

        if isinstance(given, str) and given:
            try:
                given = json.loads(given)
            except ValueError:
                raise BurroError("the view is not JSON", "view", "send a JSON object") from None
        return View(given, self.ui.config()) if given else None


class PilotsHandler(ArenaHandler):
    def get(self) -> None:
        folder_arg = self.get_query_argument("folder", "")
        if folder_arg:
            folder = self.ui.resolve(folder_arg)
        elif self.ui.car_dir is not None:
            folder = self.ui.car_dir / str(self.ui.config().MODELS_PATH or "models")
        else:
            folder = None
        self.send_json({"folder": str(folder) if folder else None,
                        "pilots": list_pilots(folder) if folder else []})


class OptionsHandler(ArenaHandler):
    def get(self) -> None:
        from burro.models import model_types
        from burro.sim.tracks import TRACKS
        from burro.ui.arena.preview import options

        cfg = self.ui.config()
        self.send_json({**options(cfg), "types": model_types(), "tracks": TRACKS.names(),
                        "track": str(getattr(cfg, "SIM_TRACK", "") or "")})


class FramesHandler(ArenaHandler):
    async def get(self) -> None:
        frames = await self.in_pool(self.arena.frames.of, list(self.ui.tubs))
        self.send_json({"count": len(frames), "tubs": [str(tub) for tub in self.ui.tubs]})


class ImageHandler(ArenaHandler):
    async def get(self, position: str) -> None:
        from burro.ui.arena.preview import jpeg

        view = self.view_from(self.get_query_argument("view", ""))
        tubs = list(self.ui.tubs)

        def render() -> bytes:
            image = self.arena.frames.frame(tubs, int(position)).pixels()
            return jpeg(view.apply(image) if view else image)

        data = await self.in_pool(render)
        self.set_header("Content-Type", "image/jpeg")
        self.set_header("Cache-Control", "no-store")
        self.finish(data)


def _record(frame: Any, position: int) -> dict[str, Any]:
    return {"position": position, "tub": str(frame.tub), "index": frame.index,
            "angle": frame.angle, "throttle": frame.throttle}


class PredictHandler(ArenaHandler):
    async def post(self) -> None:
        body = self.json_body()
        choices = parse_choices(body.get("pilots"), self.ui.resolve)
        view = self.view_from(body.get("view"))
        tubs, cfg, position = list(self.ui.tubs), self.ui.config(), body.get("position")

        def run() -> dict[str, Any]:
            frame = self.arena.frames.frame(tubs, position)
            image = frame.pixels()
            if view is not None:
                image = view.augmented(image)
            return {"record": _record(frame, position),
                    "predictions": [{"label": choice.label, "path": str(choice.path),
                                     **self.arena.pilots.predict(choice, cfg, image,
                                                                 frame.values)}
                                    for choice in choices]}

        self.send_json(await self.in_pool(run))


class RangeHandler(ArenaHandler):
    async def post(self) -> None:
        body = self.json_body()
        choices = parse_choices(body.get("pilots"), self.ui.resolve)
        view = self.view_from(body.get("view"))
        frames = await self.in_pool(self.arena.frames.of, list(self.ui.tubs))
        start, end = body.get("start", 0), body.get("end", len(frames))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) \
                or not 0 <= start < end <= len(frames):
            raise BurroError(f"no range [{start!r}, {end!r}) in {len(frames)} frames", "range",
                             f"give 0 <= start < end <= {len(frames)}")
        cfg = self.ui.config()
        jobs = self.arena.jobs
        job = jobs.add(RangeJob(jobs.next_id(), frames, sampled(start, end), choices,
                                lambda choice, image, values:
                                self.arena.pilots.predict(choice, cfg, image, values), view))
        self.send_json(job.to_json())


class DriveHandler(ArenaHandler):
    async def post(self) -> None:
        from burro.sim.tracks import TRACKS

        body = self.json_body()
        choice = parse_choice(body.get("pilot"), self.ui.resolve)
        laps = body.get("laps", 1)
        if isinstance(laps, bool) or not isinstance(laps, int) or not 1 <= laps <= MAX_LAPS:
            raise BurroError(f"laps {laps!r} is not from 1 to {MAX_LAPS}", "laps", "give e.g. 3")
        track = body.get("track") or None
        if track is not None:
            TRACKS.canonical(str(track).split(":")[0], where="track")
        if len(self.arena.jobs.running("drive")) >= MAX_DRIVES:
            raise BurroError(f"{MAX_DRIVES} drives are running", "simulator",
                             "wait for one to finish or cancel it")
        jobs, car_dir = self.arena.jobs, self.ui.car_dir
        job = await self.in_pool(lambda: jobs.add(DriveJob(jobs.next_id(), choice, laps,
                                                           track, car_dir)))
        self.send_json(job.to_json())


class JobHandler(ArenaHandler):
    def get(self, job_id: str) -> None:
        self.send_json(self.arena.jobs.get(job_id).to_json())

    def delete(self, job_id: str) -> None:
        job = self.arena.jobs.get(job_id)
        job.cancel()
        self.send_json(job.to_json())


class PlotHandler(ArenaHandler):
    def get(self, job_id: str) -> None:
        job = self.arena.jobs.get(job_id)
        path: Path | None = getattr(job, "plot_path", None)
        if path is None or not path.is_file():
            raise tornado.web.HTTPError(404, reason="no plot for this job (yet)")
        self.set_header("Content-Type", "image/png")
        self.set_header("Cache-Control", "no-store")
        self.finish(path.read_bytes())


def routes(ui: Any) -> list[tuple]:
    common = {"ui": ui, "arena": Arena()}
    return [
        (r"/api/arena/pilots", PilotsHandler, common),
        (r"/api/arena/options", OptionsHandler, common),
        (r"/api/arena/frames", FramesHandler, common),
        (r"/api/arena/image/(\d+)", ImageHandler, common),
        (r"/api/arena/predict", PredictHandler, common),
        (r"/api/arena/range", RangeHandler, common),
        (r"/api/arena/drive", DriveHandler, common),
        (r"/api/arena/jobs/(\d+)", JobHandler, common),
        (r"/api/arena/jobs/(\d+)/plot\.png", PlotHandler, common),
    ]
