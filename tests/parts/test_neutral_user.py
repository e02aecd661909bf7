import subprocess
import sys

import pytest

from burro.config import load_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.neutral_user import NeutralUser


@pytest.mark.parametrize("mode", ["user", "local_angle", "local"])
def test_outputs_neutral_controls_in_the_start_mode(mode):
    part = NeutralUser(mode)
    assert part.run() == (0.0, 0.0, mode, False)
    assert part.run() == (0.0, 0.0, mode, False)


def test_start_mode_comes_from_web_init_mode(tmp_path):
    assert PARTS.get("NeutralUser").from_config(load_config(tmp_path)).run()[2] == "user"
    (tmp_path / "myconfig.py").write_text('WEB_INIT_MODE = "local"\n')
    assert PARTS.get("NeutralUser").from_config(load_config(tmp_path)).run()[2] == "local"


def test_unknown_mode_in_code_is_a_one_line_error():
    with pytest.raises(BurroError, match=r"unknown drive mode 'auto' \(WEB_INIT_MODE\)"):
        NeutralUser("auto")


def test_unknown_mode_in_myconfig_is_refused_by_the_cli(tmp_path):
    (tmp_path / "myconfig.py").write_text('WEB_INIT_MODE = "auto"\n')
    result = subprocess.run([sys.executable, "-m", "burro", "config", "check", "--car",
                             str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "WEB_INIT_MODE" in result.stderr
    assert "'user' or 'local_angle' or 'local'" in result.stderr
