"""The Car Connector's API against a real sshd on localhost and a real car folder "on the
car" (this machine): status, listing, pull, push, drive and stop, and refused names."""

import asyncio
import json

import pytest
from tests.ui.car.conftest import REMOTE_TUB, free_port, same_files


def test_status_connected_then_disconnected_on_a_closed_port(ui):
    status = ui.ok("GET", "/api/car/status")
    assert status["state"] == "connected", status
    assert status["target"].endswith("@127.0.0.1")
    try:
        ui.ok("PUT", "/api/car/settings", {"settings": {"port": free_port()}})
        status = ui.ok("GET", "/api/car/status")
        assert status["state"] == "disconnected"
        assert "Connection refused" in status["message"], status
    finally:
        ui.ok("PUT", "/api/car/settings", {"settings": {"port": ui.server.port}})
    assert ui.ok("GET", "/api/car/status")["state"] == "connected"


def test_lists_the_cars_tubs_and_pilots(ui):
    (ui.remote / "models" / "old.tflite").write_bytes(b"x" * 123)
    listing = ui.ok("GET", "/api/car/remote")
    assert listing["manage"] is True
    tub = next(tub for tub in listing["tubs"] if tub["name"] == REMOTE_TUB)
    assert tub["images"] == 1000 and tub["kb"] > 1000
    assert {"name": "old.tflite", "bytes": 123} in listing["pilots"]


def test_pull_a_tub_arrives_intact_and_keeps_records_deleted_here(ui):
    job = ui.ok("POST", "/api/car/pull", {"tubs": [REMOTE_TUB]})
    job = ui.wait_job(job["id"])
    assert job["state"] == "done", job
    assert job["progress"]["percent"] == 100
    local = ui.car / "data" / REMOTE_TUB
    assert same_files(ui.remote / "data" / REMOTE_TUB, local) == []
    assert job["result"]["tubs"] == [str(local)]

    lines = (local / "manifest.json").read_text().splitlines()
    catalog = json.loads(lines[4])
    catalog["deleted_indexes"] = [3, 4, 5]
    (local / "manifest.json").write_text("\n".join([*lines[:4], json.dumps(catalog)]) + "\n")
    job = ui.wait_job(ui.ok("POST", "/api/car/pull", {"tubs": [REMOTE_TUB]})["id"])
    assert job["state"] == "done", job
    assert job["result"]["kept_deleted"] == {REMOTE_TUB: 3}
    assert json.loads((local / "manifest.json").read_text().splitlines()[4])[
        "deleted_indexes"] == [3, 4, 5]


def test_push_pilots_in_the_chosen_formats(ui):
    models = ui.car / "models"
    for name, size in (("p1.tflite", 5000), ("p1.onnx", 300), ("p1.keras", 700),
                       ("p1.json", 40), ("database.json", 20)):
        (models / name).write_bytes(bytes(range(256)) * (size // 256) + b"e" * (size % 256))
    local = ui.ok("GET", "/api/car/local")
    assert {"name": "p1", "formats": [".keras", ".onnx", ".tflite"], "json": True} in local[
        "pilots"]
    job = ui.ok("POST", "/api/car/push", {"pilots": ["p1"], "formats": [".tflite", ".onnx"],
                                          "database": True})
    job = ui.wait_job(job["id"])
    assert job["state"] == "done", job
    for name in ("p1.tflite", "p1.onnx", "p1.json", "database.json"):
        assert (ui.remote / "models" / name).read_bytes() == (models / name).read_bytes()
    assert not (ui.remote / "models" / "p1.keras").exists()
    pilots = {p["name"] for p in ui.ok("GET", "/api/car/remote")["pilots"]}
    assert {"p1.tflite", "p1.onnx"} <= pilots


@pytest.mark.slow
def test_drive_streams_its_output_over_the_socket_and_stops_on_sigint(ui):
    import tornado.websocket

    async def drive() -> list[dict]:
        socket = await tornado.websocket.websocket_connect(
            ui.url.replace("http:", "ws:") + "/api/car/socket")
        first = json.loads(await socket.read_message())
        assert "jobs" in first
        status, job = await asyncio.to_thread(ui.call, "POST", "/api/car/drive", {"pilot": None})
        assert status == 200, job
        messages, stopped = [], False
        while True:
            message = json.loads(await asyncio.wait_for(socket.read_message(), 60))
            if message.get("id") != job["id"]:
                continue
            messages.append(message)
            if not stopped and "loop: 20 Hz" in message.get("line", ""):
                stopped = True
                status, _ = await asyncio.to_thread(ui.call, "POST", "/api/car/drive/stop")
                assert status == 200
            if "job" in message and message["job"]["state"] != "running":
                socket.close()
                return messages

    messages = asyncio.run(drive())
    lines = [m["line"] for m in messages if "line" in m]
    assert lines[0].startswith("PID: ")
    assert any(line.startswith("pilot: none") for line in lines), lines
    assert any(line.startswith("loop:") and "ticks" in line for line in lines), lines
    end = messages[-1]["job"]
    assert end["state"] == "stopped" and end["returncode"] == 0, (end, lines[-5:])
    ticks = next(line for line in lines if line.startswith("loop:") and "achieved" in line)
    assert int(ticks.split()[1]) < 600  # SIGINT, not MAX_LOOPS, ended it


@pytest.mark.slow
def test_drive_a_pushed_pilot_with_a_type(ui, small_pilot):
    models = ui.car / "models"
    for suffix in (".tflite", ".json"):
        (models / f"small{suffix}").write_bytes(small_pilot.with_suffix(suffix).read_bytes())
    job = ui.wait_job(ui.ok("POST", "/api/car/push", {"pilots": ["small"],
                                                     "formats": [".tflite"]})["id"])
    assert job["state"] == "done", job
    job = ui.ok("POST", "/api/car/drive", {"pilot": "small.tflite", "type": "linear"})
    status, second = ui.call("POST", "/api/car/drive", {"pilot": None})
    assert status == 400 and "already driving" in second["error"]
    ui.wait_job(job["id"], until=lambda j: any(line.startswith("loop: 20 Hz")
                                               for line in j["lines"]))
    ui.ok("POST", "/api/car/drive/stop")
    job = ui.wait_job(job["id"])
    assert job["state"] == "stopped", job["lines"][-5:]
    pilot_line = next(line for line in job["lines"] if line.startswith("pilot:"))
    assert "small.tflite" in pilot_line, pilot_line


@pytest.mark.parametrize("path,body,words", [
    ("/api/car/pull", {"tubs": ["../../etc"]}, "not a tub name"),
    ("/api/car/pull", {"tubs": ["a;touch /tmp/x"]}, "not a tub name"),
    ("/api/car/pull", {"tubs": [REMOTE_TUB], "into": "/etc"}, "outside the folders"),
    ("/api/car/push", {"pilots": ["$(reboot)"], "formats": [".tflite"]}, "not a pilot name"),
    ("/api/car/push", {"pilots": ["p1"], "formats": [".exe"]}, "bad formats"),
    ("/api/car/drive", {"pilot": "x y.tflite"}, "not a pilot name"),
    ("/api/car/drive", {"pilot": None, "type": "linear; reboot"}, "not a model type"),
    ("/api/car/settings", {"settings": {"host": "-oProxyCommand=touch /tmp/x"}}, "not a host"),
    ("/api/car/settings", {"settings": {"car_dir": "~/car;reboot"}}, "not a usable folder"),
    ("/api/car/settings", {"settings": {"car_dir": "~/../root"}}, "not a usable folder"),
    ("/api/car/settings", {"settings": {"user": "pi@evil"}}, "not a user name"),
    ("/api/car/settings", {"settings": {"identity": "/etc/shadow"}}, "outside the folders"),
    ("/api/car/settings", {"settings": {"colour": "red"}}, "unknown car connector setting"),
])
def test_bad_names_are_refused_with_one_line(ui, path, body, words):
    method = "PUT" if path.endswith("settings") else "POST"
    status, answer = ui.call(method, path, body)
    assert status in (400, 403), answer
    assert words in answer["error"] and "\n" not in answer["error"]
    assert ui.ok("GET", "/api/car/settings")["settings"]["host"] == "127.0.0.1"


def test_settings_saved_into_myconfig(ui):
    try:
        ui.ok("PUT", "/api/car/settings", {"settings": {"python": "~/env/bin/python"},
                                           "save": True})
        assert "PI_PYTHON = '~/env/bin/python'" in (ui.car / "myconfig.py").read_text()
        assert ui.ok("GET", "/api/car/settings")["settings"]["python"] == "~/env/bin/python"
    finally:
        import sys
        ui.ok("PUT", "/api/car/settings", {"settings": {"python": sys.executable},
                                           "save": True})


@pytest.mark.slow
def test_the_car_stops_when_burro_ui_dies_while_it_drives(local_car, ssh_server, remote_car):
    """A burro ui killed (or a lost connection) ends the ssh session's input: the car's
    drive script sends SIGINT, so the car does not drive on unwatched."""
    import os
    import signal
    import time

    from tests.ui.car.conftest import start_ui

    other = start_ui(local_car, ssh_server, remote_car)
    try:
        job = other.ok("POST", "/api/car/drive", {"pilot": None})
        job = other.wait_job(job["id"], until=lambda j: any(
            line.startswith("loop: 20 Hz") for line in j["lines"]))
        pid = job["pid"]
        assert pid and os.path.exists(f"/proc/{pid}")
        other.process.send_signal(signal.SIGKILL)
        other.process.wait(10)
        deadline = time.monotonic() + 20
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not os.path.exists(f"/proc/{pid}"), "the car's drive kept running"
    finally:
        other.process.kill()
        other.process.wait(10)


def test_a_car_whose_data_folder_is_the_tub_is_pulled_without_the_tubs_inside(ui, tmp_path):
    """Donkey's (and burro's) default: without AUTO_CREATE_NEW_TUB, data/ itself is the tub."""
    import shutil

    from tests.conftest import SHARED_TUB

    car = ui.server.folder / "plain_car"
    shutil.copytree(SHARED_TUB, car / "data", copy_function=shutil.copyfile)
    (car / "data" / "tub_old").mkdir()
    (car / "data" / "tub_old" / "manifest.json").write_text("not pulled\n")
    try:
        ui.ok("PUT", "/api/car/settings", {"settings": {"car_dir": str(car)}})
        listing = ui.ok("GET", "/api/car/remote")
        assert [tub["name"] for tub in listing["tubs"]] == [".", "tub_old"]
        assert listing["manage"] is False
        job = ui.wait_job(ui.ok("POST", "/api/car/pull", {"tubs": ["."]})["id"])
        assert job["state"] == "done", job
        local = ui.car / "data" / "127-0-0-1_data"
        assert job["result"]["tubs"] == [str(local)]
        assert not (local / "tub_old").exists()
        (car / "data" / "tub_old" / "manifest.json").unlink()
        (car / "data" / "tub_old").rmdir()
        assert same_files(car / "data", local) == []
    finally:
        ui.ok("PUT", "/api/car/settings", {"settings": {"car_dir": str(ui.remote)}})


def test_listing_a_car_folder_that_is_not_there_says_so(ui):
    try:
        ui.ok("PUT", "/api/car/settings", {"settings": {"car_dir": "~/no_such_car_here"}})
        status, answer = ui.call("GET", "/api/car/remote")
        assert status == 400
        assert answer["error"].startswith("no such folder on the car") and "PI_CAR_DIR" in answer[
            "error"]
    finally:
        ui.ok("PUT", "/api/car/settings", {"settings": {"car_dir": str(ui.remote)}})


def test_wrong_settings_in_myconfig_are_shown_with_the_reason(ui):
    myconfig = ui.car / "myconfig.py"
    original = myconfig.read_text()
    try:
        myconfig.write_text(original + "PI_HOSTNAME = 'my car'\n")
        ui.ok("POST", "/api/car", {"path": str(ui.car)})  # reopen: the config is read again
        shown = ui.ok("GET", "/api/car/settings")
        assert shown["settings"]["host"] == "my car"
        assert shown["error"].startswith("not a host name: 'my car' (PI_HOSTNAME)")
        status = ui.ok("GET", "/api/car/status")
        assert status["state"] == "disconnected" and "PI_HOSTNAME" in status["message"]
    finally:
        myconfig.write_text(original)
        ui.ok("POST", "/api/car", {"path": str(ui.car)})
    assert ui.ok("GET", "/api/car/settings")["error"] is None


@pytest.fixture(scope="module")
def short_car(ssh_server):
    """A second car folder "on the car" whose drive ends by itself after 20 loops."""
    from tests.ui.car.conftest import createcar

    return createcar(ssh_server.folder / "short_car", "sim",
                     "WEB_CONTROL_PORT = 0\nMAX_LOOPS = 20\n")


@pytest.mark.slow
def test_a_drive_that_ends_by_itself_is_done_and_its_session_closes(ui, short_car):
    try:
        ui.ok("PUT", "/api/car/settings", {"settings": {"car_dir": str(short_car)}})
        job = ui.wait_job(ui.ok("POST", "/api/car/drive", {"pilot": None})["id"], timeout=60)
        assert job["state"] == "done" and job["returncode"] == 0, job["lines"][-5:]
        assert any("stopped: MAX_LOOPS reached" in line for line in job["lines"])
        assert job["ended"] - job["started"] < 30
    finally:
        ui.ok("PUT", "/api/car/settings", {"settings": {"car_dir": str(ui.remote)}})


@pytest.mark.slow
def test_a_pilot_missing_on_the_car_fails_with_manage_pys_one_line(ui):
    job = ui.wait_job(ui.ok("POST", "/api/car/drive", {"pilot": "missing.tflite"})["id"])
    assert job["state"] == "failed" and job["returncode"] == 2, job
    assert job["lines"][-1].startswith("burro: error:") and "missing.tflite" in job["lines"][-1]


def test_no_python_on_the_car_is_said_in_one_line(ui):
    try:
        ui.ok("PUT", "/api/car/settings", {"settings": {"python": "~/no/such/python"}})
        job = ui.wait_job(ui.ok("POST", "/api/car/drive", {"pilot": None})["id"])
        assert job["state"] == "failed" and job["returncode"] == 3
        assert job["lines"] == ["burro ui: no Python at ~/no/such/python on the car (PI_PYTHON)"]
    finally:
        import sys
        ui.ok("PUT", "/api/car/settings", {"settings": {"python": sys.executable}})


def test_with_a_token_the_car_routes_and_the_socket_need_it(local_car, ssh_server, remote_car):
    import tornado.httpclient
    import tornado.websocket
    from tests.ui.car.conftest import start_ui

    other = start_ui(local_car, ssh_server, remote_car, "--token", "s3cret")
    try:
        assert other.call("GET", "/api/car/status")[0] == 403
        assert other.call("POST", "/api/car/drive", {"pilot": None})[0] == 403
        assert other.call("GET", "/api/car/status?token=s3cret")[1]["state"] == "connected"

        async def socket(query: str) -> str:
            url = other.url.replace("http:", "ws:") + "/api/car/socket" + query
            try:
                connection = await tornado.websocket.websocket_connect(url)
            except tornado.httpclient.HTTPClientError as error:
                return str(error.code)
            message = await connection.read_message()
            connection.close()
            return message

        assert asyncio.run(socket("")) == "403"
        assert json.loads(asyncio.run(socket("?token=s3cret"))) == {"jobs": []}
    finally:
        other.process.terminate()
        other.process.wait(20)


def test_another_sites_page_cannot_drive_the_car(ui):
    """A page of another site open in the same browser may POST here (no preflight for a
    text/plain body): the Origin header gives it away."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        ui.url + "/api/car/drive", data=b'{"pilot": null}', method="POST",
        headers={"Content-Type": "text/plain", "Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert "another site" in json.loads(refused.value.read())["error"]
    assert not any(job["kind"] == "drive" and job["state"] == "running"
                   for job in ui.ok("GET", "/api/car/jobs"))
