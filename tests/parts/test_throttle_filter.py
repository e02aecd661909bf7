import math

from burro.parts.throttle_filter import ThrottleFilter


def run(values):
    part = ThrottleFilter()
    return [part.run(value) for value in values]


def test_held_reverse_from_forward_gets_one_neutral_tick():
    assert run([0.5, -0.4, -0.4, -0.4, -0.4]) == [0.5, -0.4, 0.0, -0.4, -0.4]


def test_any_non_negative_throttle_rearms_the_double_tap():
    assert run([-0.4, -0.4, -0.4, 0.0, -0.4, -0.4, 0.2, -0.3, -0.3]) == \
        [-0.4, 0.0, -0.4, 0.0, -0.4, 0.0, 0.2, -0.3, 0.0]


def test_forward_is_untouched():
    values = [0.0, 0.1, 0.9, 1.0, 0.0]
    assert run(values) == values


def test_none_and_nan_pass_and_keep_the_state():
    out = run([-0.4, None, -0.4, math.nan, -0.4])
    assert out[:3] == [-0.4, None, 0.0] and math.isnan(out[3]) and out[4] == -0.4
