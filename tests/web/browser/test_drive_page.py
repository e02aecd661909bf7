"""The drive page in chromium against `manage.py drive` of a simulated car: the keyboard and the
virtual joystick move the car, Stop Car stops it, a second browser watches and takes control."""

import pytest
from tests.car.carkit import sim_figure
from tests.web.browser.pagekit import LAPTOP, open_page

pytestmark = pytest.mark.slow  # each test runs a real-time simulated car


def test_the_page_shows_the_car_and_its_telemetry(page):
    page.wait_until(lambda: page.page.evaluate(
        "document.getElementById('video').naturalWidth") > 0, 10, "a camera frame in <img>")
    page.wait_until(lambda: page.last["loop"]["hz"] and not page.page.locator(
        "#t_loop").inner_text().startswith("–"), 10, "the loop rate")
    hz = float(page.page.locator("#t_loop").inner_text().split(" Hz")[0])
    assert 10 < hz < 30  # DRIVE_LOOP_HZ 20, real time
    hello = page.hello
    assert hello["modes"] == ["user", "local_angle", "local"] and hello["sim"] is True
    seconds = hello["erase_n"] / hello["rate_hz"]
    assert page.page.locator("#erase_button").inner_text() == \
        f"Erase last {seconds:g} s ({hello['erase_n']} records)"
    assert page.page.locator("#t_sim").inner_text().startswith("lap ")
    assert page.page.locator("#driver").inner_text().startswith("nobody drives")
    options = page.page.locator("#mode_select option").all_inner_texts()
    assert options == ["User", "Local Angle", "Local Pilot"]
    assert page.page.locator("#behavior_field").is_hidden()  # TRAIN_BEHAVIORS off
    page.shot("idle")


def test_holding_the_arrow_keys_drives_and_releasing_stops(page, car):
    page.page.keyboard.down("ArrowUp")
    page.page.keyboard.down("ArrowRight")
    page.wait_until(lambda: page.speed() > 0.3, 15, "the simulated car moving")
    page.wait_until(lambda: page.page.locator("#driver").inner_text() == "you drive", 5)
    page.shot("keyboard-driving")
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 1.0, 2, "ramped up to full")
    held = page.drive_frames()[-1]
    assert held["angle"] == 1.0
    assert held["drive_mode"] == "user"
    page.wait_until(lambda: page.last["user"]["throttle"] == 1.0, 2, "the car's user throttle")
    before = len(page.sent)
    page.wait(1.5)  # nothing changes: the heartbeat keeps the car going
    assert 12 <= len(page.sent) - before <= 18  # the full state every 100 ms
    assert page.last["out"]["throttle"] == 1.0 and not any(
        "stopped" in message for message in page.pushed)
    page.page.keyboard.up("ArrowUp")
    page.page.keyboard.up("ArrowRight")
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 0 and
                    page.drive_frames()[-1]["angle"] == 0, 2, "released: zeros sent")
    page.wait_until(lambda: page.last["out"]["throttle"] == 0, 3, "the car's throttle at 0")
    # a ramp: the first frames of the hold were partial
    throttles = [frame["throttle"] for frame in page.drive_frames()]
    assert any(0 < value < 1 for value in throttles)
    assert sim_figure(car.stop(), "mean speed") > 0.05


def test_the_virtual_joystick_drives_with_the_mouse(page):
    x, y, radius = page.joystick_centre()
    mouse = page.page.mouse
    mouse.move(x, y)
    mouse.down()
    mouse.move(x - 0.4 * radius, y - 0.6 * radius, steps=5)
    page.wait_until(lambda: page.speed() > 0.2, 15, "the simulated car moving")
    page.wait_until(lambda: abs(page.drive_frames()[-1]["angle"] + 0.4) < 0.02, 2, "angle sent")
    frame = page.drive_frames()[-1]
    assert frame["throttle"] == pytest.approx(0.6, abs=0.02)
    page.wait_until(lambda: abs(page.last["user"]["angle"] + 0.4) < 0.02, 2, "the car's angle")
    page.shot("joystick-driving")
    mouse.move(x + 3 * radius, y, steps=3)  # beyond the rim: full right, no throttle
    page.wait_until(lambda: page.drive_frames()[-1]["angle"] == 1, 2, "full right lock")
    assert abs(page.drive_frames()[-1]["throttle"]) < 0.02
    mouse.up()
    page.wait_until(lambda: page.drive_frames()[-1] == {"angle": 0, "throttle": 0,
                    "drive_mode": "user", "recording": False}, 2, "released: zeros sent")
    assert page.page.evaluate("document.getElementById('knob').style.transform") == ""


def test_max_throttle_and_constant_throttle_limit_what_the_page_sends(page):
    page.page.select_option("#max_throttle_select", "0.5")
    page.page.keyboard.down("ArrowUp")
    page.wait_until(lambda: page.drive_frames() and page.drive_frames()[-1]["throttle"] == 0.5,
                    3, "throttle limited to 0.5")
    page.page.keyboard.up("ArrowUp")
    page.page.select_option("#throttle_mode_select", "constant")
    assert "Constant (50 %)" in page.page.locator("#throttle_mode_select").inner_text()
    page.page.keyboard.down("ArrowLeft")  # steering alone drives at the constant throttle
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 0.5 and
                    page.drive_frames()[-1]["angle"] < 0, 3, "constant throttle while steering")
    page.shot("constant-throttle")
    page.page.keyboard.up("ArrowLeft")
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 0, 2, "let go: throttle 0")
    assert all(abs(frame["throttle"]) <= 0.5 for frame in page.drive_frames())


def test_stop_car_stops_and_holds_until_a_fresh_input(page):
    page.page.keyboard.down("ArrowUp")
    page.wait_until(lambda: page.speed() > 0.3, 15, "the simulated car moving")
    page.page.select_option("#mode_select", "local_angle")
    page.wait_until(lambda: page.last["mode"] == "local_angle", 3, "mode local_angle")
    page.page.locator("#stop_button").click()  # the key is still held
    assert {"stop": True} in page.sent
    page.wait_until(lambda: any("stopped" in message for message in page.pushed), 3,
                    "the car says stopped")
    page.wait_until(lambda: page.last["out"]["throttle"] == 0 and page.last["mode"] == "user",
                    3, "throttle 0, mode user")
    assert page.page.locator("#mode_select").input_value() == "user"
    page.shot("stopped")
    page.wait(0.5)
    assert page.drive_frames()[-1]["throttle"] == 0  # held: still at 0 with the key down
    assert "let go" in page.page.locator("#input_source").inner_text()
    page.page.keyboard.up("ArrowUp")
    page.page.keyboard.down("ArrowUp")  # a fresh command drives again
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] > 0, 2, "driving again")
    page.page.keyboard.up("ArrowUp")
    page.page.keyboard.press("Space")  # space is Stop Car too
    page.wait_until(lambda: page.sent.count({"stop": True}) == 2, 2, "space sends stop")


def test_r_records_m_cycles_the_mode(page):
    page.page.keyboard.press("m")
    page.wait_until(lambda: page.last["mode"] == "local_angle", 3, "m: local_angle")
    page.page.keyboard.press("m")
    page.wait_until(lambda: page.last["mode"] == "local", 3, "m: local")
    assert page.page.locator("#mode_select").input_value() == "local"
    page.page.keyboard.press("m")
    page.wait_until(lambda: page.last["mode"] == "user", 3, "m: back to user")
    page.page.keyboard.press("r")
    page.wait_until(lambda: page.last["recording"] is True, 3, "r: recording")
    page.wait_until(lambda: "Stop Recording" in page.page.locator("#record_button").inner_text(),
                    2)
    page.page.keyboard.press("r")
    page.wait_until(lambda: page.last["recording"] is False, 3, "r: not recording")


def test_a_second_browser_watches_takes_control_and_drives_when_the_driver_goes(page, browser, car, shots):
    page.page.keyboard.down("ArrowUp")
    page.wait_until(lambda: page.page.locator("#driver").inner_text() == "you drive", 5)
    watcher = open_page(browser, car, shots, **LAPTOP).ready()
    watcher.wait_until(lambda: "drives; you watch" in watcher.page.locator("#driver").inner_text(),
                       5, "the watcher is told who drives")
    assert watcher.page.locator("#take_control").is_visible()
    assert watcher.page.locator("#mode_select").is_disabled()
    watcher.wait_until(lambda: watcher.page.locator("#value_throttle").inner_text() != "0.00", 5,
                       "the watcher sees the driver's throttle")
    watcher.shot("watching")
    watcher.page.keyboard.down("ArrowDown")  # a watcher's drive input is not sent
    watcher.wait(0.5)
    assert watcher.drive_frames() == []
    watcher.page.keyboard.up("ArrowDown")
    page.page.keyboard.up("ArrowUp")
    watcher.page.locator("#take_control").click()  # a hand-over: the car stops, roles swap
    assert {"take_control": True} in watcher.sent
    watcher.wait_until(lambda: watcher.page.locator("#driver").inner_text() == "you drive", 5,
                       "the watcher took control")
    page.wait_until(lambda: "drives; you watch" in page.page.locator("#driver").inner_text(),
                    5, "the old driver watches")
    watcher.shot("took-control")
    page.page.keyboard.down("ArrowUp")
    page.page.locator("#take_control").click()  # and back
    page.wait_until(lambda: page.page.locator("#driver").inner_text() == "you drive", 5)
    page.page.context.close()  # the driver goes: its socket closes, the car stops
    watcher.wait_until(lambda: watcher.last["driver"] is None and
                       watcher.last["out"]["throttle"] == 0, 5, "nobody drives, throttle 0")
    watcher.wait_until(lambda: watcher.page.locator("#driver").inner_text().startswith(
        "nobody drives"), 5)
    watcher.page.keyboard.down("ArrowUp")
    watcher.wait_until(lambda: watcher.page.locator("#driver").inner_text() == "you drive", 5,
                       "the watcher drives")
    watcher.wait_until(lambda: watcher.last["user"]["throttle"] > 0, 5)
    watcher.page.keyboard.up("ArrowUp")
    watcher.page.context.close()
