"""`burro train` for behaviour models: the default type with TRAIN_BEHAVIORS, the records'
behaviour vectors as the second input, and the errors for tubs without them."""

import json

import numpy as np
import pytest
from tests.training.tubs import TINY, make_behavior_tub, make_tub, run_train

from burro.config import default_config
from burro.errors import BurroError
from burro.training.plan import make_plan


def plan_config(car):
    cfg = default_config()
    cfg.CAR_PATH = str(car)
    return cfg


def test_train_behaviors_makes_behavior_the_default_type(tmp_path):
    tub = make_behavior_tub(tmp_path / "tub")
    cfg = plan_config(tmp_path)
    assert make_plan(cfg, [tub]).model_type.name == "linear"
    cfg.TRAIN_BEHAVIORS = True
    plan = make_plan(cfg, [tub])
    assert plan.model_type.name == "behavior"
    assert plan.records.columns["behavior/one_hot_state_array"].shape == (40, 2)
    assert make_plan(cfg, [tub], model_type="categorical").model_type.name == "categorical"


def test_a_behavior_list_of_another_length_is_refused(tmp_path):
    tub = make_behavior_tub(tmp_path / "tub")
    cfg = plan_config(tmp_path)
    cfg.BEHAVIOR_LIST = ["Left_Lane", "Middle", "Right_Lane"]
    with pytest.raises(BurroError, match=r"holds 2 values per record, the model takes 3 "
                                         r"\(BEHAVIOR_LIST has 3\)"):
        make_plan(cfg, [tub], model_type="behavior")


def test_records_without_the_behaviour_vector_are_one_line_naming_the_tub(tmp_path):
    good = make_behavior_tub(tmp_path / "tub_beh")
    plain = make_tub(tmp_path / "tub_plain")
    outcome, _, stderr = run_train("--tub", f"{good},{plain}", "--type", "behavior",
                                   "--car", str(tmp_path), *TINY)
    assert outcome == {"code": 2, "seconds": outcome["seconds"], "tensorflow": False}
    line = stderr.strip()
    assert "\n" not in line
    assert line.startswith("burro: error: the records have no behavior/one_hot_state_array")
    assert str(plain) in line and "TRAIN_BEHAVIORS = True" in line
    assert not (tmp_path / "models").exists()


def test_train_behaviors_on_the_real_donkey_tub_says_it_has_no_behaviour_states(
        shared_tub_path, tmp_path):
    outcome, _, stderr = run_train("--tub", str(shared_tub_path), "--car", str(tmp_path),
                                   "--set", "TRAIN_BEHAVIORS=True", *TINY)
    assert outcome["code"] == 2 and not outcome["tensorflow"]
    assert f"behavior/one_hot_state_array, which model type behavior needs ({shared_tub_path})" \
        in stderr


@pytest.mark.slow
def test_cli_trains_a_behavior_pilot_whose_exports_keep_both_inputs(tmp_path):
    from burro.pilots import load

    tub = make_behavior_tub(tmp_path / "data" / "tub", count=60)
    model = tmp_path / "models" / "my_beh.keras"
    outcome, stdout, stderr = run_train("--tub", str(tub), "--model", str(model),
                                        "--car", str(tmp_path), "--set", "TRAIN_BEHAVIORS=True",
                                        "--set", "MAX_EPOCHS=1", *TINY[2:])
    assert outcome["code"] == 0, stderr[-2000:]
    info = json.loads(model.with_suffix(".json").read_text())
    assert info["type"] == "behavior"
    assert info["extra_inputs"][0]["name"] == "xbehavior_in"
    assert info["training"]["records"]["used"] == 60
    frame = np.zeros((120, 160, 3), np.uint8)
    results = {}
    for suffix in (".keras", ".tflite", ".onnx"):
        pilot = load(model.with_suffix(suffix))
        assert [extra.key for extra in pilot.extra_inputs] == ["behavior/one_hot_state_array"]
        results[suffix] = np.array([pilot.run(frame, state) for state in ([1.0, 0.0],
                                                                          [0.0, 1.0])])
    np.testing.assert_allclose(results[".tflite"], results[".keras"], atol=1e-6)
    np.testing.assert_allclose(results[".onnx"], results[".keras"], atol=1e-6)
