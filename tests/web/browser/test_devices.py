"""Tilt steering and the browser gamepad, with the devices faked in the browser (there are no
motion sensors or pads here): DeviceOrientation events dispatched on the window, and
navigator.getGamepads() answering a pad whose sticks and buttons the test moves."""

import pytest
from tests.web.browser.pagekit import LAPTOP, open_page

pytestmark = pytest.mark.slow  # a real-time simulated car

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
TILT = """gamma => window.dispatchEvent(new DeviceOrientationEvent("deviceorientation",
  { alpha: 0, beta: 40, gamma }))"""
FAKE_PAD = """
window.fakePad = { id: "Fake Pad (STANDARD GAMEPAD Vendor: 0000)", connected: true,
  mapping: "standard", axes: [0, 0, 0, 0],
  buttons: Array.from({ length: 17 }, () => ({ pressed: false, value: 0 })) };
navigator.getGamepads = () => [window.fakePad, null, null, null];
"""


def test_tilt_steers_while_the_keys_throttle(browser, car, shots):
    page = open_page(browser, car, shots, **PHONE).ready()
    page.page.evaluate(TILT, 5)  # how the phone is held when tilt is switched on: straight
    page.page.locator("#tilt_toggle").check()
    page.page.evaluate(TILT, 5)
    page.page.evaluate(TILT, 20)  # 15 degrees to the right of straight
    page.page.keyboard.down("ArrowUp")
    expected = (15 / 30 - 0.1) / 0.9  # full lock at 30 degrees, 3 degrees dead zone
    page.wait_until(lambda: page.drive_frames() and
                    abs(page.drive_frames()[-1]["angle"] - expected) < 0.01, 3, "tilt steers")
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 1.0, 2, "the key throttles")
    page.page.evaluate(TILT, 6)  # within the dead zone: straight
    page.wait_until(lambda: page.drive_frames()[-1]["angle"] == 0, 2, "straight again")
    page.page.keyboard.up("ArrowUp")
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 0, 2, "released")
    assert page.errors == []
    page.page.context.close()


def test_a_gamepad_drives_and_its_buttons_record_and_stop(browser, car, shots):
    context = browser.new_context(**LAPTOP)
    context.add_init_script(FAKE_PAD)
    page = open_page(browser, car, shots, context=context).ready()
    page.page.evaluate("window.dispatchEvent(new Event('gamepadconnected'))")
    page.wait_until(lambda: "Fake Pad" in page.page.locator("#gamepad_state").inner_text(), 3)
    page.page.evaluate("window.fakePad.axes[1] = -0.8; window.fakePad.axes[2] = 0.5")
    page.wait_until(lambda: page.speed() > 0.2, 15, "the pad drives the car")
    frame = page.drive_frames()[-1]
    assert frame["throttle"] == pytest.approx((0.8 - 0.15) / 0.85, abs=0.002)  # dead zones
    assert frame["angle"] == pytest.approx((0.5 - 0.05) / 0.95, abs=0.002)
    assert "gamepad" in page.page.locator("#input_source").inner_text()
    page.page.evaluate("window.fakePad.buttons[0].pressed = true")  # A: record
    page.wait_until(lambda: page.last["recording"] is True, 3, "A starts recording")
    page.page.evaluate("window.fakePad.buttons[0].pressed = false")
    page.page.evaluate("window.fakePad.buttons[1].pressed = true")  # B: Stop Car
    page.wait_until(lambda: {"stop": True} in page.sent, 2, "B stops the car")
    page.wait_until(lambda: page.last["out"]["throttle"] == 0 and not page.last["recording"], 3)
    page.page.evaluate("window.fakePad.buttons[1].pressed = false")
    page.wait(0.3)
    assert page.drive_frames()[-1]["throttle"] == 0  # the stick is still forward: held at 0
    page.page.evaluate("window.fakePad.axes[1] = 0; window.fakePad.axes[2] = 0")
    page.wait(0.2)
    page.page.evaluate("window.fakePad.axes[1] = -1")  # a fresh command drives again
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 1, 2, "driving again")
    assert page.errors == []
    context.close()
