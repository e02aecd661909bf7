"""A real `burro ui` in a subprocess on a free port, and plain HTTP requests to it."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_ui(*args: str, cwd: Path | None = None) -> Iterator[str]:
    """`burro ui --no-browser --port <free> ARGS`; yields the address it printed."""
    command = [sys.executable, "-m", "burro", "ui", "--no-browser", "--port", str(free_port()),
               *args]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        yield _address(process)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        assert "burro ui: stopped" in out


def _address(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + START_TIMEOUT_S
    line = process.stdout.readline()
    match = re.match(r"burro ui: (http://\S+)", line)
    if not match:
        process.kill()
        raise AssertionError(f"burro ui did not start: {line}{process.stderr.read()}")
    address = match[1]
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(address, timeout=1).close()
            return address
        except urllib.error.HTTPError:
            return address  # it answers (e.g. 403 without the token)
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"burro ui never answered at {address}")


def call(base: str, path: str, body: Any = None, method: str | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """(status, decoded JSON or text) of one request; `base` may carry ?token=…"""
    root, _, query = base.partition("?")
    url = root.rstrip("/") + path
    if query:
        url += ("&" if "?" in path else "?") + query
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text
