"""Mode & Pilot → Local Pilot on the page: the pilot drives the simulated car, its steering is
drawn over the camera image next to the user's; the page going quiet hands the car back to
the user at throttle 0."""

import pytest
from tests.car.carkit import sim_figure
from tests.web.browser.pagekit import LAPTOP, open_page, start_car

pytestmark = pytest.mark.slow  # trains a small pilot (TensorFlow) once, a real-time car

PILOT_PIXELS = """() => {
  const canvas = document.getElementById("overlay");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] > 200 && data[i + 1] > 120 && data[i + 1] < 190 && data[i + 2] < 80 &&
        data[i + 3] > 200) count += 1;
  }
  return count;
}"""


def pilot_drives(telemetry) -> bool:
    pilot, out = telemetry["pilot"] or {}, telemetry["out"]
    return isinstance(pilot.get("throttle"), float) and pilot["throttle"] > 0.1 and \
        abs(out["throttle"] - pilot["throttle"]) < 0.05


def test_local_pilot_drives_the_car_from_the_page(browser, small_pilot, tmp_path, shots):
    car = start_car(tmp_path, args=("--model", str(small_pilot)))
    try:
        page = open_page(browser, car, shots, **LAPTOP).ready()
        assert page.last["mode"] == "user" and page.speed() < 0.05  # WEB_INIT_MODE user
        page.page.select_option("#mode_select", "local")
        page.wait_until(lambda: page.last["mode"] == "local" and page.last["pilot"], 10,
                        "the pilot runs in local mode")
        page.wait_until(lambda: page.speed() > 0.2, 20, "the pilot drives the car")
        page.wait_until(lambda: pilot_drives(page.last), 5, "the motors get the pilot's throttle")
        assert page.drive_frames()[-1]["drive_mode"] == "local"  # the heartbeat keeps it
        page.wait_until(lambda: page.page.evaluate(PILOT_PIXELS) > 50, 5,
                        "the pilot's steering drawn over the image")
        assert "ms" in page.page.locator("#t_pilot").inner_text()
        page.wait_until(lambda: page.last["loop"]["hz"], 5, "the loop rate")
        page.shot("local-pilot")
        page.hide()  # the phone locks while the pilot drives
        page.wait_until(lambda: page.last["mode"] == "user" and page.last["out"]["throttle"] == 0,
                        3, "the dead-man: back to user, throttle 0")
        assert any("dead-man" in message.get("stopped", "") for message in page.pushed)
        page.page.context.close()
    finally:
        output = car.stop()
    assert sim_figure(output, "mean speed") > 0.05
