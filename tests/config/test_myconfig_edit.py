"""Setting one key in myconfig.py: every other line and comment kept, the result loads."""

import errno
import os

import pytest

from burro.config import load_config
from burro.config.myconfig_edit import render, set_entries, set_key
from burro.errors import BurroError

DONKEY_STYLE = '''"""
My car's settings.
"""

# STEERING_LEFT_PWM = 460          # full left
# STEERING_RIGHT_PWM = 290

IMAGE_W = 160  # keep
THROTTLE_STOPPED_PWM = 370  # neutral, measured

# PWM_STEERING_THROTTLE = {
#     "PWM_STEERING_PIN": "PCA9685.1:40.1",
#     "STEERING_LEFT_PWM": 460,
#     "STEERING_RIGHT_PWM": 290,
# }
# after the dict
'''


def car(tmp_path, text=DONKEY_STYLE):
    (tmp_path / "myconfig.py").write_text(text, encoding="utf-8")
    return tmp_path / "myconfig.py"


def lines_of(path):
    return path.read_text(encoding="utf-8").splitlines()


def test_an_active_line_is_replaced_in_place_keeping_its_comment(tmp_path):
    path = car(tmp_path)
    set_key(path, "THROTTLE_STOPPED_PWM", 372)
    before, after = DONKEY_STYLE.splitlines(), lines_of(path)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [("THROTTLE_STOPPED_PWM = 370  # neutral, measured",
                        "THROTTLE_STOPPED_PWM = 372  # neutral, measured")]
    assert load_config(tmp_path).THROTTLE_STOPPED_PWM == 372


def test_a_commented_line_is_uncommented_in_place(tmp_path):
    path = car(tmp_path)
    set_key(path, "STEERING_LEFT_PWM", 444)
    after = lines_of(path)
    assert after[4] == "STEERING_LEFT_PWM = 444          # full left"
    assert after[5] == "# STEERING_RIGHT_PWM = 290"
    assert len(after) == len(DONKEY_STYLE.splitlines())
    cfg = load_config(tmp_path)
    assert cfg.STEERING_LEFT_PWM == 444 and cfg.source("STEERING_LEFT_PWM") == "myconfig.py"


def test_a_commented_dict_over_several_lines_is_replaced_whole(tmp_path):
    path = car(tmp_path)
    set_entries(path, "PWM_STEERING_THROTTLE", {"STEERING_LEFT_PWM": 450},
                base={"PWM_STEERING_PIN": "PCA9685.1:40.1", "STEERING_RIGHT_PWM": 290})
    text = path.read_text()
    assert ('PWM_STEERING_THROTTLE = {\n    "PWM_STEERING_PIN": "PCA9685.1:40.1",\n'
            '    "STEERING_RIGHT_PWM": 290,\n    "STEERING_LEFT_PWM": 450,\n}\n'
            '# after the dict\n') in text
    assert '#     "STEERING_LEFT_PWM": 460,' not in text
    assert load_config(tmp_path).PWM_STEERING_THROTTLE["STEERING_LEFT_PWM"] == 450


def test_an_active_dict_keeps_its_own_entries_and_gets_the_new_ones(tmp_path):
    path = car(tmp_path, 'X = 1\nPWM_STEERING_THROTTLE = {\n    "PWM_THROTTLE_PIN": "PCA9685.1:41.0",\n'
                         '    "THROTTLE_FORWARD_PWM": 500,\n}  # mine\nY = 2\n')
    set_entries(path, "PWM_STEERING_THROTTLE", {"THROTTLE_FORWARD_PWM": 430},
                base={"PWM_THROTTLE_PIN": "PCA9685.1:40.0"})
    assert path.read_text() == ('X = 1\nPWM_STEERING_THROTTLE = {\n    "PWM_THROTTLE_PIN": '
                                '"PCA9685.1:41.0",\n    "THROTTLE_FORWARD_PWM": 430,\n}  # mine\n'
                                'Y = 2\n')


def test_a_missing_key_is_appended_and_a_missing_file_created(tmp_path):
    path = car(tmp_path, "IMAGE_W = 160")  # no newline at the end
    set_key(path, "STEERING_CHANNEL", 3)
    assert path.read_text() == "IMAGE_W = 160\nSTEERING_CHANNEL = 3\n"
    new = tmp_path / "other" / "myconfig.py"
    new.parent.mkdir()
    set_key(new, "PCA9685_I2C_ADDR", 0x41, literal="0x41")
    assert new.read_text() == "PCA9685_I2C_ADDR = 0x41\n"


def test_the_last_assignment_is_the_one_replaced(tmp_path):
    path = car(tmp_path, "A = 1\nA = 2\nB = 3\n")
    set_key(path, "A", 5)
    assert path.read_text() == "A = 1\nA = 5\nB = 3\n"


def test_a_key_set_again_inside_a_block_is_appended_so_the_new_value_wins(tmp_path):
    path = car(tmp_path, "import os\nA = 1\nif os.sep:\n    A = 2\n")
    set_key(path, "A", 7)
    assert path.read_text().endswith("    A = 2\nA = 7\n")
    assert load_config(tmp_path).get("A") == 7


def test_a_commented_line_inside_an_indented_block_falls_back_to_appending(tmp_path):
    path = car(tmp_path, "import os\nif os.sep:\n    # B = 1\n    C = 2\n")
    set_key(path, "B", 4)
    assert path.read_text() == "import os\nif os.sep:\n    # B = 1\n    C = 2\nB = 4\n"


def test_windows_line_endings_and_non_ascii_text_are_kept(tmp_path):
    path = tmp_path / "myconfig.py"
    path.write_bytes("# réglages ✓\r\nA = 'é'  # ü\r\nB = 1\r\n".encode())
    set_key(path, "A", "ß")
    assert path.read_bytes().decode() == '# réglages ✓\r\nA = "ß"  # ü\r\nB = 1\r\n'


def test_a_broken_file_is_refused_and_left_unchanged(tmp_path):
    path = car(tmp_path, "A = (\n")
    with pytest.raises(BurroError, match="does not load"):
        set_key(path, "A", 1)
    assert path.read_text() == "A = (\n"


def test_a_failed_write_is_one_line_and_the_file_unchanged(tmp_path, monkeypatch):
    path = car(tmp_path, "A = 1\n")

    def full_disk(source, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("burro.files.os.replace", full_disk)
    with pytest.raises(BurroError, match="cannot write config file: No space left on device"):
        set_key(path, "A", 2)
    assert path.read_text() == "A = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["myconfig.py"]  # no .tmp left behind


def test_render_writes_donkeys_style():
    assert render({"A": "x", "B": 1, "C": True}) == '{\n    "A": "x",\n    "B": 1,\n    "C": True,\n}'
    assert render('say "hi"') == "'say \"hi\"'"
    assert render(None) == "None" and render(0.5) == "0.5"


def test_an_active_dict_is_edited_inside_keeping_its_comments(tmp_path):
    path = car(tmp_path, 'PWM_STEERING_THROTTLE = {\n'
                         '    # the servo\n'
                         '    "STEERING_LEFT_PWM": 460,   # measured in May\n'
                         '    "STEERING_RIGHT_PWM": 290  # no comma here, a, b\n'
                         '}  # end\n'
                         'X = 1\n')
    set_entries(path, "PWM_STEERING_THROTTLE",
                {"STEERING_LEFT_PWM": 455, "THROTTLE_STOPPED_PWM": 372, "PWM_STEERING_PIN": "PCA9685.1:40.2"},
                base={})
    assert path.read_text() == ('PWM_STEERING_THROTTLE = {\n'
                                '    # the servo\n'
                                '    "STEERING_LEFT_PWM": 455,   # measured in May\n'
                                '    "STEERING_RIGHT_PWM": 290,  # no comma here, a, b\n'
                                '    "THROTTLE_STOPPED_PWM": 372,\n'
                                '    "PWM_STEERING_PIN": "PCA9685.1:40.2",\n'
                                '}  # end\n'
                                'X = 1\n')
    assert load_config(tmp_path).PWM_STEERING_THROTTLE["THROTTLE_STOPPED_PWM"] == 372


def test_a_one_line_dict_is_rewritten_whole(tmp_path):
    path = car(tmp_path, 'D = {"A": 1}  # short\n')
    set_entries(path, "D", {"B": 2}, base={})
    assert path.read_text() == 'D = {\n    "A": 1,\n    "B": 2,\n}  # short\n'
    set_entries(path, "D", {"A": 3}, base={})  # an existing entry: replaced where it is
    assert path.read_text() == 'D = {\n    "A": 3,\n    "B": 2,\n}  # short\n'
