import logging
from pathlib import Path

import pytest

from burro.config import KEYS, load_config
from burro.errors import BurroError

DONKEY_CONFIG_PY = '''\
"""
CAR CONFIG

This file is read by your car application's manage.py script to change the car
performance.
"""

import os

#PATHS
CAR_PATH = PACKAGE_PATH = os.path.dirname(os.path.realpath(__file__))
DATA_PATH = os.path.join(CAR_PATH, 'data')
MODELS_PATH = os.path.join(CAR_PATH, 'models')

#VEHICLE
DRIVE_LOOP_HZ = 20      # the vehicle loop will pause if faster than this speed.
MAX_LOOPS = None        # the vehicle loop can abort after this many iterations.

#CAMERA
CAMERA_TYPE = "PICAM"   # (PICAM|WEBCAM|CVCAM|CSIC|V4L|D435|MOCK|IMAGE_LIST)
IMAGE_W = 160
IMAGE_H = 120
IMAGE_DEPTH = 3         # default RGB=3, make 1 for mono
PCA9685_I2C_ADDR = 0x40
STEERING_LEFT_PWM = 460
BATCH_SIZE = 128
AUG_BLUR_RANGE = (0, 3)
BEHAVIOR_LED_COLORS = [(0, 10, 0), (10, 0, 0)]
'''

DONKEY_MYCONFIG_PY = '''\
# """
# My CAR CONFIG
#
# This file is read by your car application's manage.py script to change the car
# performance
#
# If desired, all config overrides can be specified here.
# The update operation will not touch this file.
# """

# import os
#
# #PATHS
# CAR_PATH = PACKAGE_PATH = os.path.dirname(os.path.realpath(__file__))
# DATA_PATH = os.path.join(CAR_PATH, 'data')
# MODELS_PATH = os.path.join(CAR_PATH, 'models')
#
# #VEHICLE
# DRIVE_LOOP_HZ = 20
BATCH_SIZE = 64
# MAX_EPOCHS = 100
TRAIN_TEST_SPLIT = 0.9
AUGMENTATIONS = ['MULTIPLY', 'BLUR']
'''


def make_car(tmp_path: Path, config: str | None = DONKEY_CONFIG_PY,
             myconfig: str | None = DONKEY_MYCONFIG_PY) -> Path:
    car = tmp_path / "mycar"
    car.mkdir()
    if config is not None:
        (car / "config.py").write_text(config)
    if myconfig is not None:
        (car / "myconfig.py").write_text(myconfig)
    return car


def test_defaults_match_donkey(tmp_path):
    cfg = load_config(tmp_path)
    # BATCH_SIZE: burro 32, Donkey 128 (docs/training.md, "The constant-angle plateau").
    expected = dict(IMAGE_W=160, IMAGE_H=120, IMAGE_DEPTH=3, DRIVE_LOOP_HZ=20, BATCH_SIZE=32,
                    TRAIN_TEST_SPLIT=0.8, MAX_EPOCHS=100, EARLY_STOP_PATIENCE=5, MIN_DELTA=0.0005,
                    LEARNING_RATE=0.001, DEFAULT_MODEL_TYPE="linear", CREATE_TF_LITE=True,
                    AUGMENTATIONS=[], TRANSFORMATIONS=[], ROI_CROP_TOP=45, ROI_CROP_BOTTOM=0,
                    ROI_TRAPEZE_LL=0, ROI_TRAPEZE_LR=160, ROI_TRAPEZE_UL=20, ROI_TRAPEZE_UR=140,
                    ROI_TRAPEZE_MIN_Y=60, ROI_TRAPEZE_MAX_Y=120, AUG_MULTIPLY_RANGE=(0.5, 1.5),
                    AUG_BLUR_RANGE=(0.0, 3.0), TRAIN_BEHAVIORS=False,
                    BEHAVIOR_LIST=["Left_Lane", "Right_Lane"],
                    MODEL_CATEGORICAL_MAX_THROTTLE_RANGE=0.8)
    for name, value in expected.items():
        assert getattr(cfg, name) == value, name
        assert cfg.source(name) == "default"


def test_every_default_passes_its_own_type():
    for key in KEYS:
        assert key.type.check(key.default), key.name


def test_keys_are_unique_and_uppercase():
    names = [key.name for key in KEYS]
    assert len(names) == len(set(names))
    assert all(name.isupper() for name in names)


def test_load_order_default_config_myconfig_command_line(tmp_path):
    car = make_car(tmp_path)
    cfg = load_config(car, overrides=["TRAIN_TEST_SPLIT=0.7", "MAX_EPOCHS=3"])
    assert cfg.BATCH_SIZE == 64 and cfg.source("BATCH_SIZE") == "myconfig.py"
    assert cfg.IMAGE_W == 160 and cfg.source("IMAGE_W") == "config.py"
    assert cfg.TRAIN_TEST_SPLIT == 0.7 and cfg.source("TRAIN_TEST_SPLIT") == "command line"
    assert cfg.MAX_EPOCHS == 3 and cfg.source("MAX_EPOCHS") == "command line"
    assert cfg.LEARNING_RATE == 0.001 and cfg.source("LEARNING_RATE") == "default"


def test_real_donkey_files_load_unchanged(tmp_path):
    car = make_car(tmp_path)
    cfg = load_config(car)
    assert str(car.resolve()) == cfg.CAR_PATH
    assert str(car.resolve() / "data") == cfg.DATA_PATH
    assert cfg.AUG_BLUR_RANGE == (0, 3)
    assert cfg.AUGMENTATIONS == ["MULTIPLY", "BLUR"]
    assert cfg.PCA9685_I2C_ADDR == 0x40  # unknown to burro, kept for user code
    assert cfg.MAX_LOOPS is None
    assert "os" not in cfg and "PACKAGE_PATH" in cfg


def test_myconfig_option_replaces_default_myconfig(tmp_path):
    car = make_car(tmp_path)
    (car / "track.py").write_text("BATCH_SIZE = 32\n")
    assert load_config(car, myconfig="track.py").BATCH_SIZE == 32
    assert load_config(car, myconfig=car / "track.py").BATCH_SIZE == 32


def test_int_accepted_for_float_key(tmp_path):
    cfg = load_config(tmp_path, overrides=["LEARNING_RATE=1"])
    assert cfg.LEARNING_RATE == 1.0 and isinstance(cfg.LEARNING_RATE, float)


def test_override_string_value(tmp_path):
    cfg = load_config(tmp_path, overrides=["DEFAULT_MODEL_TYPE=categorical"])
    assert cfg.DEFAULT_MODEL_TYPE == "categorical"


def test_attribute_access_and_getattr_default(tmp_path):
    cfg = load_config(tmp_path)
    assert getattr(cfg, "NOT_A_KEY", "fallback") == "fallback"
    with pytest.raises(AttributeError):
        _ = cfg.NOT_A_KEY
    cfg.NEW_KEY = 5
    assert cfg.NEW_KEY == 5 and cfg.source("NEW_KEY") == "code"


def error_line(car: Path, **kwargs) -> str:
    with pytest.raises(BurroError) as info:
        load_config(car, **kwargs)
    return info.value.line()


def test_wrong_type_names_file_line_key_and_type(tmp_path):
    car = make_car(tmp_path, myconfig="# comment\nBATCH_SIZE = '64'\n")
    assert error_line(car) == (
        f"BATCH_SIZE must be int >= 1, got '64' (str) ({car / 'myconfig.py'}:2, BATCH_SIZE) — "
        "set BATCH_SIZE to a int >= 1, e.g. BATCH_SIZE = 32")


def test_wrong_type_in_config_py(tmp_path):
    car = make_car(tmp_path, config="IMAGE_W = 160.5\n", myconfig=None)
    assert error_line(car).startswith(
        f"IMAGE_W must be int >= 1, got 160.5 (float) ({car / 'config.py'}:1, IMAGE_W)")


@pytest.mark.parametrize("assignment", ["TRAIN_TEST_SPLIT = 1.5", "IMAGE_DEPTH = 2",
                                        "LEARNING_RATE = float('nan')", "CREATE_TF_LITE = 1",
                                        "AUG_BLUR_RANGE = (0, 1, 2)", "BEHAVIOR_LIST = 'Left'"])
def test_bad_values_rejected(tmp_path, assignment):
    car = make_car(tmp_path, config=None, myconfig=assignment + "\n")
    name = assignment.split(" ")[0]
    assert f"({car / 'myconfig.py'}:1, {name})" in error_line(car)


def test_syntax_error_names_file_and_line(tmp_path):
    car = make_car(tmp_path, myconfig="BATCH_SIZE = 64\nMAX_EPOCHS = = 3\n")
    assert error_line(car) == (f"syntax error: invalid syntax ({car / 'myconfig.py'}:2) — "
                               "fix that line (config files are Python)")


def test_runtime_error_names_file_and_line(tmp_path):
    car = make_car(tmp_path, myconfig="import os\n\nDATA_PATH = os.path.join(CAR_PATH, 'd')\n")
    assert error_line(car) == (f"NameError: name 'CAR_PATH' is not defined "
                               f"({car / 'myconfig.py'}:3) — fix that line (config files are Python)")


@pytest.mark.parametrize(("call", "shown"), [("sys.exit(3)", "sys.exit(3)"),
                                              ("sys.exit()", "sys.exit()"),
                                              ("sys.exit('stop')", "sys.exit('stop')")])
def test_sys_exit_in_myconfig_is_a_config_error(tmp_path, call, shown):
    car = make_car(tmp_path, myconfig=f"import sys\nBATCH_SIZE = 8\n{call}\n")
    assert error_line(car) == (f"the config file calls {shown} ({car / 'myconfig.py'}:3) — "
                               "remove that call; a config file only sets values")


def test_unknown_key_warns_with_closest_known_key(tmp_path, caplog):
    car = make_car(tmp_path, myconfig="BATCH_SIZ = 64\n")
    with caplog.at_level(logging.WARNING, logger="burro.config"):
        cfg = load_config(car)
    assert cfg.BATCH_SIZE == 128
    assert [r.getMessage() for r in caplog.records] == [
        f"unknown config key BATCH_SIZ ({car / 'myconfig.py'}:1, BATCH_SIZ) — did you mean BATCH_SIZE?"]


def test_unknown_keys_of_donkey_config_py_do_not_warn_one_by_one(tmp_path, caplog):
    car = make_car(tmp_path, myconfig=None)
    with caplog.at_level(logging.WARNING, logger="burro.config"):
        load_config(car)
    assert caplog.records == []


@pytest.mark.parametrize("item", ["BATCH_SIZE", "=3", "batch_size=3"])
def test_bad_set_syntax(tmp_path, item):
    assert error_line(tmp_path, overrides=[item]) == (
        f"bad --set value ({item}) — write --set KEY=VALUE, e.g. --set BATCH_SIZE=64")


def test_bad_set_value(tmp_path):
    assert error_line(tmp_path, overrides=["BATCH_SIZE=big"]).startswith(
        "BATCH_SIZE must be int >= 1, got 'big' (str) (--set BATCH_SIZE=big)")


def test_missing_myconfig_file(tmp_path):
    assert error_line(tmp_path, myconfig="nope.py") == (
        "config file not found (nope.py) — check the --myconfig path")


def test_unreadable_config_file(tmp_path):
    car = make_car(tmp_path, myconfig=None)
    (car / "myconfig.py").write_bytes(b"\xff\xfe\x00bad")
    assert "cannot read config file" in error_line(car)


def test_docs_table_is_current():
    from burro.cli.cmd_config import keys_markdown
    docs = Path(__file__).resolve().parents[2] / "docs" / "config-keys.md"
    assert keys_markdown() in docs.read_text(), "run: burro config keys --markdown"


def test_indentation_error_is_reported(tmp_path):
    car = make_car(tmp_path, myconfig="BATCH_SIZE = 64\n  MAX_EPOCHS = 3\n")
    assert error_line(car).startswith("syntax error: unexpected indent (")
