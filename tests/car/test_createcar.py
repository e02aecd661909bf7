"""`burro createcar` through the real command line: the files, the config they hold."""

import ast
import re

from tests.car.carkit import burro, manage

from burro.config import KEYS, default_config, load_config


def assignments(text: str) -> list[str]:
    return [node.targets[0].id for node in ast.parse(text).body if isinstance(node, ast.Assign)]


def test_writes_the_car_folder_with_every_key(tmp_path):
    car = tmp_path / "mycar"
    result = burro("createcar", "--path", str(car))
    assert result.returncode == 0, result.stderr
    assert "wrote manage.py, config.py, myconfig.py" in result.stdout
    for folder in ("data", "models", "logs"):
        assert (car / folder).is_dir()
    config_py = (car / "config.py").read_text()
    assert assignments(config_py) == [key.name for key in KEYS]  # every key, in table order
    lines = config_py.splitlines()
    for key in KEYS:  # each with its one-line meaning just above it
        line = next(i for i, text in enumerate(lines) if text.startswith(f"{key.name} = "))
        assert lines[line - 1].startswith("# " + " ".join(key.meaning.split())[:40])
    for section in dict.fromkeys(key.section for key in KEYS):
        assert f"# ---- {section} -" in config_py
    assert 'TEMPLATE = "complete"' in (car / "manage.py").read_text()


def test_config_py_loads_unchanged_with_the_defaults(tmp_path):
    car = tmp_path / "mycar"
    assert burro("createcar", "--path", str(car)).returncode == 0
    cfg, defaults = load_config(car), default_config()
    assert str(car.resolve()) == cfg.CAR_PATH
    for key in KEYS:
        if key.name != "CAR_PATH":
            assert getattr(cfg, key.name) == getattr(defaults, key.name), key.name
            assert cfg.source(key.name) == "config.py"
    check = burro("config", "check", "--car", str(car))
    assert check.returncode == 0 and "config ok" in check.stdout, check.stderr


def test_myconfig_holds_the_same_keys_commented_out(tmp_path):
    car = tmp_path / "mycar"
    assert burro("createcar", "--path", str(car)).returncode == 0
    myconfig = (car / "myconfig.py").read_text()
    assert assignments(myconfig) == []  # nothing set
    setting = re.compile(r"# ([A-Z][A-Z0-9_]* = .*| .*)$")  # a key's line or its continuation
    uncommented = "\n".join(match[1] for line in myconfig.splitlines()
                            if (match := setting.match(line)))
    assert assignments(uncommented) == [key.name for key in KEYS]


def test_sim_template_switches_the_simulator_on(tmp_path):
    car = tmp_path / "simcar"
    assert burro("createcar", "--path", str(car), "--template", "sim").returncode == 0
    cfg = load_config(car)
    assert (cfg.DONKEY_GYM, cfg.SIM_RECORD_LOCATION, cfg.SIM_EXPERT_AS_USER) == (True,) * 3
    assert cfg.WEB_INIT_MODE == "local"  # with --model the pilot drives alone
    assert "# DONKEY_GYM = True" in (car / "myconfig.py").read_text()
    assert burro("config", "check", "--car", str(car)).returncode == 0


def test_rerun_keeps_edited_files_unless_overwrite(tmp_path):
    car = tmp_path / "mycar"
    assert burro("createcar", "--path", str(car)).returncode == 0
    (car / "myconfig.py").write_text("DRIVE_LOOP_HZ = 10\n")
    again = burro("createcar", "--path", str(car))
    assert again.returncode == 0
    assert "kept manage.py, config.py, myconfig.py" in again.stdout
    assert (car / "myconfig.py").read_text() == "DRIVE_LOOP_HZ = 10\n"
    forced = burro("createcar", "--path", str(car), "--overwrite")
    assert "wrote manage.py, config.py, myconfig.py" in forced.stdout
    assert "DRIVE_LOOP_HZ = 10" not in (car / "myconfig.py").read_text()


def test_unknown_template_is_one_line(tmp_path):
    result = burro("createcar", "--path", str(tmp_path / "c"), "--template", "fancy")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "fancy" in result.stderr


def test_basic_template_drives_a_minimal_loop(tmp_path):
    car = tmp_path / "basic"
    assert burro("createcar", "--path", str(car), "--template", "basic").returncode == 0
    (car / "myconfig.py").write_text('CAMERA_TYPE = "MOCK"\nDRIVE_TRAIN_TYPE = "MOCK"\n'
                                     "MAX_LOOPS = 10\nDRIVE_LOOP_HZ = 100\nWEB_CONTROL_PORT = 0\n")
    result = manage(car, "drive")
    assert result.returncode == 0, result.stderr
    assert "template basic" in result.stdout
    parts = [line.split(".", 1)[1].split(":")[0].strip() for line in result.stdout.splitlines()
             if line[:4].strip().rstrip(".").isdigit()]
    assert parts == ["MockCamera", "LocalWebController (threaded)",
                     "JoystickController (threaded)", "PilotCondition", "DriveMode", "FailSafe",
                     "MockDrivetrain", "RecordingControl", "TubWriterPart (threaded)"]
    assert "joystick: /dev/input/js0 does not exist" in result.stderr  # no pad: it waits
    assert "loop: 10 ticks" in result.stdout
