import numpy as np
import pytest

from burro.errors import BurroError
from burro.sim.track import SAMPLE_SPACING_M, Arc, Straight, closed_loop, load_track, track_names


@pytest.mark.parametrize("name", ["oval", "technical", "two_lane", "random:3"])
def test_tracks_are_closed_evenly_sampled_loops(name):
    track = load_track(name)
    steps = np.linalg.norm(np.roll(track.points, -1, axis=0) - track.points, axis=1)
    assert steps.max() < 1.5 * SAMPLE_SPACING_M  # includes the step from the end to the start
    assert abs(track.length - steps.sum()) < 1e-9
    turning = np.sum(track.curvature * steps)
    assert turning == pytest.approx(2 * np.pi, abs=0.05)  # one counter-clockwise loop


def test_technical_circuit_has_left_and_right_bends_and_a_hairpin():
    track = load_track("technical")
    radii_left = 1 / track.curvature[track.curvature > 0.3]
    radii_right = -1 / track.curvature[track.curvature < -0.3]
    assert radii_left.min() == pytest.approx(0.8, abs=0.05)  # the hairpin
    assert radii_right.size > 0 and radii_left.max() > 1.4  # bends of different radii


def test_random_tracks_follow_their_seed():
    same = [load_track("random:11").points for _ in range(2)]
    other = load_track("random:12").points
    np.testing.assert_array_equal(same[0], same[1])
    assert same[0].shape != other.shape or not np.allclose(same[0], other)


def test_locate_gives_signed_cross_track_error_left_positive():
    track = load_track("oval")  # starts at (0, 0) heading +x
    _index, s, cte = track.locate(np.array([0.5, 0.2]))
    assert cte == pytest.approx(0.2, abs=1e-6)
    assert s == pytest.approx(0.5, abs=SAMPLE_SPACING_M)
    assert track.locate(np.array([0.5, -0.3]))[2] == pytest.approx(-0.3, abs=1e-6)


def test_loop_that_does_not_close_is_refused():
    with pytest.raises(ValueError):
        closed_loop([Straight(1.0), Arc(1.0, 180), Straight(2.0), Arc(1.0, 180)])


@pytest.mark.parametrize("name", ["nowhere", "random:x"])
def test_unknown_track_names_say_what_exists(name):
    with pytest.raises(BurroError) as error:
        load_track(name)
    assert "random" in error.value.line()


def test_lanes_only_on_two_lane_track():
    assert load_track("two_lane").lane_offset("left") == pytest.approx(0.35)
    assert load_track("two_lane").lane_offset("right") == pytest.approx(-0.35)
    with pytest.raises(BurroError):
        load_track("oval").lane_offset("left")
    assert "technical" in track_names()


def test_a_registered_track_is_in_the_help_and_loads_by_name():
    import subprocess
    import sys

    code = """
import contextlib, io
from burro.sim.track import Arc, Straight, from_pieces, load_track
from burro.sim.tracks import TRACKS

@TRACKS.register("circle")
def circle():
    return from_pieces("circle", [Arc(2.0, 360)], width=1.0)

help_text = io.StringIO()
with contextlib.redirect_stdout(help_text), contextlib.suppress(SystemExit):
    from burro.cli.main import main
    main(["sim", "view", "--help"])
print(" ".join(help_text.getvalue().split()))
print(round(load_track("circle").length, 2))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    help_line, length = out.stdout.strip().splitlines()
    assert ("--track TRACK circle, oval, random:SEED, technical, two_lane or two_lane_hook "
            "(default: SIM_TRACK)") in help_line
    assert float(length) == pytest.approx(2 * np.pi * 2.0, abs=0.01)
