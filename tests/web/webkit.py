"""A real LocalWebController on a free port, served by its own thread, and real clients:
tornado's WebSocket client and HTTP client, each test's client code run with asyncio.run."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from burro.parts.web_controller import LocalWebController
from burro.web.app import WebSettings

PAGES = {"drive.html": "<!doctype html><title>drive</title>drive page\n",
         "calibrate.html": "<!doctype html><title>calibrate</title>calibrate page\n",
         "drive.js": "console.log('drive');\n"}


def static_folder(tmp_path: Path) -> Path:
    """The pages the webpage side ships, stand-ins with known bytes."""
    folder = tmp_path / "static"
    folder.mkdir(exist_ok=True)
    for name, text in PAGES.items():
        (folder / name).write_text(text)
    return folder


@contextlib.contextmanager
def serving(tmp_path: Path | None = None, **settings: Any) -> Iterator[LocalWebController]:
    """The part, started the way the Vehicle starts a threaded part, shut down at the end."""
    settings.setdefault("port", 0)
    settings.setdefault("address", "127.0.0.1")
    if tmp_path is not None:
        settings.setdefault("static_path", static_folder(tmp_path))
    part = LocalWebController(settings=WebSettings(**settings))
    thread = threading.Thread(target=part.update, daemon=True)
    thread.start()
    try:
        yield part
    finally:
        part.shutdown()
        thread.join(2)
        assert not thread.is_alive(), "the server thread did not end"


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def ws_url(part: LocalWebController, path: str = "/wsDrive", query: str = "") -> str:
    return f"ws://127.0.0.1:{part.port}{path}{'?' + query if query else ''}"


def http_url(part: LocalWebController, path: str) -> str:
    return f"http://127.0.0.1:{part.port}{path}"


async def connect(part: LocalWebController, path: str = "/wsDrive", query: str = "",
                  headers: dict | None = None) -> Any:
    request = HTTPRequest(ws_url(part, path, query), headers=headers or {})
    return await websocket_connect(request)


async def receive(ws: Any, timeout: float = 2.0) -> Any:
    """The next message, decoded; None when the server closed the socket."""
    text = await asyncio.wait_for(ws.read_message(), timeout)
    return None if text is None else json.loads(text)


async def receive_until(ws: Any, key: str, timeout: float = 2.0, value: Any = None) -> dict:
    """Read until a message with `key` (and `value`, when given) arrives, skipping the
    pushes before it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await receive(ws, max(0.01, deadline - loop.time()))
        assert message is not None, f"closed before a {key!r} message"
        if key in message and (value is None or (value(message[key]) if callable(value)
                                                 else message[key] == value)):
            return message


async def opened(part: LocalWebController, path: str = "/wsDrive", **kwargs: Any) -> Any:
    """A /wsDrive client past its three opening messages (driveMode, recording, driver)."""
    ws = await connect(part, path, **kwargs)
    if path == "/wsDrive":
        for _ in range(3):
            await receive(ws)
    return ws


async def send(ws: Any, message: Any) -> None:
    await ws.write_message(message if isinstance(message, str) else json.dumps(message))


async def fetch(url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("raise_error", False)
    kwargs.setdefault("follow_redirects", False)
    return await AsyncHTTPClient().fetch(url, **kwargs)


def tick(part: LocalWebController, mode: Any = None, recording: Any = None, stop: Any = None,
         image: Any = None, frame_time: Any = None, num_records: Any = None) -> tuple:
    """One drive-loop tick of the part (what the Vehicle calls from its thread)."""
    return part.run_threaded(image, frame_time, num_records, mode, recording, stop)


async def settle(seconds: float = 0.05) -> None:
    await asyncio.sleep(seconds)


PART_HEADER = re.compile(rb"--boundarydonotcross\nContent-type: image/jpeg\r\n"
                         rb"Content-length: (\d+)\r\n\r\n")


class Mjpeg:
    """A raw-socket viewer of /video: the HTTP head, then each multipart part's JPEG, parsed
    from the chunked body byte by byte as a browser receives it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = bytearray()

    @classmethod
    async def open(cls, part: LocalWebController, path: str = "/video",
                   headers: dict | None = None) -> Mjpeg:
        reader, writer = await asyncio.open_connection("127.0.0.1", part.port)
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{part.port}",
                 *(f"{name}: {value}" for name, value in (headers or {}).items())]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        viewer = cls(reader, writer)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        status, *fields = head.decode().split("\r\n")
        viewer.status = int(status.split()[1])
        viewer.headers = {name.lower(): value.strip() for name, _, value in
                          (field.partition(":") for field in fields if field)}
        return viewer

    async def frame(self, timeout: float = 2.0) -> bytes:
        """The next part's JPEG bytes."""
        while True:
            found = PART_HEADER.match(self.body)
            if self.body and not found and len(self.body) > 80:
                raise AssertionError(f"not a part: {bytes(self.body[:80])!r}")
            if found and len(self.body) >= found.end() + int(found[1]):
                end = found.end() + int(found[1])
                jpeg = bytes(self.body[found.end():end])
                del self.body[:end]
                return jpeg
            await asyncio.wait_for(self._chunk(), timeout)

    async def _chunk(self) -> None:
        size = int((await self.reader.readline()).strip() or b"0", 16)
        if size == 0:
            raise EOFError("the stream ended")
        self.body += (await self.reader.readexactly(size + 2))[:-2]

    def close(self) -> None:
        self.writer.close()
