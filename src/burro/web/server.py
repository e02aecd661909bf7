"""A Tornado server in a thread of its own: bound at once, served by `run()`, stopped fast.

    server = ThreadedServer(port=8887, address="0.0.0.0", where="WEB_CONTROL_PORT")
    # the socket is bound here: a port in use is a one-line BurroError now, not in a thread
    threading.Thread(target=server.run, args=(make_app,)).start()
    ...
    server.stop()      # from any thread; returns within about a second

`make_app(ioloop)` runs in the server thread before it serves and returns the
`tornado.web.Application` (and sets up its periodic callbacks there); `on_stop` coroutines
run in that thread before it ends (close WebSockets, end streams). Used by the drive loop's
web controller and reusable by any other burro web app.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from burro.errors import BurroError

log = logging.getLogger("burro.web")

STOP_WAIT_S = 1.0


class ThreadedServer:
    def __init__(self, port: int, address: str = "0.0.0.0", where: str = "WEB_CONTROL_PORT"):
        from tornado.netutil import bind_sockets

        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise BurroError(f"bad port {port!r}", where, "use a port from 1 to 65535, or 0 "
                             "for any free one")
        try:
            self.sockets: list[socket.socket] = bind_sockets(port, address or None)
        except OSError as error:
            raise _bind_error(error, port, address, where) from None
        self.address = address
        self.port = self.sockets[0].getsockname()[1]
        self.ioloop: Any = None
        self.on_stop: list[Callable[[], Awaitable[None]]] = []
        self._http: Any = None
        self._stopping = False
        self._started = threading.Event()
        self._done = threading.Event()

    def run(self, make_app: Callable[[Any], Any]) -> None:
        """Serve until `stop()`; call in the thread that is to run the server."""
        from tornado.httpserver import HTTPServer
        from tornado.ioloop import IOLoop

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            self.ioloop = IOLoop.current()
            if not self._stopping:
                self._http = HTTPServer(make_app(self.ioloop), xheaders=False)
                self._http.add_sockets(self.sockets)
                self._started.set()
                self.ioloop.start()
        finally:
            self._started.set()
            self._close_sockets()
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()
                self._done.set()

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> bool:
        """Run `callback(*args)` in the server thread (from any thread); False when it was
        dropped (before the server runs or after it stopped)."""
        ioloop = self.ioloop
        if ioloop is None or self._stopping:
            return False
        try:
            ioloop.add_callback(callback, *args)
        except RuntimeError:  # the loop closed between the check and the call
            return False
        return True

    def stop(self) -> None:
        """Stop serving and close every connection; from any thread, at most ~1 s."""
        if self._stopping:
            self._done.wait(STOP_WAIT_S)
            return
        self._stopping = True
        ioloop = self.ioloop
        if ioloop is None or not self._started.is_set():
            self._close_sockets()  # never served: run() will return at once
            return
        try:
            ioloop.add_callback(self._shut_down)
        except RuntimeError:
            pass
        if not self._done.wait(STOP_WAIT_S):
            log.warning("the web server did not stop within %.0f s", STOP_WAIT_S)

    async def _shut_down(self) -> None:
        if self._http is not None:
            self._http.stop()
        for callback in self.on_stop:
            try:
                await asyncio.wait_for(callback(), STOP_WAIT_S / 4)
            except Exception as error:  # noqa: BLE001 - stopping goes on regardless
                log.debug("web server stop step failed: %s", error)
        if self._http is not None:
            try:
                await asyncio.wait_for(self._http.close_all_connections(), STOP_WAIT_S / 4)
            except TimeoutError:
                pass
        self.ioloop.stop()

    def _close_sockets(self) -> None:
        for sock in self.sockets:
            try:
                sock.close()
            except OSError:
                pass


def _bind_error(error: OSError, port: int, address: str, where: str) -> BurroError:
    place = f"{address or '*'}:{port}"
    if error.errno == errno.EADDRINUSE:
        return BurroError(f"port {port} is in use ({place}): another program (another "
                          "manage.py drive?) listens there", where,
                          "stop that program, or set another port (0 = any free port)")
    if error.errno == errno.EACCES:
        return BurroError(f"no permission to listen on port {port}", where,
                          "use a port above 1023, e.g. 8887")
    return BurroError(f"cannot listen on {place}: {error.strerror or error}",
                      f"{where} / WEB_BIND_ADDRESS",
                      "check WEB_BIND_ADDRESS is an address of this computer (0.0.0.0 = all)")
