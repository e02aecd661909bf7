import pytest

from burro.config import load_config
from burro.parts import PARTS
from burro.parts.recording_control import RecordingControl


def test_auto_record_follows_the_user_throttle_in_user_mode():
    part = RecordingControl(auto_record_on_throttle=True)
    assert [part.run("user", throttle, False) for throttle in (0.0, 0.2, -0.1, 0.0)] == \
        [False, True, True, False]


def test_auto_record_ignores_the_controllers_toggle_in_user_mode():
    part = RecordingControl(auto_record_on_throttle=True)
    assert part.run("user", 0.0, True) is False
    assert part.run("user", None, True) is False


def test_without_auto_record_the_controller_decides():
    part = RecordingControl(auto_record_on_throttle=False)
    assert part.run("user", 0.5, False) is False
    assert part.run("user", 0.0, True) is True
    assert part.run("user", 0.0, None) is False


@pytest.mark.parametrize("mode", ["local_angle", "local", None])
def test_pilot_modes_record_only_with_record_during_ai(mode):
    assert RecordingControl(True, record_during_ai=False).run(mode, 0.5, True) is False
    assert RecordingControl(True, record_during_ai=True).run(mode, 0.5, True) is True
    assert RecordingControl(True, record_during_ai=True).run(mode, 0.5, False) is False


def test_built_from_config(tmp_path):
    cfg = load_config(tmp_path)
    assert (cfg.AUTO_RECORD_ON_THROTTLE, cfg.RECORD_DURING_AI) == (True, False)
    (tmp_path / "myconfig.py").write_text(
        "AUTO_RECORD_ON_THROTTLE = False\nRECORD_DURING_AI = True\n")
    part = PARTS.get("RecordingControl").from_config(load_config(tmp_path))
    assert part.run("local", 0.0, True) is True and part.run("user", 0.3, False) is False
