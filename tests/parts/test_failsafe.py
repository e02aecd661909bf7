"""The fail-safe, tick by tick on a synthetic 20 Hz loop clock."""

import logging
import math

import pytest

from burro.config import default_config
from burro.parts import PARTS
from burro.parts.failsafe import FailSafe

TICK = 0.05


class Loop:
    """Drives a FailSafe like the Vehicle does: one call per tick, loop/time advancing."""

    def __init__(self, failsafe: FailSafe):
        self.failsafe = failsafe
        self.tick = 0

    @property
    def now(self) -> float:
        return 100.0 + self.tick * TICK

    def run(self, angle=0.25, throttle=0.5, mode="user", frame=None, pilot=None):
        """`frame`/`pilot` None: a new frame this tick / a pilot output for it."""
        frame = self.now if frame is None else frame
        pilot = frame if pilot is None else pilot
        result = self.failsafe.run(angle, throttle, mode, frame, pilot, self.now)
        self.tick += 1
        return result


@pytest.fixture
def loop():
    return Loop(FailSafe(camera_timeout=0.5))


def test_is_registered_and_declares_camera_timeout():
    assert PARTS.get("FailSafe") is FailSafe
    assert default_config().CAMERA_TIMEOUT == 0.5
    assert FailSafe.from_config(default_config()).camera_timeout == 0.5


def test_fresh_data_passes_through(loop):
    for mode in ("user", "local_angle", "local"):
        assert loop.run(0.25, 0.5, mode) == (0.25, 0.5)


def test_no_throttle_before_the_first_camera_frame(loop):
    assert loop.failsafe.run(0.1, 0.5, "user", None, None, 0.0) == (0.1, 0.0)
    assert loop.failsafe.run(0.1, 0.5, "user", None, None, 0.05) == (0.1, 0.0)
    assert loop.run(0.1, 0.5) == (0.1, 0.5)


def test_stale_camera_stops_after_the_timeout_and_fresh_frames_resume(loop):
    frame = loop.now
    loop.run(frame=frame)
    held = [loop.run(frame=frame)[1] for _ in range(15)]  # the same frame for 0.75 s
    # ticks 1..10 are within 0.5 s of the frame's arrival; from 0.55 s on, throttle 0
    assert held == [0.5] * 10 + [0.0] * 5
    assert loop.run(0.3, 0.5) == (0.3, 0.5)  # a new frame: driving again at once


def test_a_failed_camera_stops_the_car_at_once(loop):
    loop.run()
    assert loop.failsafe.run(0.2, 0.5, "user", None, None, loop.now) == (0.2, 0.0)


@pytest.mark.parametrize("mode", ["local", "local_angle", None])
def test_missing_pilot_output_stops_in_pilot_modes(loop, mode):
    loop.run(mode=mode)
    now = loop.now
    assert loop.failsafe.run(0.2, 0.5, mode, now, None, now) == (0.2, 0.0)


def test_user_mode_does_not_need_the_pilot(loop):
    now = loop.now
    assert loop.failsafe.run(0.2, 0.5, "user", now, None, now) == (0.2, 0.5)


def test_pilot_output_for_an_old_frame_stops(loop):
    pilot_frame = loop.now
    throttles = [loop.run(mode="local", pilot=pilot_frame)[1] for _ in range(13)]
    assert throttles == [0.5] * 11 + [0.0] * 2  # lag 0.55 s > 0.5 s from the 12th tick
    assert loop.run(mode="local")[1] == 0.5  # the pilot caught up


def test_a_frame_behind_is_fine(loop):
    """A pilot running one frame behind the camera is not stale."""
    for _ in range(5):
        assert loop.run(mode="local", pilot=loop.now - TICK)[1] == 0.5


@pytest.mark.parametrize("throttle", [None, math.nan, math.inf, -math.inf, "0.5"])
def test_throttle_that_is_not_a_number_becomes_zero(loop, throttle):
    assert loop.run(0.2, throttle) == (0.2, 0.0)
    assert loop.run(0.2, 0.4) == (0.2, 0.4)


def test_bad_angle(loop):
    assert loop.run(None, 0.4) == (0.0, 0.4)  # None is neutral steering, as in DriveMode
    assert loop.run(math.nan, 0.4) == (0.0, 0.0)  # a NaN means a broken pilot: stop


def test_numpy_numbers_pass(loop):
    np = pytest.importorskip("numpy")
    assert loop.run(np.float32(0.25), np.float32(0.5)) == (0.25, 0.5)


def test_each_change_of_state_is_logged_once(loop, caplog):
    caplog.set_level(logging.INFO, logger="burro.parts.failsafe")
    loop.run()
    frame = loop.now
    for _ in range(30):
        loop.run(frame=frame)  # stale for most of these ticks
    for _ in range(5):
        loop.run(mode="local", pilot=-10.0)  # fresh frames, pilot stale
    for _ in range(5):
        loop.run(throttle=math.nan)
    for _ in range(5):
        loop.run()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 5, messages
    assert "released" in messages[0]  # the first frame
    assert "camera stale: no new frame for 0.55 s" in messages[1]  # tick 12; fresh at 41
    assert "pilot stale" in messages[2]
    assert "throttle is nan" in messages[3]
    assert messages[4].startswith("fail-safe: fresh data, throttle released (held at 0 for 1.45 s)")
    assert [r.levelname for r in caplog.records] == ["INFO", "WARNING", "WARNING", "WARNING", "INFO"]


def test_needs_loop_time():
    with pytest.raises(ValueError, match="loop/time"):
        FailSafe().run(0.0, 0.0, "user", 1.0, 1.0, None)
