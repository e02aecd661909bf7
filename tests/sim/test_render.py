import numpy as np
import pytest

from burro.sim.render import Appearance, Camera, CameraSpec
from burro.sim.track import load_track


@pytest.fixture(scope="module")
def camera():
    return Camera(load_track("oval"))


def _pixel_seeing(camera, forward, left):
    """The pixel whose floor point is nearest to (forward, left) in the car frame."""
    ahead, side, floor = camera.floor_points()
    distance = np.where(floor, np.hypot(ahead - forward, side - left), np.inf)
    row, col = np.unravel_index(np.argmin(distance), distance.shape)
    assert distance[row, col] < 0.02
    return row, col


def test_frames_are_rgb_uint8_of_the_configured_size():
    camera = Camera(load_track("oval"), CameraSpec(width=64, height=48))
    frame = camera.render(0.0, 0.0, 0.0)
    assert frame.shape == (48, 64, 3) and frame.dtype == np.uint8


def test_edge_lines_appear_where_the_geometry_puts_them(camera):
    frame = camera.render(1.0, 0.0, 0.0)  # on the oval's first straight, centred, heading +x
    grey = frame.astype(int).mean(axis=2)
    for left in (0.5, -0.5):  # the edge lines, half the 1 m width to each side
        row, col = _pixel_seeing(camera, 0.8, left)
        assert grey[row, col] > 170, f"edge line missing at left={left}"
    row, col = _pixel_seeing(camera, 0.8, 0.25)  # bare floor between centre and edge
    assert grey[row, col] < 110
    right_edge_col = _pixel_seeing(camera, 0.8, -0.5)[1]
    assert right_edge_col > camera.spec.width / 2  # the right edge is on the image's right


def test_sky_above_the_horizon_and_floor_below(camera):
    frame = camera.render(1.0, 0.0, 0.0)
    floor = camera.floor_points()[2]
    assert not floor[0].any() and floor[-1].all()
    assert not np.array_equal(frame[0], frame[-1])


def test_turning_the_car_changes_the_view(camera):
    straight = camera.render(1.0, 0.0, 0.0).astype(int)
    turned = camera.render(1.0, 0.0, 0.3).astype(int)
    assert np.abs(straight - turned).mean() > 5


def test_randomised_look_differs_by_seed_and_repeats_for_a_seed():
    track = load_track("oval")
    looks = [Appearance.randomised(np.random.default_rng(seed)) for seed in (1, 1, 2)]
    assert looks[0] == looks[1] != looks[2]
    frames = [Camera(track, appearance=look, seed=5).render(1.0, 0.0, 0.0) for look in looks[:2]]
    np.testing.assert_array_equal(*frames)
