"""The car connector's work: is the car reachable, what tubs and pilots it holds, pulling
tubs, pushing pilots, and running `manage.py drive` on it — each an ssh or rsync subprocess
on Tornado's asyncio loop (never blocking it)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from burro.errors import BurroError, first_line
from burro.ui.car.jobs import Job
from burro.ui.car.remote import PILOT_FORMATS, SETTINGS, Remote, check_model_type, check_name
from burro.ui.car.scripts import drive_script, list_script, parse_listing
from burro.ui.context import UiContext

STATUS_MAX_AGE_S = 2.0
STATUS_TIMEOUT_S = 10.0
LIST_TIMEOUT_S = 20.0
STOP_GRACE_S = 15.0  # after SIGINT, the drive gets this long to shut down before SIGTERM
DATABASE = "database.json"
PARTIAL = "--partial-dir=.rsync-partial"
"""An interrupted copy keeps what arrived there (the next copy resumes from it), never a
half file under the real name: each file appears complete, renamed into place by rsync."""


class CarConnector:
    def __init__(self, ui: UiContext):
        self.ui = ui
        self.overrides: dict[str, Any] = {}  # settings changed on the page, not saved
        self.jobs: list[Job] = []
        self._status: dict[str, Any] | None = None  # the last check, with the settings it used
        self._checking: asyncio.Future | None = None
        self._checking_for: str | None = None
        self._listeners: list[Any] = []

    # ----- settings --------------------------------------------------------------------------
    def remote(self) -> Remote:
        """The car as the opened car's config says, with the page's changes; local files
        (the ssh key, an ssh_config) resolved inside the folders burro ui may use."""
        return self._remote_for(self.overrides)

    def _remote_for(self, overrides: dict[str, Any]) -> Remote:
        remote = Remote.from_config(self.ui.config()).with_settings(overrides)
        local = {name: str(self.ui.resolve(getattr(remote, name)))
                 for name in ("identity", "ssh_config") if getattr(remote, name)}
        return remote.with_settings(local) if local else remote

    def change_settings(self, settings: dict[str, Any], save: bool) -> Remote:
        merged = {**self.overrides, **settings}
        self._remote_for(merged)  # refuses a bad value now
        if save:
            self._save(merged)
            merged = {}
        self.overrides = merged
        self._status = None
        return self.remote()

    def _save(self, settings: dict[str, Any]) -> None:
        from burro.config.myconfig_edit import set_key

        if self.ui.car_dir is None:
            raise BurroError("no car folder is open", "save", "open a car folder first, or "
                             "use the settings without saving them")
        myconfig = self.ui.car_dir / "myconfig.py"
        for name, value in settings.items():
            set_key(myconfig, SETTINGS[name], None if value == "" else value)
        self.ui.reload_config()

    def shown_settings(self) -> dict[str, Any]:
        """The settings for the page, also when they are wrong (the page shows them to fix)."""
        try:
            return {"settings": self.remote().settings(), "error": None}
        except BurroError as error:
            cfg = self.ui.config()
            values = {name: self.overrides.get(name, cfg.get(key))
                      for name, key in SETTINGS.items()}
            return {"settings": values, "error": error.line()}

    # ----- status ----------------------------------------------------------------------------
    async def status(self) -> dict[str, Any]:
        """Connected / disconnected, from `ssh … true` at most STATUS_MAX_AGE_S old; checks
        asked for while one runs share it."""
        settings = self._settings_key()
        status = self._status
        if (status and status["for"] == settings
                and time.time() - status["checked"] < STATUS_MAX_AGE_S):
            return _shown(status)
        if self._checking is None or self._checking.done() or self._checking_for != settings:
            self._checking = asyncio.ensure_future(self._check(settings))
            self._checking_for = settings
        return _shown(await asyncio.shield(self._checking))

    def _settings_key(self) -> str:
        """What a status was checked with: the car's settings (or why they are wrong)."""
        try:
            return repr(sorted(self.remote().settings().items()))
        except BurroError as error:
            return error.line()

    async def _check(self, settings: str) -> dict[str, Any]:
        try:
            remote = self.remote()
        except BurroError as error:
            return self._set_status(settings, "disconnected", "?", error.line())
        code, output = await run_captured(remote.ssh("true"), STATUS_TIMEOUT_S)
        if code == 0:
            return self._set_status(settings, "connected", remote.target, "")
        return self._set_status(settings, "disconnected", remote.target, ssh_problem(output))

    def _set_status(self, settings: str, state: str, target: str,
                    message: str) -> dict[str, Any]:
        status = {"state": state, "target": target, "message": message,
                  "checked": time.time(), "for": settings}
        if settings == self._settings_key():
            self._status = status  # not a check of settings changed meanwhile
        return status

    # ----- what the car holds ----------------------------------------------------------------
    async def listing(self) -> dict[str, Any]:
        remote = self.remote()
        code, output = await run_captured(remote.ssh(list_script(remote)), LIST_TIMEOUT_S)
        if code != 0:
            raise BurroError(f"cannot list the car: {ssh_problem(output)}", remote.target,
                             "check the connection status and PI_CAR_DIR")
        listing = parse_listing(output)
        if not listing["car"]:
            raise BurroError("no such folder on the car", f"{remote.target}:{remote.car_dir}",
                             "set PI_CAR_DIR to the car folder (burro createcar made it)")
        return {**listing, "target": remote.target, "car_dir": remote.car_dir}

    def local(self) -> dict[str, Any]:
        """This computer's side: the opened car's data/ and models/ and what they hold."""
        cfg = self.ui.config()
        if self.ui.car_dir is None:
            return {"car_dir": None, "data_dir": None, "models_dir": None, "pilots": [],
                    "database": False}
        data_dir, models_dir = cfg.path("DATA_PATH"), cfg.path("MODELS_PATH")
        pilots: dict[str, dict[str, Any]] = {}
        for path in sorted(models_dir.glob("*")) if models_dir.is_dir() else []:
            if path.is_file() and path.suffix in PILOT_FORMATS:
                pilot = pilots.setdefault(path.stem, {"name": path.stem, "formats": [],
                                                      "json": path.with_suffix(".json").is_file()})
                pilot["formats"].append(path.suffix)
        return {"car_dir": str(self.ui.car_dir), "data_dir": str(data_dir),
                "models_dir": str(models_dir), "pilots": list(pilots.values()),
                "database": (models_dir / DATABASE).is_file()}

    # ----- jobs ------------------------------------------------------------------------------
    def pull(self, tubs: list[Any], into: str | None) -> Job:
        """rsync each tub from the car's data/ into `into` (default: the opened car's data
        folder); a tub pulled again keeps the records deleted here."""
        remote = self.remote()
        if not isinstance(tubs, list) or not tubs:
            raise BurroError("no tubs chosen", "tubs", "tick the tubs to pull")
        names = [name if name == "." else check_name(name, "tub") for name in tubs]
        target = self._local_folder(into, "DATA_PATH")
        whole = _whole_data_name(remote.host)  # the car's data/ when it is one tub
        commands, local_tubs = [], []
        rsync = ["rsync", "-a", PARTIAL, "--info=progress2", "--no-inc-recursive",
                 "-e", remote.rsync_shell()]
        named = [name for name in names if name != "."]
        if named:
            commands.append([*rsync, *[remote.remote("data", name) for name in named],
                             str(target) + "/"])
        if "." in names:
            commands.append([*rsync, "--include=/images/", "--exclude=/*/",  # no tubs inside
                             remote.remote("data") + "/", str(target / whole) + "/"])
        for name in [*named, *([whole] if "." in names else [])]:
            local_tubs.append(self.ui.resolve(target / name, must_exist=False))
        kept = {tub: _deleted_indexes(tub) for tub in local_tubs}

        def finished(job: Job) -> None:
            if job.state == "done":
                job.result = {"tubs": [str(tub) for tub in local_tubs],
                              "kept_deleted": _restore_deleted(kept)}

        title = f"pull {', '.join(names)} from {remote.target} into {target}"
        return self._start(Job("pull", commands, title, finished))

    def push(self, pilots: list[Any], formats: list[Any], database: bool,
             source: str | None) -> Job:
        """rsync the chosen pilots in the chosen formats, each with its .json (and
        database.json) to the car's models/."""
        remote = self.remote()
        if not isinstance(pilots, list) or not pilots:
            raise BurroError("no pilots chosen", "pilots", "tick the pilots to push")
        if not isinstance(formats, list) or not formats or not set(formats) <= set(PILOT_FORMATS):
            raise BurroError(f"bad formats {formats!r}", "formats",
                             "choose one or more of " + ", ".join(PILOT_FORMATS))
        models = self._local_folder(source, "MODELS_PATH")
        files: list[Path] = []
        for name in pilots:
            stem = check_name(name, "pilot")
            found = [path for ext in formats if (path := models / f"{stem}{ext}").is_file()]
            if not found:
                raise BurroError(f"pilot {stem} has none of the formats {', '.join(formats)}",
                                 str(models), "choose another format or train/export it")
            metadata = models / f"{stem}.json"  # what the car needs to run it
            files += [*found, *([metadata] if metadata.is_file() else [])]
        if database and (models / DATABASE).is_file():
            files.append(models / DATABASE)
        files = [self.ui.resolve(path) for path in files]
        argv = ["rsync", "-t", PARTIAL, "--info=progress2", "-e", remote.rsync_shell(),
                *map(str, files), remote.remote("models") + "/"]
        job = Job("push", [argv], f"push {len(files)} files to {remote.target}:"
                  f"{remote.car_dir}/models", None)
        job.result = {"files": [path.name for path in files]}
        return self._start(job)

    def drive(self, pilot: Any, model_type: Any) -> Job:
        if any(job.kind == "drive" and job.running for job in self.jobs):
            raise BurroError("the car is already driving", "drive", "stop it first")
        remote = self.remote()
        pilot = None if pilot in (None, "") else check_name(pilot, "pilot")
        model_type = check_model_type(model_type)
        argv = remote.ssh(drive_script(remote, pilot, model_type))
        title = f"drive on {remote.target}" + (f" with {pilot}" if pilot else " (no pilot)")
        return self._start(Job("drive", [argv], title, None, stdin=True))

    def stop_drive(self) -> Job:
        job = next((job for job in reversed(self.jobs) if job.kind == "drive" and job.running),
                   None)
        if job is None:
            raise BurroError("the car is not driving", "stop", "start a drive first")
        job.stop_requested = True
        job.close_input()  # the car's drive script sends SIGINT to manage.py
        job.insisting = asyncio.ensure_future(self._insist(job))
        return job

    async def _insist(self, job: Job) -> None:
        """A drive that does not end after SIGINT gets SIGTERM, then its ssh is ended."""
        for step in ("TERM", "local"):
            try:
                await asyncio.wait_for(job.finished.wait(), STOP_GRACE_S)
                return
            except TimeoutError:
                pass
            if step == "TERM" and job.pid:
                await run_captured(self.remote().ssh(f"kill -TERM {int(job.pid)}"), 10)
            elif step == "local":
                job.terminate()

    def _start(self, job: Job) -> Job:
        if job.kind in ("pull", "push") and any(
                other.kind in ("pull", "push") and other.running for other in self.jobs):
            raise BurroError("a copy is running", job.kind, "wait for it to finish")
        self.jobs = [*[old for old in self.jobs if old.running], *self._recent(), job]
        job.listen(self._tell)
        job.task = asyncio.ensure_future(job.run())  # kept: a task nobody holds may vanish
        self._tell({"job": job.summary()})
        return job

    def _recent(self) -> list[Job]:
        ended = [job for job in self.jobs if not job.running]
        return ended[-10:]

    def _local_folder(self, given: str | None, key: str) -> Path:
        if given:
            folder = self.ui.resolve(given)
        elif self.ui.car_dir is not None:
            folder = self.ui.resolve(self.ui.config().path(key), must_exist=False)
            folder.mkdir(parents=True, exist_ok=True)
        else:
            raise BurroError("no car folder is open", key, "open the car folder on this "
                             "computer first (its data/ and models/ are used)")
        if not folder.is_dir():
            raise BurroError("not a folder", str(given), "choose a folder")
        return folder

    def job(self, job_id: int) -> Job:
        for job in self.jobs:
            if job.id == job_id:
                return job
        raise BurroError(f"no job {job_id}", "jobs", "reload the page")

    # ----- listeners (the page's WebSocket) --------------------------------------------------
    def listen(self, listener) -> None:
        self._listeners.append(listener)

    def unlisten(self, listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _tell(self, message: dict[str, Any]) -> None:
        for listener in list(self._listeners):
            listener(message)


async def run_captured(argv: list[str], timeout: float) -> tuple[int, str]:
    """Run a short command; (exit code, stdout+stderr). A timeout kills it (code 124)."""
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT, start_new_session=True)
    except OSError as error:
        return 127, f"cannot run {argv[0]}: {error.strerror}"
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return 124, f"no answer within {timeout:.0f} s"
    return process.returncode, output.decode("utf-8", "replace")


def _shown(status: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in status.items() if name != "for"}


def ssh_problem(output: str) -> str:
    """The line of ssh's output that says why it failed, with what to do about it."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    line = next((line for line in reversed(lines) if "ssh:" in line or "denied" in line
                 or "failed" in line.lower()), lines[-1] if lines else "ssh failed")
    hints = {"Permission denied": "set up passwordless ssh (docs/ui-car.md)",
             "Host key verification failed": "ssh to the car once by hand to accept its host key",
             "Could not resolve hostname": "check PI_HOSTNAME (or use the car's IP address)",
             "Connection refused": "is the car's ssh server on? (sudo raspi-config → SSH)",
             "timed out": "is the car on, and on this network?"}
    hint = next((todo for text, todo in hints.items() if text in line), "")
    return first_line(line) + (f" — {hint}" if hint else "")


def _whole_data_name(host: str) -> str:
    """The local name of a car's data/ folder pulled as one tub: `donkeypi_data` for
    donkeypi.local, `192-168-1-20_data` for an address."""
    plain = host.replace(".", "").isdigit()
    return f"{host.replace('.', '-') if plain else host.split('.')[0]}_data"


def _deleted_indexes(tub: Path) -> set[int]:
    from burro.tub.manifest import read_manifest

    if not (tub / "manifest.json").is_file():
        return set()
    try:
        return set(read_manifest(tub).deleted_indexes)
    except BurroError:
        return set()


def _restore_deleted(kept: dict[Path, set[int]]) -> dict[str, int]:
    """Put back the records deleted here that the pulled manifest (the car's) undid."""
    from burro.tub.manifest import read_manifest, write_manifest

    restored = {}
    for tub, deleted in kept.items():
        if not deleted or not (tub / "manifest.json").is_file():
            continue
        manifest = read_manifest(tub)
        missing = deleted - manifest.deleted_indexes
        if missing:
            manifest.deleted_indexes |= missing
            write_manifest(tub, manifest)
        restored[tub.name] = len(missing)
    return restored
