"""Recording for a behaviour model per Donkey's advice through `manage.py drive`: the sim
expert as the user with TRAIN_BEHAVIORS changes lane every ~SIM_EXPERT_LANE_CHANGE_EVERY s,
starting in SIM_EXPERT_START_LANE, and the Behavior part records its lane."""

from tests.car.carkit import FAST_SIM, create_car, manage, recorded

from burro.tub import Tub

SETTINGS = FAST_SIM.replace('"oval"', '"two_lane"') + """
SIM_EXPERT_LANE = "switch"
TRAIN_BEHAVIORS = True
SIM_EXPERT_LANE_CHANGE_EVERY = 2.0
SIM_EXPERT_LANE_CHANGE_SPEED = 1.0
"""


def changes(states: list[int]) -> int:
    return sum(a != b for a, b in zip(states, states[1:]))


def test_the_expert_starts_in_the_right_lane_and_changes_often(tmp_path):
    car = create_car(tmp_path, settings=SETTINGS)
    result = manage(car, "drive", "--set", "MAX_LOOPS=800", "--set", "SIM_EXPERT_START_LANE=right")
    assert result.returncode == 0, result.stderr
    _, tub = recorded(result.stdout)
    records = list(Tub(tub))
    states = [r["behavior/state"] for r in records]
    assert states[0] == 1 and records[0]["behavior/label"] == "Right_Lane"
    assert records[0]["pos/cte"] < 0  # the right lane is right of the centre line
    # 40 s of driving, a change every 1 s + ~2 s: ~13 (Donkey's 8 s default would give ~4)
    assert 8 <= changes(states) <= 20, changes(states)
    # a change at 1 m/s sideways: 0.7 m in ~0.7 s, so the car is past the centre line within
    # 1 s (20 records) of each change of state
    for step in (i for i in range(1, len(states)) if states[i] != states[i - 1]):
        side = 1 if states[step] == 0 else -1
        ahead = [r["pos/cte"] * side for r in records[step:step + 20]]
        assert max(ahead) > 0, (step, ahead)
