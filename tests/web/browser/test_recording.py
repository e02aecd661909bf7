"""Start Recording, drive, Stop Recording on the page: the tub holds what the page sent."""

import pytest
from tests.car.carkit import recorded
from tests.web.browser.pagekit import LAPTOP, open_page, start_car

from burro.tub import Tub

pytestmark = pytest.mark.slow  # a real-time simulated car


def drive_a_bit(page) -> None:
    keyboard = page.page.keyboard
    keyboard.down("ArrowUp")
    page.wait(1.0)
    keyboard.down("ArrowLeft")
    page.wait(0.6)
    keyboard.up("ArrowLeft")
    keyboard.down("ArrowRight")
    page.wait(0.6)
    keyboard.up("ArrowRight")
    page.wait(0.4)
    keyboard.up("ArrowUp")
    page.wait(0.4)


def test_the_tub_records_what_the_page_sent(page, car):
    page.page.locator("#record_button").click()
    page.wait_until(lambda: page.last["recording"] is True, 3, "recording on")
    drive_a_bit(page)
    page.wait_until(lambda: page.page.locator("#record_button").inner_text() !=
                    "Stop Recording (0)", 3, "a live record count")
    page.shot("recording")
    page.page.locator("#record_button").click()
    page.wait_until(lambda: page.last["recording"] is False, 3, "recording off")
    shown = int(page.page.locator("#record_button").inner_text().split("(")[1].rstrip(")"))
    count, tub_path = recorded(car.stop())
    assert count >= 40  # about 3.6 s at 20 Hz
    assert abs(shown - count) <= 5  # the page's count followed the tub (pushed 4 per second)
    sent = {(frame["angle"], frame["throttle"]) for frame in page.drive_frames()}
    records = [(record["user/angle"], record["user/throttle"]) for record in Tub(tub_path)]
    assert len(records) == count
    assert set(records) <= sent  # every record holds a pair the page sent
    assert sum(throttle > 0 for _, throttle in records) >= 20
    assert any(angle < 0 for angle, _ in records) and any(angle > 0 for angle, _ in records)
    assert any(record == (0, 0) for record in records[-3:])  # released before the stop


def test_erase_last_soft_deletes_records(browser, tmp_path, shots):
    car = start_car(tmp_path, settings="ERASE_LAST_N_RECORDS = 20\n")
    try:
        page = open_page(browser, car, shots, **LAPTOP).ready()
        assert page.page.locator("#erase_button").inner_text() == "Erase last 1 s (20 records)"
        page.page.locator("#record_button").click()
        page.wait_until(lambda: page.last["recording"] is True, 3, "recording on")
        page.wait_until(lambda: (page.last["tub"] or {}).get("num_records", 0) >= 30, 10,
                        "30 records")
        page.page.locator("#record_button").click()
        page.wait_until(lambda: page.last["recording"] is False, 3, "recording off")
        page.wait(0.3)
        before = page.last["tub"]["num_records"]
        page.page.locator("#erase_button").click()
        assert {"erase_last": True} in page.sent
        erase_n = page.hello["erase_n"]
        page.wait_until(lambda: {"erased": erase_n} in page.pushed, 5, "the car erased erase_n")
        page.wait_until(lambda: f"erased {erase_n}" in page.page.locator("#message").inner_text(), 2)
        count, tub_path = recorded(car.stop())
        assert count == before  # written; erasing soft-deletes
        assert len(Tub(tub_path)) == before - erase_n == before - 20
        assert page.errors == []
        page.page.context.close()
    finally:
        car.stop()
