"""The Pilot Arena in Debian's chromium: compare two pilots on the real tub's frames, look at
what they see, plot predicted vs recorded, and drive one in the simulator."""

import re

import pytest
from tests.ui.arena.conftest import make_car, screenshot
from tests.ui.uikit import running_ui

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory, arena_pilots):
    root = tmp_path_factory.mktemp("arena-browser")
    car = make_car(root, arena_pilots)
    with running_ui("--car", str(car), "--tub", str(car / "data" / "tub_1"),
                    "--root", str(root)) as base:
        yield base


@pytest.fixture
def arena(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "#arena")
    page.wait_for_selector("#arena_slots .arena-slot")
    yield page
    assert errors == [], errors
    context.close()


def readout(page, slot):
    return page.locator(f".arena-card[data-slot='{slot}'] .arena-readout").inner_text()


def test_compare_two_pilots_as_you_scrub(arena, tmp_path):
    page = arena
    page.wait_for_function("document.querySelector('.arena-readout').textContent.includes('pilot')")
    assert "later.onnx" in page.locator(".arena-card[data-slot='0'] .arena-card-title").inner_text()
    page.click("#arena_add")  # the next pilot of the car's models/
    page.wait_for_function(
        "document.querySelectorAll('.arena-readout')[1]?.textContent.includes('pilot')")
    assert "early.tflite" in page.locator(".arena-card[data-slot='1'] .arena-card-title").inner_text()
    page.locator(".arena-pick[data-slot='1']").select_option(label="later.onnx · linear")
    page.wait_for_function("document.querySelectorAll('.arena-card-title')[1]"
                           ".textContent.includes('later.onnx')")
    page.locator(".arena-pick[data-slot='1']").select_option(label="early.tflite · linear")
    page.wait_for_function(
        "document.querySelectorAll('.arena-readout')[1]?.textContent.includes('pilot')")
    page.fill("#arena_slider", "120")
    page.dispatch_event("#arena_slider", "input")
    page.wait_for_function("document.querySelector('#arena_where').textContent.includes('#120')")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('#arena_where').textContent.includes('#121')")
    first, second_text = readout(page, 0), readout(page, 1)
    assert re.search(r"pilot\s+-?\d\.\d{3}", first) and first != second_text
    # what the pilot sees: brightness drawn from a seed, the car's crop
    page.check("input[data-augmentation='BRIGHTNESS']")
    page.check("input[data-transformation='CROP']")
    page.wait_for_function("document.querySelector('#arena_preview').complete"
                           " && document.querySelector('#arena_preview').naturalWidth === 160")
    assert not page.locator("#arena_preview").is_hidden()
    page.click("#arena_prev")  # the preview's first use loaded TensorFlow: time again
    page.wait_for_function("document.querySelector('#arena_where').textContent.includes('#120')")
    page.fill("#arena_end", "300")
    page.click("#arena_plot")
    page.wait_for_selector("#arena_mse:not([hidden])", timeout=120_000)
    rows = page.locator("#arena_mse tbody tr")
    assert rows.count() == 2
    assert re.fullmatch(r"\d\.\d{4}", rows.nth(0).locator("td").nth(1).inner_text())
    screenshot(page, tmp_path, "ui-arena-compare")


def test_drive_each_pilot_in_the_simulator(arena, tmp_path):
    page = arena
    page.click("#arena_add")
    page.fill("#arena_laps", "1")
    page.select_option("#arena_track", "oval")
    page.click("#arena_drive")
    page.wait_for_function("document.querySelectorAll('.arena-drive .arena-report').length === 2",
                           timeout=300_000)
    for slot, name in ((0, "later.onnx"), (1, "early.tflite")):
        card = page.locator(f".arena-drive[data-slot='{slot}']")
        assert name in card.locator("h4").inner_text()
        report = card.locator(".arena-report").inner_text()
        assert re.search(r"laps\s+\d / 1", report) and "off-track" in report, report
    page.wait_for_function("[...document.querySelectorAll('.arena-path')]"
                           ".every((image) => image.naturalWidth > 0)")
    page.locator(".arena-sim").scroll_into_view_if_needed()
    screenshot(page, tmp_path, "ui-arena-simulator")


def test_with_nothing_open_the_arena_says_what_to_do(browser, tmp_path):
    with running_ui("--root", str(tmp_path)) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "#arena")
        page.wait_for_function("document.querySelector('#arena_folder_name')?.textContent")
        assert "open a car folder" in page.locator("#arena_folder_name").inner_text()
        page.wait_for_function(
            "document.querySelector('#arena_where').textContent.includes('open a tub')")
        assert page.locator("#arena_add").is_disabled()
        page.click("#arena_drive")
        assert "add a pilot first" in page.locator("#status").inner_text()
        assert errors == []
        context.close()
