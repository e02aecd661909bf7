"""The calibrate page against /wsCalibrate of a running car: values shown, +/- 10 sent and
applied, throttle tests resend until their time is up, Save writes myconfig.py."""

import json

import pytest
from tests.web.browser.pagekit import start_car

pytestmark = pytest.mark.slow  # a real-time simulated car


def test_the_calibrate_page_steps_tests_and_saves(browser, tmp_path, shots):
    car = start_car(tmp_path)
    try:
        page = browser.new_context(viewport={"width": 800, "height": 900}).new_page()
        sent, received, errors = [], [], []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def on_socket(ws):
            ws.on("framesent", lambda payload: sent.append(json.loads(payload)))
            ws.on("framereceived", lambda payload: received.append(json.loads(payload)))
        page.on("websocket", on_socket)
        page.goto(f"{car.url}/calibrate")
        page.wait_for_function("!document.getElementById('STEERING_LEFT_PWM').disabled",
                               timeout=10000)
        first = next(message for message in received if "config" in message)
        left = int(page.locator("#STEERING_LEFT_PWM").input_value())
        assert left == first["config"]["STEERING_LEFT_PWM"]
        page.get_by_role("button", name="STEERING_LEFT_PWM +10").click()
        page.wait_for_timeout(500)
        assert {"config": {"STEERING_LEFT_PWM": left + 10}} in sent
        page.get_by_role("button", name="Forward", exact=True).click()
        page.wait_for_timeout(1500)  # 1 s test, resent every 100 ms
        throttles = [message["throttle"] for message in sent if "throttle" in message]
        assert throttles.count(0.5) >= 8 and throttles[-1] == 0
        assert any(message.get("config", {}).get("STEERING_LEFT_PWM") == left + 10
                   for message in received)  # the car took it
        assert "drivetrain: SIM" in page.locator("#drivetrain").inner_text()
        page.get_by_role("button", name="Save to myconfig.py").click()
        page.wait_for_function("document.getElementById('log').value.includes('saved into')",
                               timeout=5000)
        saved = next(message["saved"] for message in received if "saved" in message)
        assert saved == str(car.folder / "myconfig.py")
        assert f'"STEERING_LEFT_PWM": {left + 10}' in (car.folder / "myconfig.py").read_text()
        page.screenshot(path=str(shots / "calibrate.png"))
        assert errors == []
        page.context.close()
    finally:
        car.stop()
