"""The page on a phone-sized touch screen, in portrait and landscape: touch drives the joystick,
the controls fit and stay big enough to hit."""

import pytest
from tests.web.browser.pagekit import open_page

pytestmark = pytest.mark.slow  # a real-time simulated car

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}
TOUCH_TARGET_PX = 44


def box(page, selector: str) -> dict:
    return page.page.locator(selector).bounding_box()


def touch_drag(page, start, end, hold_s: float):
    """A real touch sequence (CDP Input.dispatchTouchEvent): press, move, hold, lift."""
    cdp = page.page.context.new_cdp_session(page.page)

    def touch(kind, points):
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", [{"x": start[0], "y": start[1]}])
    for step in range(1, 6):
        x = start[0] + (end[0] - start[0]) * step / 5
        y = start[1] + (end[1] - start[1]) * step / 5
        touch("touchMove", [{"x": x, "y": y}])
    page.wait(hold_s)
    return lambda: touch("touchEnd", [])


def assert_fits(page, width, height):
    for selector in ("#stop_button", "#record_button"):
        button = box(page, selector)
        assert button["height"] >= TOUCH_TARGET_PX and button["width"] >= 2 * TOUCH_TARGET_PX
        assert button["y"] >= 0 and button["y"] + button["height"] <= height  # always in reach
    for selector in ("#mode_select", "#max_throttle_select", "#throttle_mode_select"):
        assert box(page, selector)["height"] >= TOUCH_TARGET_PX
    assert page.page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways


def test_touch_drives_in_portrait_and_the_layout_turns_with_the_phone(browser, car, shots):
    page = open_page(browser, car, shots, **PHONE).ready()
    assert_fits(page, 390, 844)
    frame, pad = box(page, ".frame"), box(page, "#joystick")
    assert frame["width"] > 340 and pad["y"] >= frame["y"] + frame["height"]  # stacked
    page.shot("phone-portrait")

    x, y, radius = page.joystick_centre()
    lift = touch_drag(page, (x, y), (x + 0.5 * radius, y - 0.5 * radius), 0.3)
    page.wait_until(lambda: page.speed() > 0.2, 15, "the car moving under a finger")
    frame_sent = page.drive_frames()[-1]
    assert frame_sent["angle"] == pytest.approx(0.5, abs=0.03)
    assert frame_sent["throttle"] == pytest.approx(0.5, abs=0.03)
    page.shot("phone-portrait-driving")
    assert box(page, "#joystick") == pad  # nothing moved under the finger (who drives, ...)
    lift()
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 0, 2, "lifted: throttle 0")

    page.page.set_viewport_size({"width": 844, "height": 390})
    page.wait(0.5)
    assert_fits(page, 844, 390)
    frame, pad = box(page, ".frame"), box(page, "#joystick")
    assert pad["x"] >= frame["x"] + frame["width"]  # side by side
    assert frame["height"] > 150 and pad["y"] + pad["height"] <= 390 - 70  # above the footer
    x, y, radius = page.joystick_centre()
    lift = touch_drag(page, (x, y), (x - 0.3 * radius, y - 0.7 * radius), 0.5)
    page.wait_until(lambda: page.drive_frames()[-1]["angle"] < -0.2, 3, "steering left")
    page.shot("phone-landscape-driving")
    lift()
    page.wait_until(lambda: page.drive_frames()[-1]["throttle"] == 0, 2, "lifted: throttle 0")
    page.page.locator("#stop_button").tap()
    page.wait_until(lambda: {"stop": True} in page.sent, 2, "Stop Car by touch")
    assert page.errors == []
    page.page.context.close()
