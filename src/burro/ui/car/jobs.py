"""A command the car connector runs (rsync, ssh … manage.py drive) as an asyncio subprocess
on Tornado's loop: its output kept line by line (rsync's `\\r` progress updates parsed, not
kept), its state, and listeners (the WebSocket) told of every change. Never blocks the loop."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections import deque
from collections.abc import Callable
from typing import Any

KEPT_LINES = 2000
PROGRESS2 = re.compile(rb"^\s*([\d,.]+)\s+(\d{1,3})%\s+(\S+/s)\s+(\d+:\d\d:\d\d)")
"""rsync --info=progress2: `  3,000,000 100%   38.66MB/s    0:00:00 (xfr#1, to-chk=0/2)`."""

_ids = itertools.count(1)


class Job:
    """`kind` (pull, push, drive), `argv`, `state`: running → done | failed | stopped."""

    def __init__(self, kind: str, commands: list[list[str]], title: str,
                 on_exit: Callable[[Job], Any] | None = None, stdin: bool = False):
        self.id = next(_ids)
        self.kind = kind
        self.commands = commands  # run one after the other; the first that fails ends the job
        self.title = title
        self.state = "running"
        self.returncode: int | None = None
        self.lines: deque[str] = deque(maxlen=KEPT_LINES)
        self.line_count = 0
        self.progress: dict[str, Any] | None = None
        self.pid: int | None = None  # the remote process (drive prints `PID: n`)
        self.started = time.time()
        self.ended: float | None = None
        self.stop_requested = False
        self.result: dict[str, Any] = {}
        self._on_exit = on_exit
        self._stdin = stdin
        self._process: asyncio.subprocess.Process | None = None
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self.finished = asyncio.Event()
        self.task: asyncio.Future | None = None  # run(), and the stop's follow-up
        self.insisting: asyncio.Future | None = None

    # ----- running ---------------------------------------------------------------------------
    async def run(self) -> None:
        returncode = 0
        for argv in self.commands:
            returncode = await self._run_one(argv)
            if returncode != 0 or self.stop_requested:
                break
        self._end(returncode)

    async def _run_one(self, argv: list[str]) -> int:
        try:
            self._process = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE if self._stdin else
                asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT, start_new_session=True)
        except OSError as error:
            self._add_line(f"burro ui: cannot run {argv[0]}: {error.strerror}")
            return 127
        await self._read(self._process.stdout)
        return await self._process.wait()

    async def _read(self, stream: asyncio.StreamReader) -> None:
        pending = b""
        while chunk := await stream.read(65536):
            pending += chunk
            *parts, pending = re.split(rb"[\r\n]", pending)
            for part in parts:
                self._take(part)
        if pending:
            self._take(pending)

    def _take(self, raw: bytes) -> None:
        match = PROGRESS2.match(raw)
        if match:
            self.progress = {"bytes": int(re.sub(rb"\D", b"", match.group(1)) or 0),
                             "percent": int(match.group(2)),
                             "speed": match.group(3).decode(), "eta": match.group(4).decode()}
            self._tell({"progress": self.progress})
            return
        line = raw.decode("utf-8", "replace").rstrip()
        if line:
            self._add_line(line)

    def _add_line(self, line: str) -> None:
        if self.pid is None and line.startswith("PID: ") and line[5:].isdigit():
            self.pid = int(line[5:])
        self.lines.append(line)
        self.line_count += 1
        self._tell({"line": line, "n": self.line_count})

    def _end(self, returncode: int) -> None:
        self.returncode = returncode
        self.ended = time.time()
        if self.stop_requested:
            self.state = "stopped"
        else:
            self.state = "done" if returncode == 0 else "failed"
        if self._on_exit is not None:
            try:
                self._on_exit(self)
            except Exception as error:  # noqa: BLE001 - the job must still end
                self.state = "failed"
                self._add_line(f"burro ui: {error}")
        self.finished.set()
        self._tell({"job": self.summary()})

    # ----- stopping --------------------------------------------------------------------------
    def close_input(self) -> None:
        """End the command's input: the car's drive script takes that as SIGINT."""
        process = self._process
        if process is not None and process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()

    def terminate(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            process.terminate()

    @property
    def running(self) -> bool:
        return self.state == "running"

    # ----- telling ---------------------------------------------------------------------------
    def listen(self, listener: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self, message: dict[str, Any]) -> None:
        message = {"id": self.id, "kind": self.kind, **message}
        for listener in list(self._listeners):
            listener(message)

    def summary(self, lines: int = 0) -> dict[str, Any]:
        summary = {"id": self.id, "kind": self.kind, "title": self.title, "state": self.state,
                   "returncode": self.returncode, "progress": self.progress, "pid": self.pid,
                   "started": self.started, "ended": self.ended, "line_count": self.line_count,
                   "result": self.result}
        if lines:
            summary["lines"] = list(self.lines)[-lines:]
        return summary
