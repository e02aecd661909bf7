"""The page's behaviour switch with TRAIN_BEHAVIORS: it sets the car's Behavior part and the
tub records the state — with the page driving, and while the simulator's expert drives (the
page only watches, and the expert changes lane on the page's command)."""

import pytest
from tests.car.carkit import recorded
from tests.web.browser.pagekit import LAPTOP, open_page, start_car

from burro.tub import Tub

pytestmark = pytest.mark.slow  # real-time simulated cars

BEHAVIOURS = 'TRAIN_BEHAVIORS = True\nBEHAVIOR_LIST = ["Left_Lane", "Right_Lane"]\n'


def behaviour_buttons(page):
    return page.page.locator("#behavior_buttons button")


def test_the_page_switches_the_behaviour_state_that_the_tub_records(browser, tmp_path):
    car = start_car(tmp_path, BEHAVIOURS)
    page = open_page(browser, car, tmp_path, **LAPTOP).ready()
    try:
        buttons = behaviour_buttons(page)
        assert buttons.all_inner_texts() == ["Left_Lane", "Right_Lane"]
        page.page.locator("#record_button").click()
        page.page.keyboard.down("ArrowUp")
        page.wait(1.0)
        buttons.nth(1).click()
        page.wait_until(lambda: (page.last.get("behavior") or {}).get("state") == 1, 5,
                        "telemetry shows Right_Lane")
        assert "on" in buttons.nth(1).get_attribute("class")
        page.shot("behaviour-right")
        page.wait(1.0)
        page.page.keyboard.up("ArrowUp")
        page.page.locator("#record_button").click()
        assert {"behavior": 1} in page.sent
        assert page.errors == []
    finally:
        page.page.context.close()
        output = car.stop()
    count, tub_path = recorded(output)
    states = [record["behavior/state"] for record in Tub(tub_path)]
    assert count == len(states) > 20
    assert states[0] == 0 and states[-1] == 1 and sorted(set(states)) == [0, 1]


def test_while_the_expert_drives_the_page_switches_its_lane(browser, tmp_path):
    settings = BEHAVIOURS + ('SIM_EXPERT_AS_USER = True\nSIM_TRACK = "two_lane"\n'
                             'SIM_EXPERT_LANE = "left"\n')
    car = start_car(tmp_path, settings)
    page = open_page(browser, car, tmp_path, **LAPTOP).ready()
    try:
        page.wait_until(lambda: (page.last.get("sim") or {}).get("cte") is not None, 10)
        page.wait(2.0)
        left_cte = page.last["sim"]["cte"]
        assert page.page.locator("#mode_select").is_disabled()  # the expert drives
        buttons = behaviour_buttons(page)
        assert buttons.nth(1).is_enabled()
        buttons.nth(1).click()
        page.wait_until(lambda: (page.last.get("behavior") or {}).get("state") == 1, 5)
        page.wait(3.0)  # the expert crosses over to the right lane
        right_cte = page.last["sim"]["cte"]
        page.shot("expert-right-lane")
        assert left_cte * right_cte < 0, (left_cte, right_cte)
        assert page.errors == []
    finally:
        page.page.context.close()
        output = car.stop()
    states = [record["behavior/state"] for record in Tub(recorded(output)[1])]
    assert states[0] == 0 and states[-1] == 1
