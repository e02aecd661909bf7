"""Training every model type on the real tub, through `burro train` and through `train()`."""

import json
import re

import numpy as np
import pytest

from burro.cli.main import main
from burro.config import default_config
from burro.errors import BurroError

pytest.importorskip("tensorflow")

QUICK = ["--set", "MAX_EPOCHS=1", "--set", "PRINT_MODEL_SUMMARY=False",
         "--set", "VERBOSE_TRAIN=False", "--set", "TRAIN_SEED=1"]


def quick_config(car):
    cfg = default_config()
    cfg.CAR_PATH = str(car)
    cfg.MAX_EPOCHS = 1
    cfg.PRINT_MODEL_SUMMARY = False
    cfg.VERBOSE_TRAIN = False
    cfg.TRAIN_SEED = 1
    cfg.CREATE_TF_LITE = cfg.CREATE_ONNX = cfg.SHOW_PLOT = False
    return cfg


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """`burro train` on the shared tub with an automatic model name and every output on."""
    import contextlib
    import io

    from tests.conftest import SHARED_TUB

    car = tmp_path_factory.mktemp("car")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["train", "--tub", str(SHARED_TUB), "--car", str(car), "--comment", "first",
                     *QUICK])
    return car, code, out.getvalue()


@pytest.mark.slow
def test_cli_writes_the_model_and_every_companion_file(cli_run):
    car, code, output = cli_run
    assert code == 0
    models = car / "models"
    name = re.search(r"pilot_\d\d-\d\d-\d\d_0", output).group(0)
    for suffix in (".keras", ".tflite", ".onnx", ".png", ".json"):
        assert (models / f"{name}{suffix}").stat().st_size > 0, suffix
    assert "1000 used (800 train, 200 validation, split by time blocks), 0 skipped" in output
    assert "images/s" in output and "best val_loss" in output


@pytest.mark.slow
def test_cli_metadata_and_database_row(cli_run):
    car, _, output = cli_run
    models = car / "models"
    name = re.search(r"pilot_\d\d-\d\d-\d\d_0", output).group(0)
    info = json.loads((models / f"{name}.json").read_text())
    assert info["type"] == "linear" and info["input_shape"] == [120, 160, 3]
    training = info["training"]
    assert training["records"] == {"used": 1000, "train": 800, "validation": 200, "skipped": {}}
    assert list(training["tubs"].values()) == [1000]
    assert training["epochs"] == 1 and len(training["history"]["val_loss"]) == 1
    assert info["config_used"]["BATCH_SIZE"] == 32
    rows = json.loads((models / "database.json").read_text())
    assert [row["Name"] for row in rows] == [name]
    assert rows[0]["Type"] == "linear" and rows[0]["Comment"] == "first"
    assert rows[0]["History"]["val_loss"] == training["history"]["val_loss"]


@pytest.mark.slow
def test_models_ls_and_types(cli_run, capsys):
    car, _, _ = cli_run
    assert main(["models", "ls", "--car", str(car)]) == 0
    table = capsys.readouterr().out
    assert "pilot_" in table and "linear" in table and "first" in table
    assert main(["models", "types"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert {"linear", "categorical", "inferred"} <= set(names)


@pytest.mark.slow
def test_train_categorical_to_h5_and_int8_tflite_skipping_a_broken_frame(tub_copy, tmp_path):
    from burro.pilots import load
    from burro.training import train

    image = tub_copy / "images" / "5_cam_image_array_.jpg"
    image.write_bytes(image.read_bytes()[:500])
    cfg = quick_config(tmp_path)
    cfg.CREATE_TF_LITE = True
    cfg.TFLITE_QUANTIZE = "int8"
    result = train(cfg, [tub_copy], tmp_path / "cat.h5", "categorical")
    assert result.records_used == 999 and result.records_skipped == 1
    assert result.epochs == 1 and np.isfinite(result.best_val_loss)
    assert result.model_path.suffix == ".h5" and result.model_path.is_file()
    assert result.export_errors == {}
    frame = np.full((120, 160, 3), 128, np.uint8)
    for path in (result.model_path, result.model_path.with_suffix(".tflite")):
        angle, throttle = load(path).run(frame)
        assert -1 <= angle <= 1 and 0 <= throttle <= 1


@pytest.mark.slow
def test_train_inferred_by_transfer_freezes_up_to_flattened_as_donkey_5_4(cli_run,
                                                                          shared_tub_path,
                                                                          tmp_path):
    import keras

    from burro.training import train

    car, _, output = cli_run
    source = car / "models" / f"{re.search(r'pilot_[0-9_-]+_0', output).group(0)}.keras"
    cfg = quick_config(tmp_path)
    cfg.FREEZE_LAYERS = True
    result = train(cfg, str(shared_tub_path), tmp_path / "inferred.keras", "inferred",
                   transfer=source, split="random")
    assert result.split_method == "random records"
    before, after = keras.models.load_model(source), keras.models.load_model(result.model_path)
    for name in ("conv2d_1", "conv2d_5"):  # frozen, copied from the linear pilot
        for old, new in zip(before.get_layer(name).get_weights(),
                            after.get_layer(name).get_weights()):
            np.testing.assert_array_equal(old, new)
    old, new = before.get_layer("dense_1").get_weights()[0], after.get_layer("dense_1").get_weights()[0]
    assert not np.array_equal(old, new)  # after `flattened`: trained


@pytest.mark.parametrize("args, expected", [
    (["--tub", "/nonexistent/tub"], "tub folder not found"),
    (["--type", "nope"], "unknown model type 'nope'"),
    (["--set", "BATCH_SIZE=0"], "BATCH_SIZE"),
    (["--set", "AUGMENTATIONS=['FLIP']"], "unknown augmentation 'FLIP'"),
    (["--model", "pilot.txt"], "name the model file .keras or .h5"),
    (["--set", "TRAIN_TEST_SPLIT=1.0"], "TRAIN_TEST_SPLIT"),
    (["--transfer", "missing.keras"], "transfer model not found"),
])
def test_bad_input_is_one_line_and_exit_2(args, expected, shared_tub_path, tmp_path, capsys):
    argv = ["train", "--car", str(tmp_path), *QUICK, *args]
    if "--tub" not in args:
        argv += ["--tub", str(shared_tub_path)]
    assert main(argv) == 2
    error = capsys.readouterr().err.strip()
    assert expected in error and "\n" not in error
    assert not (tmp_path / "models").exists()


def test_train_refuses_an_empty_tub_list(tmp_path):
    from burro.training import train

    with pytest.raises(BurroError, match="no tub"):
        train(quick_config(tmp_path), [], tmp_path / "x.keras")


def test_a_pilot_that_outputs_a_constant_is_reported(shared_tub_path):
    from burro.models import get_model_type
    from burro.training.loop import Data as _Data
    from burro.training.pipeline import decode_frames
    from burro.training.quality import constant_prediction_warnings
    from burro.training.records import collect_records
    from burro.training.split import split_records
    from burro.tub import open_tubs

    cfg = default_config()
    linear = get_model_type("linear")
    records = collect_records(open_tubs(shared_tub_path), linear.record_keys).subset(
        np.arange(0, 1000, 10))
    frames, _ = decode_frames(records.image_paths, 120, 160, 3)
    data = _Data(records, frames, linear.targets(records.columns, cfg),
                 split_records(records.groups, 0.5))
    model = linear.build(cfg)
    kernel, bias = model.get_layer("n_outputs0").get_weights()
    model.get_layer("n_outputs0").set_weights([np.zeros_like(kernel), bias + 0.2])
    warnings = constant_prediction_warnings(linear, model, cfg, data)
    assert any(w.startswith("n_outputs0 predicts about a constant") for w in warnings)
    assert "BATCH_SIZE" in warnings[0] and "\n" not in warnings[0]
