"""The training plan: every input checked with one line, before TensorFlow and decoding."""

import json
import zipfile

import pytest
from tests.training.tubs import TINY, make_tub, make_v1_tub, resize_frames, run_train

from burro.config import default_config
from burro.errors import BurroError
from burro.training.plan import check_transfer_file, make_plan


def quick_config(car):
    cfg = default_config()
    cfg.CAR_PATH = str(car)
    return cfg


@pytest.fixture(scope="module")
def tub(tmp_path_factory):
    return make_tub(tmp_path_factory.mktemp("tubs") / "tub", 40)


def test_a_mistyped_tub_answers_in_one_line_without_tensorflow(tmp_path):
    outcome, _, err = run_train("--tub", str(tmp_path / "tbu"), "--car", str(tmp_path))
    assert outcome["code"] == 2
    assert err.strip().count("\n") == 0 and "tub folder not found" in err
    assert not outcome["tensorflow"]


@pytest.mark.parametrize("setup, args, expected", [
    ("models_file", [], "MODELS_PATH is a file"),
    ("torn_database", [], "cannot read the model database"),
    ("fake_keras", ["--transfer", "old.keras"], "cannot transfer from this file"),
    ("fake_h5", ["--transfer", "old.h5"], "not an HDF5 file"),
    ("", ["--model", "file/pilot.keras"], "cannot write in the model folder"),
    ("", ["--set", "NUM_LAST_LAYERS_TO_TRAIN=3"], "NUM_LAST_LAYERS_TO_TRAIN = 3 has no effect"),
    ("", ["--set", "LEARNING_RATE_DECAY=1.5"], "LEARNING_RATE_DECAY = 1.5"),
    ("", ["--set", "TRAIN_TEST_SPLIT=0.999"], "leaves no validation records out of 40"),
    ("", ["--set", "IMAGE_W=224"], "the frames are 160x120 but IMAGE_W x IMAGE_H is 224x120"),
    ("sibling", ["--model", "models/x.h5"], "x.keras exists and shares x.json"),
])
def test_bad_setups_are_one_line_before_tensorflow(setup, args, expected, tub, tmp_path,
                                                   monkeypatch):
    car = tmp_path / "car"
    car.mkdir()
    monkeypatch.chdir(car)
    if setup == "models_file":
        (car / "models").write_text("")
    if setup == "torn_database":
        (car / "models").mkdir()
        (car / "models" / "database.json").write_text('[{"Na')
    if setup == "fake_keras":
        with zipfile.ZipFile(car / "old.keras", "w") as archive:
            archive.writestr("weights.txt", "no config")
    if setup == "fake_h5":
        (car / "old.h5").write_bytes(b"GIF89a not hdf5")
    if setup == "sibling":
        (car / "models").mkdir()
        (car / "models" / "x.keras").write_bytes(b"")
    (car / "file").write_text("a file where a folder should be")
    outcome, _, err = run_train("--tub", str(tub), "--car", str(car), *TINY, *args)
    assert outcome["code"] == 2, err
    assert expected in err and err.strip().count("\n") == 0, err
    assert not outcome["tensorflow"]


def test_a_real_keras_and_h5_file_pass_the_transfer_check(tmp_path):
    keras_file = tmp_path / "m.keras"
    with zipfile.ZipFile(keras_file, "w") as archive:
        archive.writestr("config.json", json.dumps({"class_name": "Functional"}))
    h5_file = tmp_path / "m.h5"
    h5_file.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    assert check_transfer_file(keras_file) == keras_file
    assert check_transfer_file(h5_file) == h5_file
    with pytest.raises(BurroError, match="not a Keras model"):
        (tmp_path / "m.onnx").write_bytes(b"x")
        check_transfer_file(tmp_path / "m.onnx")


def test_the_tub_frame_size_is_the_model_input_when_the_config_does_not_set_one(tmp_path):
    square = make_tub(tmp_path / "square", 20, 96, 96)
    cfg = quick_config(tmp_path)
    plan = make_plan(cfg, square, tmp_path / "m.keras")
    assert (plan.cfg.IMAGE_W, plan.cfg.IMAGE_H) == (96, 96)
    assert plan.cfg.source("IMAGE_W") == "tub frames"
    assert (cfg.IMAGE_W, cfg.IMAGE_H) == (160, 120)  # the caller's config is left alone
    assert plan.frame_size.line.startswith("frames 96x96: training at the tub's frame size")


def test_a_set_frame_size_must_match_and_resize_is_a_model_transformation(tmp_path):
    square = make_tub(tmp_path / "square", 20, 96, 96)
    cfg = quick_config(tmp_path)
    cfg.IMAGE_W = 160
    with pytest.raises(BurroError, match="frames are 96x96 but IMAGE_W x IMAGE_H is 160x120"):
        make_plan(cfg, square, tmp_path / "m.keras")
    cfg = quick_config(tmp_path)
    cfg.TRANSFORMATIONS = ["RESIZE"]
    cfg.RESIZE_WIDTH, cfg.RESIZE_HEIGHT = 80, 60
    plan = make_plan(cfg, square, tmp_path / "m.keras")
    assert (plan.cfg.IMAGE_W, plan.cfg.IMAGE_H) == (96, 96)
    assert "the model resizes them to 80x60 (RESIZE transformation)" in plan.frame_size.line


def test_mixed_frame_sizes_are_refused_with_where_they_are(tmp_path):
    from burro.training.frame_size import settle_frame_size
    from burro.training.records import collect_records
    from burro.tub import open_tubs

    path = make_tub(tmp_path / "tub", 30)
    resize_frames(path, [3, 4, 5, 9], 224, 224)
    # read without the tub layer's own size check, as `burro train` will once the reader
    # yields frames of every valid size
    records = collect_records(open_tubs(path, check_images=False), ["user/angle"])
    with pytest.raises(BurroError) as error:
        settle_frame_size(quick_config(tmp_path), records)
    line = error.value.line()
    assert "the frames have 2 sizes: 160x120 (26 records), 224x224 (4 records:" in line
    assert "indexes 3-5, 9" in line and "burro tub rm" in line and "\n" not in line


def test_v1_tubs_follow_the_same_rule(tmp_path):
    cfg = quick_config(tmp_path)
    plan = make_plan(cfg, make_v1_tub(tmp_path / "v1", 20, [(128, 96)]), tmp_path / "m.keras")
    assert (plan.cfg.IMAGE_W, plan.cfg.IMAGE_H) == (128, 96)
    mixed = make_v1_tub(tmp_path / "mixed", 20, [(160, 120), (160, 120), (320, 240)])
    with pytest.raises(BurroError, match="2 sizes: 160x120 .*, 320x240"):
        make_plan(cfg, mixed, tmp_path / "m.keras")


def test_retraining_onto_a_model_says_it_replaces_it(tub, tmp_path, caplog):
    (tmp_path / "m.keras").write_bytes(b"old")
    (tmp_path / "m.json").write_text("{}")
    with caplog.at_level("INFO", logger="burro.training"):
        plan = make_plan(quick_config(tmp_path), tub, tmp_path / "m.keras")
    assert [path.name for path in plan.replaces] == ["m.keras", "m.json"]
    assert f"{tmp_path / 'm.keras'} exists: this training replaces it" in caplog.text


def test_a_key_without_effect_is_a_warning_after_the_checks(tub, tmp_path, caplog):
    cfg = quick_config(tmp_path)
    cfg.FREEZE_LAYERS = True
    with pytest.raises(BurroError, match="tub folder not found"), caplog.at_level("WARNING"):
        make_plan(cfg, tmp_path / "typo", tmp_path / "m.keras")
    assert caplog.text == ""  # the error stays the only line
    with caplog.at_level("WARNING"):
        make_plan(cfg, tub, tmp_path / "m.keras")
    assert "FREEZE_LAYERS has no effect without --transfer" in caplog.text
