import math

import numpy as np
import pytest

from burro.config import load_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.drive_mode import DriveMode


def test_user_mode_passes_the_user_controls():
    assert DriveMode().run("user", -0.3, 0.4, 0.9, 0.8) == (-0.3, 0.4)


def test_local_angle_steers_by_pilot_and_throttles_by_user():
    assert DriveMode(2.0).run("local_angle", -0.3, 0.4, 0.9, 0.8) == (0.9, 0.4)


def test_local_mode_multiplies_the_pilot_throttle():
    angle, throttle = DriveMode(0.5).run("local", -0.3, 0.4, 0.9, 0.8)
    assert angle == 0.9 and throttle == pytest.approx(0.4)


def test_pilot_float32_outputs_are_used_as_floats():
    angle, throttle = DriveMode().run("local", 0, 0, np.float32(0.25), np.float32(0.5))
    assert (angle, throttle) == (0.25, 0.5) and type(angle) is float


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, "0.5"])
def test_missing_or_non_finite_values_are_neutral(missing):
    assert DriveMode().run("local", 0.1, 0.2, missing, missing) == (0.0, 0.0)
    assert DriveMode().run("user", missing, missing, 0.1, 0.2) == (0.0, 0.0)


@pytest.mark.parametrize("mode", [None, "auto", "LOCAL"])
def test_unknown_mode_stops_instead_of_driving_on_the_pilot(mode):
    assert DriveMode().run(mode, 0.1, 0.2, 0.3, 0.4) == (0.0, 0.0)


def test_built_from_config_with_donkeys_default(tmp_path):
    assert load_config(tmp_path).AI_THROTTLE_MULT == 1.0
    (tmp_path / "myconfig.py").write_text("AI_THROTTLE_MULT = 0.7\n")
    part = PARTS.get("DriveMode").from_config(load_config(tmp_path))
    assert part.run("local", 0, 0, 0, 1.0) == (0.0, pytest.approx(0.7))


def test_bad_multiplier_is_a_one_line_error():
    with pytest.raises(BurroError, match="AI_THROTTLE_MULT"):
        DriveMode("fast")
