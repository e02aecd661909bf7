"""The systemd unit `burro createcar --service` writes: its text, where it goes, and that
systemd's own checker accepts it."""

import os
import pwd
import shlex
import subprocess
import sys

import pytest

from burro.car.service import install_hint, unit_name, unit_text, write_service_unit
from burro.errors import BurroError


def settings(text):
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_the_unit_runs_manage_py_drive_in_the_car_folder_as_its_owner(tmp_path):
    car = tmp_path / "mycar"
    car.mkdir()
    path = write_service_unit(car, python="/home/pi/env/bin/python")
    assert path == car / "burro-mycar.service"
    values = settings(path.read_text())
    assert values["ExecStart"] == f"/home/pi/env/bin/python {car}/manage.py drive"
    assert values["WorkingDirectory"] == str(car)
    assert values["User"] == pwd.getpwuid(os.stat(car).st_uid).pw_name
    assert values["Restart"] == "on-failure" and values["RestartPreventExitStatus"] == "2"
    assert values["KillSignal"] == "SIGTERM" and values["WantedBy"] == "multi-user.target"


def test_the_python_defaults_to_the_running_one_unresolved(tmp_path):
    text = write_service_unit(tmp_path, user="pi").read_text()
    assert settings(text)["ExecStart"].startswith(f"{os.path.abspath(sys.executable)} ")
    assert settings(text)["User"] == "pi"


def test_spaces_percent_and_dollar_in_paths_are_escaped_for_systemd(tmp_path):
    car = tmp_path / "my car %h $HOME"
    car.mkdir()
    text = unit_text(car, "pi", "/opt/env/bin/python")
    start = settings(text)["ExecStart"]
    words = [word.replace("%%", "%").replace("$$", "$") for word in shlex.split(start)]
    assert words == ["/opt/env/bin/python", f"{car}/manage.py", "drive"]
    assert settings(text)["WorkingDirectory"] == str(car).replace("%", "%%")
    assert unit_name(car) == "burro-my_car__h__HOME.service"


def test_systemd_analyze_verify_accepts_the_unit(tmp_path):
    car = tmp_path / "odd car%"
    car.mkdir()
    (car / "manage.py").write_text("")
    path = write_service_unit(car, user=pwd.getpwuid(os.getuid()).pw_name)
    result = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "not executable" not in result.stderr


def test_an_edited_unit_is_kept_unless_overwrite(tmp_path):
    path = write_service_unit(tmp_path, user="pi", python="/env/bin/python")
    assert write_service_unit(tmp_path, user="pi", python="/env/bin/python") == path  # same: fine
    path.write_text(path.read_text().replace("drive", "drive --model models/pilot.tflite"))
    with pytest.raises(BurroError, match="exists and differs.*--overwrite"):
        write_service_unit(tmp_path, user="pi", python="/env/bin/python")
    assert "--model" in path.read_text()
    write_service_unit(tmp_path, user="pi", python="/env/bin/python", overwrite=True)
    assert "--model" not in path.read_text()


def test_a_missing_folder_or_a_line_break_is_refused(tmp_path):
    with pytest.raises(BurroError, match="car folder not found"):
        write_service_unit(tmp_path / "nope", user="pi")
    with pytest.raises(BurroError, match="line break"):
        unit_text(tmp_path, "pi\nExecStartPre=/bin/evil", "/env/bin/python")


def test_the_install_hint_copies_enables_and_starts_it(tmp_path):
    hint = install_hint(tmp_path / "my car" / "burro-my_car.service").splitlines()
    assert hint[0] == f"sudo cp '{tmp_path}/my car/burro-my_car.service' " \
                      "/etc/systemd/system/burro-my_car.service"
    assert hint[1:3] == ["sudo systemctl daemon-reload",
                         "sudo systemctl enable --now burro-my_car.service"]


def test_createcar_service_writes_the_unit_and_says_how_to_install_it(tmp_path):
    result = subprocess.run([sys.executable, "-m", "burro", "createcar", "--path",
                             str(tmp_path / "car"), "--service"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    unit = tmp_path / "car" / "burro-car.service"
    assert f"ExecStart={sys.executable} {tmp_path / 'car' / 'manage.py'} drive" in unit.read_text()
    assert "systemctl enable --now burro-car.service" in result.stdout
