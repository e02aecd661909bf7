"""Model types: registry, Donkey architectures and parameter counts, targets, interpretation."""

import sys

import numpy as np
import pytest

from burro.config import default_config
from burro.errors import BurroError
from burro.models import get_model_type, model_types

DONKEY_PARAMS = {"linear": 817_028, "categorical": 268_311, "inferred": 816_977}
DONKEY_OUTPUTS = {
    "linear": {"n_outputs0": 1, "n_outputs1": 1},
    "categorical": {"angle_out": 15, "throttle_out": 20},
    "inferred": {"n_outputs0": 1},
}


def test_registry_lists_the_types_without_importing_keras():
    code = ("import sys; from burro.models import model_types; "
            "assert 'keras' not in sys.modules and 'tensorflow' not in sys.modules; "
            "print(','.join(model_types()))")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "behavior,categorical,inferred,linear"
    assert set(DONKEY_PARAMS) <= set(model_types())


def test_donkey_runtime_prefixes_name_the_same_type():
    # Donkey configs say DEFAULT_MODEL_TYPE = "tflite_linear"; burro picks the runtime by suffix.
    assert get_model_type("tflite_linear") is get_model_type("linear")
    assert get_model_type("tensorrt_categorical") is get_model_type("categorical")


def test_unknown_type_names_the_known_ones():
    with pytest.raises(BurroError, match="unknown model type 'lineer'.*linear"):
        get_model_type("lineer")


@pytest.mark.parametrize("name", sorted(DONKEY_PARAMS))
def test_build_matches_donkey(name):
    model = get_model_type(name).build(default_config())
    assert model.count_params() == DONKEY_PARAMS[name]
    assert model.input_shape == (None, 120, 160, 3)
    assert model.inputs[0].name == "img_in"
    layer_names = {layer.name for layer in model.layers}
    assert {f"conv2d_{n}" for n in range(1, 6)} | {"dense_1", "dense_2"} <= layer_names
    assert {key: tensor.shape[-1] for key, tensor in model.output.items()} == DONKEY_OUTPUTS[name]


@pytest.mark.parametrize("states", [["Left_Lane", "Right_Lane"], ["a", "b", "c"]])
def test_behavior_matches_donkeys_keras_behavioral(states):
    cfg = default_config()
    cfg.BEHAVIOR_LIST = states
    model = get_model_type("behavior").build(cfg)
    if len(states) == 2:
        # Donkey's KerasBehavioral (829,263 with 2 states) + the one-hot into dense_2 (2 x 100)
        assert model.count_params() == 829_263 + 200
    assert [tensor.name for tensor in model.inputs] == ["img_in", "xbehavior_in"]
    assert model.inputs[1].shape == (None, len(states))
    assert model.get_layer("conv2d_4").strides == (1, 1)
    assert model.get_layer("behavior_3").units == 2 * len(states)
    assert {key: tensor.shape[-1] for key, tensor in model.output.items()} == {
        "angle_out": 15, "throttle_out": 20}
    (extra,) = get_model_type("behavior").extra_inputs(cfg)
    assert extra.to_json() == {"name": "xbehavior_in", "key": "behavior/one_hot_state_array",
                               "shape": [len(states)], "labels": states,
                               "size_from": "BEHAVIOR_LIST"}


def test_behavior_trains_on_categorical_targets_and_the_one_hot_input():
    mt = get_model_type("behavior")
    columns = {"user/angle": np.array([-1.0, 0.0]), "user/throttle": np.array([0.8, 0.0]),
               "behavior/one_hot_state_array": np.array([[1.0, 0.0], [0.0, 1.0]])}
    targets = mt.targets(columns, default_config())
    assert targets["angle_out"].argmax(axis=1).tolist() == [0, 7]
    assert targets["throttle_out"].argmax(axis=1).tolist() == [19, 0]
    inputs = mt.inputs(columns, default_config())
    assert inputs["xbehavior_in"].dtype == np.float32
    assert inputs["xbehavior_in"].tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert mt.losses() == {"angle_out": "categorical_crossentropy",
                           "throttle_out": "categorical_crossentropy"}
    with pytest.raises(BurroError, match="behavior/one_hot_state_array"):
        mt.inputs({"user/angle": np.zeros(2)}, default_config())


def test_categorical_uses_stride_two_in_the_fourth_conv():
    model = get_model_type("categorical").build(default_config())
    assert model.get_layer("conv2d_4").strides == (2, 2)
    assert model.get_layer("flattened").output.shape[-1] == 1152


def test_linear_targets_are_float_columns():
    mt = get_model_type("linear")
    y = mt.targets({"user/angle": np.array([0.5, -1.0]), "user/throttle": np.array([0.3, 0.0])})
    np.testing.assert_allclose(y["n_outputs0"], [[0.5], [-1.0]])
    np.testing.assert_allclose(y["n_outputs1"], [[0.3], [0.0]])
    assert y["n_outputs0"].dtype == np.float32


def test_targets_refuse_nan_and_missing_keys():
    mt = get_model_type("linear")
    with pytest.raises(BurroError, match="non-finite 'user/angle'.*row 1"):
        mt.targets({"user/angle": np.array([0.1, np.nan]), "user/throttle": np.zeros(2)})
    with pytest.raises(BurroError, match="'user/throttle'"):
        mt.targets({"user/angle": np.zeros(2)})


def test_categorical_binning_follows_donkey_linear_bin():
    mt = get_model_type("categorical")
    angles = np.array([-1.0, -0.5, 0.0, 0.0714286, 1.0, -3.0, 3.0])
    throttles = np.array([0.02, 0.03, 0.74, 0.76, 1.0, -0.4, 0.8])
    y = mt.targets({"user/angle": angles, "user/throttle": throttles})
    # -0.5 -> 3.5 rounds to even 4 (Python banker's rounding); outside values clamp.
    assert y["angle_out"].argmax(axis=1).tolist() == [0, 4, 7, 8, 14, 0, 14]
    # range 0.8 -> bin = round(25 t): 0.02 -> 0 (0.5 to even), 0.03 -> 1, 0.74 -> 18, > 0.74 -> 19.
    assert y["throttle_out"].argmax(axis=1).tolist() == [0, 1, 18, 19, 19, 0, 19]
    assert y["angle_out"].shape == (7, 15) and y["throttle_out"].shape == (7, 20)
    assert np.all(y["angle_out"].sum(axis=1) == 1)


def test_categorical_throttle_range_comes_from_config():
    mt = get_model_type("categorical")
    cfg = default_config()
    cfg.MODEL_CATEGORICAL_MAX_THROTTLE_RANGE = 0.5
    y = mt.targets({"user/angle": np.zeros(1), "user/throttle": np.array([0.25])}, cfg)
    assert y["throttle_out"].argmax() == 10
    scores = {"angle_out": np.eye(15)[[11]], "throttle_out": np.eye(20)[[10]]}
    angle, throttle = mt.interpret(scores, {"MODEL_CATEGORICAL_MAX_THROTTLE_RANGE": 0.5})
    assert angle == pytest.approx(11 * 2 / 14 - 1)
    assert throttle == pytest.approx(0.25)


def test_inferred_throttle_is_derived_from_angle_like_donkey():
    mt = get_model_type("inferred")
    throttles = [mt.interpret({"n_outputs0": np.array([[a]])})[1] for a in (-1.0, 0.0, 1.0, 5.0)]
    assert throttles == pytest.approx([1.0, 0.7538, 0.5565, 0.5565], abs=1e-4)


def test_linear_interpret_reads_both_outputs():
    angle, throttle = get_model_type("linear").interpret(
        {"n_outputs0": np.array([[0.25]]), "n_outputs1": np.array([[0.5]])})
    assert (angle, throttle) == (0.25, 0.5)


def test_unknown_optimizer_is_a_config_error():
    mt = get_model_type("linear")
    cfg = default_config()
    cfg.OPTIMIZER = "adamm"
    with pytest.raises(BurroError, match="OPTIMIZER"):
        mt.compile(mt.build(cfg), cfg)


def test_compile_uses_learning_rate_and_optimizer():
    mt = get_model_type("categorical")
    cfg = default_config()
    cfg.OPTIMIZER, cfg.LEARNING_RATE = "rmsprop", 0.0025
    model = mt.build(cfg)
    mt.compile(model, cfg)
    assert type(model.optimizer).__name__ == "RMSprop"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0025)


def test_the_one_hot_state_reaches_the_head_whatever_the_branch_starts_as():
    """Donkey's three small ReLU layers often start (nearly) silent for a state and the pilot
    learned to ignore the state (docs/benchmarks.md): the one-hot also joins the head as it is."""
    import keras
    import numpy as np

    model = get_model_type("behavior").build(default_config())
    joined = keras.Model(model.inputs, model.get_layer("image_and_behavior").output)
    frames = np.zeros((2, 120, 160, 3), dtype="float32")
    states = np.eye(2, dtype="float32")
    out = np.asarray(joined([frames, states]))
    assert out.shape == (2, 100 + 4 + 2)
    np.testing.assert_array_equal(out[:, -2:], states)
