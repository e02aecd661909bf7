"""The dead-man and the token, seen from the page in chromium."""

import urllib.error
import urllib.request

import pytest
from tests.web.browser.pagekit import open_page, start_car

pytestmark = pytest.mark.slow  # a real-time simulated car

def test_a_hidden_page_goes_quiet_and_the_dead_man_stops_the_car(page):
    page.page.keyboard.down("ArrowUp")
    page.wait_until(lambda: page.last["out"]["throttle"] > 0.5 and page.speed() > 0.2, 15,
                    "driving")
    page.hide()  # as when the phone locks or the tab goes away
    quiet_from = len(page.sent)
    page.wait_until(lambda: page.last["out"]["throttle"] == 0, 3, "the dead-man: throttle 0")
    page.wait_until(lambda: page.last["driver"] is None, 3, "the dead-man: nobody drives")
    assert any("stopped" in message for message in page.pushed)
    page.wait(0.5)
    assert page.sent[quiet_from:] == []  # the socket stayed open, the page sent nothing
    page.shot("dead-man")
    page.page.keyboard.up("ArrowUp")


def test_the_token_is_refused_without_it_and_accepted_with_it(browser, tmp_path, shots):
    car = start_car(tmp_path, settings='WEB_TOKEN = "s3cret-42"\n', token="s3cret-42")
    try:
        refused = browser.new_context().new_page()
        response = refused.goto(f"{car.url}/drive")
        assert response.status == 403
        refused.screenshot(path=str(shots / "token-refused.png"))
        with pytest.raises(urllib.error.HTTPError) as video:
            urllib.request.urlopen(f"{car.url}/video?token=wrong", timeout=5)
        assert video.value.code == 403
        refused.context.close()

        page = open_page(browser, car, shots, query="?token=s3cret-42").ready()
        assert all("token=s3cret-42" in url for url in page.socket_urls)
        assert page.page.locator("#calibrate_link").get_attribute("href") == \
            "/calibrate?token=s3cret-42"
        page.wait_until(lambda: page.page.evaluate(
            "document.getElementById('video').naturalWidth") > 0, 10, "the video with the token")
        page.page.keyboard.down("ArrowUp")
        page.wait_until(lambda: page.last["user"]["throttle"] > 0, 5, "driving with the token")
        page.page.keyboard.up("ArrowUp")
        # the cookie set by the first request carries the token for a page without it
        page.hello = None
        page.page.goto(f"{car.url}/drive")
        page.ready()
        assert page.socket_urls[-1].endswith("/wsTelemetry")  # no token on the URL
        assert page.errors == []
        page.page.context.close()
    finally:
        car.stop()


def test_the_page_says_offline_and_reconnects_by_itself(page, car):
    page.page.keyboard.down("ArrowUp")
    page.wait_until(lambda: page.page.locator("#driver").inner_text() == "you drive", 5)
    first_run = car.stop()  # the car goes away (a reboot, the network drops)
    assert "stopped: SIGINT" in first_run
    page.wait_until(lambda: page.page.locator("#connection").inner_text().startswith("offline"),
                    5, "the page says offline")
    assert page.page.locator("#driver").inner_text().startswith("nobody drives")
    assert page.page.locator("#mode_select").is_disabled()
    assert page.page.locator("#value_throttle").inner_text() == "0.00"
    page.shot("offline")
    page.page.keyboard.up("ArrowUp")
    telemetry_before = len(page.telemetry)
    car.start()  # the same car on the same port
    page.wait_until(lambda: page.page.locator("#connection").inner_text() == "connected", 10,
                    "reconnected")
    page.wait_until(lambda: len(page.telemetry) > telemetry_before + 5, 5, "telemetry again")
    page.wait_until(lambda: page.page.evaluate(
        "document.getElementById('video').naturalWidth") > 0, 10, "the video again")
    page.page.keyboard.down("ArrowUp")
    page.wait_until(lambda: page.last["user"]["throttle"] > 0, 5, "driving again")
    page.page.keyboard.up("ArrowUp")
