"""The Trainer in Debian's chromium: a bad override is shown before anything trains, a small
pilot trains to completion (the page closed and opened again meanwhile sees the run), and
the pilot shows in the database table, where its comment is edited and it is deleted and
restored. BURRO_UI_SHOTS=docs/images also writes the docs' screenshots there."""

import json
import os
import time
from pathlib import Path

import pytest

SCREEN = {"viewport": {"width": 1280, "height": 1000}}

pytestmark = pytest.mark.slow




def open_trainer(browser, ui, errors):
    context = browser.new_context(**SCREEN)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(ui.url + "/#trainer")
    page.wait_for_selector("#tr_type option", state="attached")
    page.wait_for_selector("#tr_job_state")
    return page


def shot(page, tmp_path, name, full_page=True):
    path = tmp_path / f"ui-trainer-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    folder = os.environ.get("BURRO_UI_SHOTS")
    if folder:
        from PIL import Image

        Image.open(path).convert("RGB").quantize(96).save(Path(folder) / path.name,
                                                          optimize=True)


def wait_for(page, condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_train_a_small_pilot_and_see_it_in_the_database(browser, ui, car_and_tub, tmp_path):
    car, tub = car_and_tub
    errors: list[str] = []
    page = open_trainer(browser, ui, errors)
    assert page.locator("#tr_tubs input:checked").count() == 1
    types = page.locator("#tr_type option").all_inner_texts()
    assert "linear" in types and "categorical" in types

    page.click("#tr_add_key")
    page.fill("#tr_overrides .tr-override:nth-child(1) .tr-key", "MAX_EPOCHS")
    page.fill("#tr_overrides .tr-override:nth-child(1) .tr-value", "0")
    assert "int >= 1" in page.inner_text("#tr_overrides .tr-hint")
    page.click("#tr_check")
    page.wait_for_selector("#tr_message.bad")
    assert "MAX_EPOCHS must be int >= 1" in page.inner_text("#tr_message")
    shot(page, tmp_path, "error")

    page.select_option("#tr_transfer", "(another file)")
    page.fill("#tr_transfer_path", "models/missing.keras")
    page.click("#tr_check")
    page.wait_for_selector("#tr_message.bad")
    assert "no such file" in page.inner_text("#tr_message")
    page.select_option("#tr_transfer", "")
    assert page.locator("#tr_transfer_path").is_hidden()

    page.fill("#tr_overrides .tr-override:nth-child(1) .tr-value", "3")
    page.click("#tr_add_key")
    page.fill("#tr_overrides .tr-override:nth-child(2) .tr-key", "USE_EARLY_STOP")
    page.fill("#tr_overrides .tr-override:nth-child(2) .tr-value", "False")
    page.fill("#tr_comment", "browser pilot")
    page.click("#tr_train")
    page.wait_for_selector('#tr_job_state[data-state="running"]')
    assert "ready" in page.inner_text("#tr_message")

    page.context.close()  # the browser goes away; the run goes on
    page = open_trainer(browser, ui, errors)
    page.wait_for_selector('#tr_job_state[data-state="running"]', timeout=10_000)
    assert page.locator("#tr_train").is_disabled()
    wait_for(page, lambda: "epoch 1" in page.inner_text("#tr_job_epochs")
             or page.get_attribute("#tr_job_state", "data-state") != "running", 240,
             "the first epoch")
    if page.get_attribute("#tr_job_state", "data-state") == "running":
        assert "left" in page.inner_text("#tr_job_time")
        shot(page, tmp_path, "running")
    page.wait_for_selector('#tr_job_state[data-state="finished"]', timeout=240_000)
    assert page.get_attribute("#tr_job_plot", "data-points") == "6"  # 3 epochs x 2 curves
    assert "saved" in page.inner_text("#tr_job_result")

    page.wait_for_selector("#tr_pilot:not([hidden])")  # the new pilot is picked
    row = page.locator("#tr_db_table tbody tr.picked")
    assert "browser pilot" in row.inner_text()
    assert page.get_attribute("#tr_pilot_plot", "data-points") == "6"
    shot(page, tmp_path, "finished")

    page.fill("#tr_db_filter", "no such words")
    assert page.inner_text("#tr_db_table tbody") == "no pilot matches the filter"
    page.fill("#tr_db_filter", "browser")
    assert page.locator("#tr_db_table tbody tr[data-number]").count() == 1
    page.click("#tr_db_columns summary")
    page.check('#tr_db_columns input[value="Records"]')
    assert "Records" in page.locator("#tr_db_table thead").inner_text()
    page.click("#tr_db_columns summary")
    page.click('#tr_db_table th[data-column="Name"]')
    assert "Name ▲" in page.locator("#tr_db_table thead").inner_text()

    page.fill("#tr_pilot_comment", "browser pilot, edited")
    page.click("#tr_pilot_save")
    database = car / "models" / "database.json"
    wait_for(page, lambda: "edited" in database.read_text(), 10, "the comment stored")
    page.locator("details:has(#tr_pilot_config) summary").click()
    assert "MAX_EPOCHS" in page.inner_text("#tr_pilot_config")
    shot(page, tmp_path, "database")

    page.locator("details:has(#tr_pilot_config) summary").click()
    page.click("#tr_pilot_delete")
    page.wait_for_selector("#tr_confirm[open]")
    shot(page, tmp_path, "delete", full_page=False)
    page.click("#tr_confirm_ok")
    wait_for(page, lambda: json.loads(database.read_text()) == [], 10, "the row removed")
    page.fill("#tr_db_filter", "")
    page.wait_for_selector("#tr_undo:not([hidden])")
    assert page.locator("#tr_db_table tbody tr[data-number]").count() == 0
    page.click("#tr_undo_button")
    wait_for(page, lambda: len(json.loads(database.read_text())) == 1, 10, "the row restored")
    page.wait_for_selector("#tr_db_table tbody tr[data-number]")
    assert errors == [], errors
    page.context.close()
