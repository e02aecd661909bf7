"""The Car Connector page in Debian's chromium (Playwright), through the throwaway sshd: the
status turns green, a tub is pulled (files intact), a pilot pushed, a drive started and
stopped with its output on the page. Screenshots: tmp shots/, and docs/images/ui-car-*.png
(quantized) when BURRO_DOC_SHOTS=1."""

import os
from pathlib import Path

import pytest
from tests.ui.car.conftest import REMOTE_TUB, same_files

DOC_IMAGES = Path(__file__).resolve().parents[3] / "docs" / "images"

pytestmark = pytest.mark.slow


def shoot(page, shots: Path, name: str) -> None:
    path = shots / f"ui-car-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("BURRO_DOC_SHOTS") == "1":
        from PIL import Image

        Image.open(path).convert("RGB").quantize(96).save(DOC_IMAGES / path.name, optimize=True)


@pytest.fixture
def page(browser, ui):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(ui.url + "/#car")
    yield page
    assert errors == [], errors
    context.close()


def test_pull_push_and_drive_through_the_local_ssh_server(page, ui, tmp_path):
    shots = tmp_path / "shots"
    shots.mkdir()
    models = ui.car / "models"
    (models / "mypilot.tflite").write_bytes(os.urandom(4096))
    (models / "mypilot.onnx").write_bytes(os.urandom(2048))
    (models / "mypilot.json").write_text('{"type": "linear"}\n')

    status = page.locator("#car_status")
    status.filter(has_text="Connected to").wait_for(timeout=15000)
    assert "connected" in status.get_attribute("class")
    page.get_by_label(f"pull {REMOTE_TUB}").wait_for(timeout=15000)
    page.locator("#car_refresh").click()
    page.get_by_label("push mypilot").wait_for()
    shoot(page, shots, "connected")

    page.get_by_label(f"pull {REMOTE_TUB}").check()
    page.locator("#car_pull").click()
    page.locator("#car_pull_text").filter(has_text="done 100%").wait_for(timeout=60000)
    assert same_files(ui.remote / "data" / REMOTE_TUB, ui.car / "data" / REMOTE_TUB) == []
    page.locator("#car_open_pulled").click()
    page.locator("#tub_names").filter(has_text=REMOTE_TUB).wait_for()

    page.get_by_label("push mypilot").check()
    page.locator("#car_format_onnx").uncheck()
    page.locator("#car_push").click()
    page.locator("#car_push_text").filter(has_text="done").wait_for(timeout=60000)
    remote_models = ui.remote / "models"
    assert (remote_models / "mypilot.tflite").read_bytes() == (models / "mypilot.tflite").read_bytes()
    assert (remote_models / "mypilot.json").is_file()
    assert not (remote_models / "mypilot.onnx").exists()
    page.locator("#car_drive_pilot option[value='mypilot.tflite']").wait_for(state="attached")
    shoot(page, shots, "pull-push")

    page.locator("#car_drive_pilot").select_option("")
    page.locator("#car_drive").click()
    output = page.locator("#car_output")
    output.filter(has_text="loop: 20 Hz").wait_for(timeout=60000)
    page.locator("#car_drive_state").filter(has_text="PID").wait_for()
    assert page.locator("#car_stop").is_enabled()
    assert page.locator("#car_web_link").get_attribute("href").endswith("/drive")
    page.wait_for_timeout(1500)
    shoot(page, shots, "drive")
    page.locator("#car_stop").click()
    page.locator("#car_drive_state").filter(has_text="stopped").wait_for(timeout=30000)
    assert "achieved" in output.text_content()  # manage.py's timing table after SIGINT
    assert page.locator("#car_drive").is_enabled()


def test_a_car_that_is_not_there_shows_red_with_the_reason(page, ui):
    page.locator("#car_status").filter(has_text="Connected to").wait_for(timeout=15000)
    port = page.locator("#car_port")
    port.fill("1")
    page.locator("#car_apply").click()
    status = page.locator("#car_status")
    status.filter(has_text="Disconnected from").wait_for(timeout=15000)
    assert "Connection refused" in page.locator("#car_status_message").text_content()
    port.fill(str(ui.server.port))
    page.locator("#car_apply").click()
    status.filter(has_text="Connected to").wait_for(timeout=15000)
