"""SIGINT/SIGTERM while the loop runs: the first one asks the vehicle to stop at the tick
boundary; a second one, while parts are still shutting down, raises KeyboardInterrupt (the
user insists: the parts not yet shut down are abandoned)."""

import contextlib
import logging
import select
import signal
import socket
import threading
from collections.abc import Callable, Iterator

log = logging.getLogger("burro.vehicle")

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[str], None]) -> Iterator[None]:
    """Install the handlers for the duration of the block, in the main thread only (Python
    delivers signals there); elsewhere the block runs with the process's handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[str] = []

    def handle(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if received:
            raise KeyboardInterrupt(f"{name} again while the parts shut down")
        received.append(name)
        stop(name)

    previous = {s: signal.signal(s, handle) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


class StopRequest:
    """A stop flag the loop's sleep can wait on, safe to set from a signal handler.

    threading.Event is not: its set() takes a lock that the main thread may hold (inside
    Event.wait) when the handler runs, which would deadlock at shutdown. Here set() is a flag
    and a byte written to a socket pair; wait() is a select() on it."""

    def __init__(self) -> None:
        self.requested = False
        self._pair: tuple[socket.socket, socket.socket] | None = None

    def is_set(self) -> bool:
        return self.requested

    def set(self) -> None:
        self.requested = True
        pair = self._pair
        if pair is not None:
            try:
                pair[1].send(b"\0")
            except OSError:  # full (a wake-up is already pending) or closed
                pass

    def wait(self, timeout: float) -> bool:
        if self._pair is None:
            self._pair = socket.socketpair()
            for end in self._pair:
                end.setblocking(False)
        if not self.requested:
            select.select([self._pair[0]], [], [], max(0.0, timeout))
        return self.requested

    def close(self) -> None:
        pair, self._pair = self._pair, None
        if pair is not None:
            for end in pair:
                end.close()
