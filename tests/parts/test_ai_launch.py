import pytest

from burro.config import load_config
from burro.parts import PARTS
from burro.parts.ai_launch import AiLaunch

TICK = 0.05


def drive(launch, modes, pilot_throttle=0.3, start=10.0):
    """Throttle out per tick for the given mode sequence, 20 Hz loop time."""
    return [launch.run(mode, pilot_throttle, start + i * TICK) for i, mode in enumerate(modes)]


def test_keep_enabled_launches_at_each_switch_into_local_for_the_duration():
    launch = AiLaunch(launch_duration=0.1, launch_throttle=0.9, keep_enabled=True)
    out = drive(launch, ["user"] * 2 + ["local"] * 5 + ["user"] + ["local"] * 4)
    # elapsed 0, 0.05, 0.1 are not past the 0.1 s duration; 0.15 is
    assert out == [0.3, 0.3, 0.9, 0.9, 0.9, 0.3, 0.3, 0.3, 0.9, 0.9, 0.9, 0.3]


def test_without_keep_enabled_only_the_button_arms_one_launch():
    launch = AiLaunch(launch_duration=0.05, launch_throttle=1.0, keep_enabled=False)
    assert drive(launch, ["user", "local", "local"]) == [0.3, 0.3, 0.3]
    launch.enable_ai_launch()
    assert drive(launch, ["local"] * 4, start=20.0) == [1.0, 1.0, 0.3, 0.3]
    assert drive(launch, ["user", "local", "local"], start=30.0) == [0.3, 0.3, 0.3]


def test_launch_waits_for_local_and_ends_when_leaving_it():
    launch = AiLaunch(launch_duration=1.0, launch_throttle=0.8)
    launch.enable_ai_launch()
    assert drive(launch, ["local_angle", "user"]) == [0.3, 0.3]  # armed, not launched
    assert drive(launch, ["local", "local", "user", "local"], start=20.0) == [0.8, 0.8, 0.3, 0.8]


def test_duration_is_measured_in_loop_time_not_ticks():
    launch = AiLaunch(launch_duration=0.5, launch_throttle=0.6, keep_enabled=True)
    times = [0.0, 0.2, 0.5, 0.51, 0.6]  # an irregular loop
    assert [launch.run("local", 0.1, t) for t in times] == [0.6, 0.6, 0.6, 0.1, 0.1]


def test_config_keys_have_donkeys_defaults_and_build_the_part(tmp_path):
    cfg = load_config(tmp_path)
    assert (cfg.AI_LAUNCH_DURATION, cfg.AI_LAUNCH_THROTTLE, cfg.AI_LAUNCH_ENABLE_BUTTON,
            cfg.AI_LAUNCH_KEEP_ENABLED) == (0.0, 0.0, "R2", False)
    (tmp_path / "myconfig.py").write_text(
        "AI_LAUNCH_DURATION = 0.1\nAI_LAUNCH_THROTTLE = 0.7\nAI_LAUNCH_KEEP_ENABLED = True\n")
    launch = PARTS.get("AiLaunch").from_config(load_config(tmp_path))
    assert drive(launch, ["local"] * 4) == [0.7, 0.7, 0.7, 0.3]


def test_with_donkeys_defaults_the_button_gives_one_tick_of_zero_throttle():
    launch = AiLaunch(launch_duration=0.0, launch_throttle=0.0)
    assert drive(launch, ["local"] * 2) == [0.3, 0.3]
    launch.enable_ai_launch()
    assert drive(launch, ["local"] * 3, start=20.0) == [0.0, 0.3, 0.3]


@pytest.mark.parametrize("bad", [None, "x", float("nan")])
def test_bad_numbers_are_refused(bad):
    with pytest.raises(Exception, match="AI_LAUNCH_DURATION"):
        AiLaunch(launch_duration=bad)
