"""The Tub Manager in Debian's chromium (one browser for the module): open a tub, scrub and
step, delete / restore a range and undo (the manifest changes and changes back), set a filter,
play. Screenshots go to the test's folder, or to $BURRO_UI_SHOTS (docs/images) when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.ui.tubs.conftest import catalog_lines, deleted_in_manifest

pytestmark = pytest.mark.slow


@pytest.fixture
def page(browser, server, tub):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "#tubs")
    page.wait_for_function("window.tubsDebug && window.tubsDebug.painted.length > 0")
    page.wait_for_function("!document.querySelector('#tubs_problems').textContent"
                           ".startsWith('checking')")
    yield page
    assert errors == [], errors
    context.close()


def screenshot(page, tmp_path: Path, name: str, full_page: bool = True) -> None:
    from PIL import Image

    folder = Path(os.environ.get("BURRO_UI_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    raw = tmp_path / f"{name}.raw.png"
    page.screenshot(path=str(raw), full_page=full_page)
    with Image.open(raw) as image:
        image.convert("RGB").quantize(96).save(folder / f"ui-tubs-{name}.png", optimize=True)


def go_to(page, position: int) -> None:
    page.evaluate("""(p) => { const s = document.querySelector('#tubs_slider');
        s.value = String(p); s.dispatchEvent(new Event('input')); }""", position)
    page.wait_for_function("(p) => window.tubsDebug.painted.at(-1).position === p", arg=position)


def record_shown(page) -> int:
    return int(page.text_content("#tubs_record_index"))


def wait_for_record(page, index: int) -> None:
    """The page shows record `index` (a key press is handled after press() returns)."""
    page.wait_for_function("(i) => document.querySelector('#tubs_record_index').textContent"
                           " === String(i)", arg=index, timeout=5000)


def test_open_scrub_and_step(page, tmp_path):
    assert page.text_content("#tubs_summary").startswith("1,000 records, 0 deleted")
    assert record_shown(page) == 0
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_for_record(page, 3)
    page.keyboard.press("ArrowLeft")
    wait_for_record(page, 2)
    go_to(page, 640)
    assert record_shown(page) == 640 and page.text_content("#tubs_where") == "641 / 1000"
    screenshot(page, tmp_path, "overview")


def test_delete_restore_and_undo_a_range(page, tub, tmp_path):
    go_to(page, 300)
    page.click("#tubs_mark_left")
    go_to(page, 349)
    page.click("#tubs_mark_right")
    assert page.text_content("#tubs_range") == "[300 … 349] 50 records"
    page.click("#tubs_delete")
    assert "50 records with indexes 300 to 349" in page.text_content("#tubs_confirm_text")
    screenshot(page, tmp_path, "confirm", full_page=False)  # the dialog's backdrop: the window
    page.click("#tubs_confirm_ok")
    page.wait_for_function("document.querySelector('#tubs_status, footer').textContent"
                           ".includes('deleted 50 records')")
    assert deleted_in_manifest(tub) == list(range(300, 350))
    assert "deleted" in page.text_content("#tubs_values")
    go_to(page, 320)
    screenshot(page, tmp_path, "deleted")
    page.click("#tubs_restore")
    page.wait_for_function("document.querySelector('footer').textContent"
                           ".includes('restored 50 records')")
    assert deleted_in_manifest(tub) == []
    page.click("#tubs_undo")  # takes back the restore
    page.wait_for_function("document.querySelector('#tubs_summary').textContent"
                           ".includes('50 deleted')")
    assert deleted_in_manifest(tub) == list(range(300, 350))
    page.click("#tubs_undo")  # and the delete
    page.wait_for_function("document.querySelector('#tubs_summary').textContent"
                           ".includes(' 0 deleted')")
    assert deleted_in_manifest(tub) == []


def test_set_a_filter(page, tub, tmp_path):
    kept = sum(line["user/throttle"] > 0.6 for line in catalog_lines(tub))
    page.fill("#tubs_filter", "user/throttle > 0.6")
    page.click("#tubs_filter_apply")
    page.wait_for_function("document.querySelector('#tubs_filter_result').textContent"
                           ".startsWith('training would use')")
    assert page.text_content("#tubs_filter_result").startswith(
        f"training would use {kept:,} of 1,000 records")
    screenshot(page, tmp_path, "filter")
    page.fill("#tubs_filter", "user/throttle >")
    page.press("#tubs_filter", "Enter")
    page.wait_for_function("document.querySelector('#tubs_filter_result').className === 'error'")
    assert page.text_content("#tubs_filter_result").startswith("the filter is not an expression")


def test_play_forward_and_backward(page):
    page.select_option("#tubs_speed", "2")
    page.click("#tubs_play")
    page.wait_for_timeout(1000)
    page.click("#tubs_pause")
    forward = record_shown(page)
    assert 20 <= forward <= 60  # 40 records a second
    page.keyboard.press("Shift+Space")  # backwards
    page.wait_for_timeout(500)
    page.keyboard.press("Space")
    assert record_shown(page) < forward
