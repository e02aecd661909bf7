"""A simulated car's `manage.py drive` in a subprocess, and the drive page in Debian's chromium
with every WebSocket frame it sends and receives kept for the assertions."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.car.carkit import create_car

WEB_SIM = """
SIM_REALTIME = True
SIM_TRACK = "oval"
SIM_EXPERT_AS_USER = False
AUTO_CREATE_NEW_TUB = True
AUTO_RECORD_ON_THROTTLE = False
WEB_INIT_MODE = "user"
WEB_BIND_ADDRESS = "127.0.0.1"
WEB_CONTROL_PORT = {port}
MAX_LOOPS = 1000000
"""
START_TIMEOUT_S = 90
LAPTOP = {"viewport": {"width": 1100, "height": 960}}  # tall enough to show the telemetry
# What the browser does when the phone locks or another tab comes to the front.
HIDE_THE_PAGE = """() => {
  Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
  Object.defineProperty(document, "hidden", { value: true, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""  # two busy cores: imports, the simulator and the server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningCar:
    """`python manage.py drive` of a simulated car, its web server on `url`."""

    folder: Path
    process: subprocess.Popen | None
    url: str
    log: Path
    args: tuple[str, ...] = ()
    token: str = ""
    output: str = ""

    def start(self) -> None:
        with open(self.log, "w", encoding="utf-8") as output:
            self.process = subprocess.Popen(
                [sys.executable, str(self.folder / "manage.py"), "drive", *self.args],
                cwd=self.folder, stdout=output, stderr=subprocess.STDOUT, text=True)
        wait_for_server(self, self.token)

    def stop(self) -> str:
        """SIGINT (Ctrl-C), as a user stops a drive; the shutdown report is returned."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output = self.log.read_text(encoding="utf-8", errors="replace")
        return self.output


def start_car(tmp_path: Path, settings: str = "", args: tuple[str, ...] = (),
              token: str = "") -> RunningCar:
    port = free_port()
    car = create_car(tmp_path, settings=WEB_SIM.format(port=port) + settings)
    running = RunningCar(car, None, f"http://127.0.0.1:{port}", tmp_path / "drive.log",
                         args, token)
    running.start()
    return running


def wait_for_server(car: RunningCar, token: str) -> None:
    query = f"?token={token}" if token else ""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if car.process.poll() is not None:
            raise AssertionError(f"manage.py drive ended at start-up:\n{car.stop()}")
        try:
            with urllib.request.urlopen(f"{car.url}/drive{query}", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    car.stop()
    raise AssertionError(f"the web server did not answer in {START_TIMEOUT_S} s:\n{car.output}")


@dataclass
class DrivePage:
    """A Playwright page on /drive; `sent` / `pushed` are the /wsDrive frames (JSON) the page
    sent / received, `telemetry` the /wsTelemetry messages."""

    page: Any
    shots: Path
    sent: list[dict] = field(default_factory=list)
    pushed: list[dict] = field(default_factory=list)
    telemetry: list[dict] = field(default_factory=list)
    hello: dict | None = None
    errors: list[str] = field(default_factory=list)
    socket_urls: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("websocket", self._on_socket)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_socket(self, ws) -> None:
        self.socket_urls.append(ws.url)
        if "/wsDrive" in ws.url:
            ws.on("framesent", lambda payload: self.sent.append(json.loads(payload)))
            ws.on("framereceived", lambda payload: self.pushed.append(json.loads(payload)))
        elif "/wsTelemetry" in ws.url:
            ws.on("framereceived", self._on_telemetry)

    def _on_telemetry(self, payload) -> None:
        message = json.loads(payload)
        if "hello" in message:
            self.hello = message["hello"]
        if "telemetry" in message:
            self.telemetry.append(message["telemetry"])

    # -- waiting: Playwright delivers events only while it runs, hence wait_for_timeout ----
    def wait(self, seconds: float) -> None:
        self.page.wait_for_timeout(seconds * 1000)

    def wait_until(self, condition: Callable[[], Any], timeout: float = 10, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            self.page.wait_for_timeout(100)
        raise AssertionError(f"not within {timeout} s: {what or condition}")

    def ready(self) -> DrivePage:
        self.wait_until(lambda: self.hello is not None and self.telemetry, 20,
                        "hello and telemetry on /wsTelemetry")
        self.wait_until(lambda: self.page.locator("#connection").inner_text() == "connected",
                        10, "the page says connected")
        return self

    @property
    def last(self) -> dict:
        return self.telemetry[-1]

    def speed(self) -> float:
        sim = self.last.get("sim") or {}
        return float(sim.get("speed") or 0.0)

    def drive_frames(self) -> list[dict]:
        """The frames the page sent that carry angle and throttle."""
        return [frame for frame in self.sent if "angle" in frame and "throttle" in frame]

    def hide(self) -> None:
        self.page.evaluate(HIDE_THE_PAGE)

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def joystick_centre(self) -> tuple[float, float, float]:
        box = self.page.locator("#joystick").bounding_box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box["width"] / 2


def open_page(browser, car: RunningCar, shots: Path, query: str = "", context: Any = None,
              **options) -> DrivePage:
    """/drive in a new tab of `context` (else of a new context made with `options`)."""
    shots.mkdir(parents=True, exist_ok=True)
    page = (context or browser.new_context(**options)).new_page()
    drive = DrivePage(page, shots)
    page.goto(f"{car.url}/drive{query}")
    return drive
