"""`burro sim drive` with a behaviour pilot: the simulator tells it the expert's lane."""

import numpy as np
import pytest

from burro.sim.evaluate import drive
from burro.sim.expert import Expert
from burro.sim.simulator import SimSettings
from burro.sim.track import load_track

BEHAVIORS = ["Left_Lane", "Right_Lane"]


class LaneFollower:
    """Drives the lane its behaviour vector commands (the expert's pure pursuit on the last
    telemetry), and keeps every vector it was given."""

    def __init__(self):
        self.steerer = Expert(load_track("two_lane"))
        self.telemetry = None
        self.given = []

    def __call__(self, image, one_hot):
        self.given.append(list(one_hot))
        if self.telemetry is None:
            return 0.0, 0.3
        lane = "left" if one_hot[0] == 1.0 else "right"
        offset = self.steerer.track.lane_offset(lane)
        return float(np.clip(self.steerer.steer(self.telemetry, offset), -1, 1)), 0.35

    def saw(self, telemetry):
        self.telemetry = telemetry


@pytest.mark.slow  # 600 simulated steps (~4 s)
@pytest.mark.parametrize("lane, vectors", [("right", [[0.0, 1.0]]),
                                           ("switch", [[1.0, 0.0], [0.0, 1.0]])])
def test_the_driver_gets_the_experts_lane_and_the_report_measures_lane_holding(lane, vectors):
    follower = LaneFollower()
    report = drive(follower, SimSettings(track="two_lane"), laps=3, lane=lane,
                   behaviors=BEHAVIORS, max_steps=600, on_frame=follower.saw)
    assert report.steps == len(follower.given) == 600
    firsts = [v for i, v in enumerate(follower.given) if i == 0 or v != follower.given[i - 1]]
    assert firsts[:2] == vectors
    assert report.off_track_events == 0
    assert report.lane_hold_pct > 85
    assert "in commanded lane" in report.summary()


def test_an_image_only_driver_gets_no_behaviour_and_no_lane_figure():
    report = drive(lambda image: (0.0, 0.0), SimSettings(track="two_lane"), laps=1,
                   lane="left", max_steps=5)
    assert report.lane_hold_pct is None and "in commanded lane" not in report.summary()
