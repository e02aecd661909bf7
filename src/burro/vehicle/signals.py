"""SIGINT/SIGTERM while the loop runs: the first one asks the vehicle to stop at the tick
boundary; a second one, while parts are still shutting down, raises KeyboardInterrupt (the
user insists: the parts not yet shut down are abandoned)."""

import contextlib
import logging
import signal
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
