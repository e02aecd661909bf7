"""`burro ui`'s shell, through the real command: the page and its files, opening a car folder
and tubs, browsing, paths kept inside the opened folders, the token, one-line errors."""

import shutil
import subprocess
import sys

import pytest
from tests.conftest import SHARED_TUB
from tests.ui.uikit import call, free_port, running_ui


@pytest.fixture
def car(tmp_path):
    car = tmp_path / "mycar"
    result = subprocess.run([sys.executable, "-m", "burro", "createcar", "--path", str(car)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shutil.copytree(SHARED_TUB, car / "data" / "tub_1")
    return car


def test_the_shell_page_its_files_and_the_state(car, tmp_path):
    with running_ui("--car", str(car), "--root", str(tmp_path)) as base:
        status, page = call(base, "/")
        assert status == 200 and "<title>burro ui</title>" in page
        assert call(base, "/static/ui.js")[0] == 200
        status, state = call(base, "/api/state")
        assert status == 200 and state["car_dir"] == str(car) and state["tubs"] == []
        status, screens = call(base, "/api/screens")
        assert status == 200 and isinstance(screens, list)
        assert all({"name", "title", "script"} <= set(screen) for screen in screens)


def test_open_a_car_and_tubs_and_browse_them(car, tmp_path):
    with running_ui("--root", str(tmp_path)) as base:
        status, state = call(base, "/api/car", {"path": str(car)})
        assert status == 200 and state["car_dir"] == str(car)
        status, listing = call(base, f"/api/browse?path={car / 'data'}")
        assert status == 200
        assert listing["entries"] == [{"name": "tub_1", "path": str(car / "data" / "tub_1"),
                                       "tub": True, "car": False}]
        status, state = call(base, "/api/tubs", {"paths": ["data/tub_1"]})  # relative to the car
        assert status == 200 and state["tubs"] == [str(car / "data" / "tub_1")]
        status, answer = call(base, "/api/tubs", {"paths": ["data"]})
        assert status == 400 and answer["error"].startswith("not a tub (no manifest.json) (data)")
        status, answer = call(base, "/api/car", b"not json".decode())
        assert status == 400 and "not a JSON object" in answer["error"]


@pytest.mark.parametrize("path", ["/etc", "../../../../etc", "data/../../../etc/passwd"])
def test_paths_outside_the_opened_folders_are_refused(car, tmp_path, path):
    with running_ui("--car", str(car), "--root", str(car)) as base:
        status, answer = call(base, f"/api/browse?path={path}")
        assert status == 403
        assert answer["error"].startswith("path outside the folders burro ui may use")
        assert call(base, "/api/tubs", {"paths": [path]})[0] == 403


def test_a_symlink_out_of_the_root_is_refused(car, tmp_path):
    (car / "data" / "escape").symlink_to("/etc")
    with running_ui("--car", str(car), "--root", str(car)) as base:
        assert call(base, f"/api/browse?path={car / 'data' / 'escape'}")[0] == 403


def test_listening_beyond_this_computer_needs_the_token(car, tmp_path):
    with running_ui("--car", str(car), "--listen", "0.0.0.0", "--root", str(tmp_path)) as base:
        assert "?token=" in base
        bare = base.split("?")[0]
        assert call(bare, "/api/state")[0] == 403
        assert call(bare, "/")[0] == 403
        assert call(base, "/api/state")[0] == 200
        token = base.split("token=")[1]
        assert call(bare, "/api/state", headers={"Authorization": f"Bearer {token}"})[0] == 200
        assert call(bare, "/api/state", headers={"Authorization": "Bearer wrong"})[0] == 403


def run_burro(*args):
    return subprocess.run([sys.executable, "-m", "burro", *args], capture_output=True,
                          text=True, timeout=30)


def test_a_port_in_use_is_one_line(tmp_path):
    import socket

    port = free_port()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        result = run_burro("ui", "--no-browser", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert f"port {port} is in use" in result.stderr and "--port" in result.stderr


def test_a_car_folder_that_is_not_there_is_one_line(tmp_path):
    result = run_burro("ui", "--no-browser", "--port", "0", "--car", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "nope" in result.stderr


def test_a_post_from_another_sites_page_is_refused(car, tmp_path):
    with running_ui("--root", str(tmp_path)) as base:
        port = base.split(":")[2].split("/")[0]
        evil = {"Origin": "http://evil.example", "Content-Type": "text/plain"}
        status, answer = call(base, "/api/car", {"path": str(car)}, headers=evil)
        assert status == 403 and "another site" in answer["error"]
        assert call(base, "/api/state")[1]["car_dir"] is None
        own = {"Origin": f"http://127.0.0.1:{port}"}
        assert call(base, "/api/car", {"path": str(car)}, headers=own)[0] == 200
