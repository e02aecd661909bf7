"""The LocalWebController part: registry, binding at build time, its outputs without any
client, prompt shutdown with clients connected, the telemetry and the expert's view mode."""

import asyncio
import socket
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from tests.web.webkit import Mjpeg, connect, opened, receive, receive_until, run, send, serving, tick

from burro.config import default_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.web_controller import LocalWebController
from burro.web.app import WebSettings


def test_registered_under_donkeys_names():
    assert PARTS.get("LocalWebController") is LocalWebController
    assert PARTS.get("WebController") is LocalWebController


def test_importing_the_part_module_imports_no_tornado():
    code = ("import sys, burro.parts.web_controller, burro.config; burro.config.default_config(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('tornado', 'numpy', 'PIL')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_config_keys_and_a_free_port():
    cfg = default_config()
    assert (cfg.WEB_CONTROL_PORT, cfg.WEB_BIND_ADDRESS, cfg.WEB_TOKEN, cfg.WEB_TIMEOUT,
            cfg.WEB_ALLOWED_ORIGINS, cfg.WEB_MAX_BAD_MESSAGES, cfg.USE_WEB_CONTROLLER) == \
        (8887, "0.0.0.0", "", 0.5, [], 20, True)
    cfg.set("WEB_CONTROL_PORT", 0, "test")
    cfg.set("WEB_BIND_ADDRESS", "127.0.0.1", "test")
    cfg.set("WEB_TOKEN", "abc", "test")
    part = LocalWebController.from_config(cfg)
    try:
        assert part.port > 0
        assert part.url == f"http://127.0.0.1:{part.port}/drive?token=abc"
    finally:
        part.shutdown()


def test_a_port_in_use_is_a_one_line_error_naming_the_key():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with pytest.raises(BurroError) as caught:
            LocalWebController(settings=WebSettings(port=taken.getsockname()[1],
                                                    address="127.0.0.1"))
        assert "WEB_CONTROL_PORT" in caught.value.line() and "in use" in caught.value.line()
    finally:
        taken.close()


def test_a_bad_bind_address_is_a_one_line_error():
    with pytest.raises(BurroError, match="WEB_BIND_ADDRESS"):
        LocalWebController(settings=WebSettings(port=0, address="10.255.255.254"))


def test_without_any_client_it_outputs_the_start_mode_and_adopts_memory():
    part = LocalWebController(settings=WebSettings(port=0, address="127.0.0.1", mode="local"))
    try:  # not even started: run_threaded never waits for the server
        assert tick(part) == (0.0, 0.0, "local", False, False, {})
        assert tick(part, "local_angle", True) == (0.0, 0.0, "local_angle", True, False, {})
    finally:
        part.shutdown()


def test_run_threaded_is_cheap_and_never_blocks_on_the_server(tmp_path):
    with serving(tmp_path) as part:
        image = np.zeros((120, 160, 3), np.uint8)
        times = []
        for n in range(200):
            start = time.perf_counter()
            part.run_threaded(image, float(n), n, "user", False, False)
            times.append(time.perf_counter() - start)
        times.sort()
        assert times[100] < 0.002  # the median tick: well under 2 ms on a busy CI core


def test_shutdown_with_clients_connected_takes_under_a_second(tmp_path):
    part = LocalWebController(settings=WebSettings(port=0, address="127.0.0.1"))
    thread = threading.Thread(target=part.update, daemon=True)
    thread.start()
    connected = threading.Event()
    closed = {}

    def clients():
        async def go():
            ws = await opened(part)
            telemetry = await connect(part, "/wsTelemetry")
            viewer = await Mjpeg.open(part)
            await viewer.frame()
            connected.set()
            closed["drive"] = await receive(ws, 3.0)
            closed["code"] = ws.close_code
            viewer.close()
            telemetry.close()

        run(go())

    client = threading.Thread(target=clients)
    client.start()
    assert connected.wait(5)
    start = time.monotonic()
    part.shutdown()
    thread.join(2)
    took = time.monotonic() - start
    client.join(5)
    assert not thread.is_alive() and took < 1.0, took
    assert closed == {"drive": None, "code": 1001}
    with pytest.raises(OSError):  # the port is closed
        socket.create_connection(("127.0.0.1", part.port), timeout=1)


def test_hello_and_telemetry(tmp_path):
    provided = {"loop": {"hz": 19.9, "ticks": 100, "late": 1, "late_pct": 1.0},
                "pilot_latency_ms": 3.21, "tub": {"path": "/car/data/tub_1", "num_records": None},
                "sim": {"cte": 0.1, "speed": 1.5, "lap": 2, "laps": None}}
    with serving(tmp_path, rate_hz=20.0, timeout=0.5, sim=True) as part:
        part.telemetry = lambda: provided
        part.erase_last_n = lambda: []

        async def client():
            ws = await connect(part, "/wsTelemetry")
            hello = (await receive(ws))["hello"]
            assert hello == {"modes": ["user", "local_angle", "local"], "behaviors": None,
                             "erase_n": 100, "rate_hz": 20.0, "timeout_s": 0.5, "sim": True,
                             "expert_drives": False, "version": hello["version"]}
            part.run_threaded(None, None, 42, "local_angle", True, False, 0.1, 0.2, 0.3,
                              np.float32(0.4), 0.3, 0.2, None, None, None, None)
            await send(ws, {"anything": "ignored"})

            def ticked(telemetry):
                return telemetry["user"]["angle"] == 0.1

            telemetry = (await receive_until(ws, "telemetry", value=ticked))["telemetry"]
            assert telemetry == {
                "loop": {"hz": 19.9, "ticks": 100, "late": 1, "late_pct": 1.0},
                "mode": "local_angle", "recording": True,
                "user": {"angle": 0.1, "throttle": 0.2},
                "pilot": {"angle": 0.3, "throttle": 0.4, "latency_ms": 3.21},
                "out": {"angle": 0.3, "throttle": 0.2},
                "tub": {"path": "/car/data/tub_1", "num_records": 42},
                "behavior": None, "sim": {"cte": 0.1, "speed": 1.5, "lap": 2, "laps": None},
                "driver": None, "viewers": 0, "bad_messages": 0, "ignored_keys": 0}
            ws.close()

        run(client())


def test_with_the_expert_driving_the_page_watches_and_stop_calls_the_hook(tmp_path):
    stops = []
    with serving(tmp_path, expert_drives=True) as part:
        part.on_stop = stops.append

        async def client():
            telemetry = await connect(part, "/wsTelemetry")
            assert (await receive(telemetry))["hello"]["expert_drives"] is True
            ws = await opened(part)
            await send(ws, {"throttle": 1.0})
            assert "expert drives" in (await receive_until(ws, "error"))["error"]
            await send(ws, {"stop": True})
            for _ in range(50):
                if stops:
                    break
                await asyncio.sleep(0.02)
            assert tick(part, "user", True)[1] == 0.0
            ws.close()
            telemetry.close()

        run(client())
    assert len(stops) == 1 and stops[0].startswith("Stop Car from browser #")
