"""Donkey 5.4's LEARNING_RATE_DECAY (per step) and FREEZE_LAYERS (up to `flattened`)."""

import pytest
from tests.training.tubs import make_tub

from burro.config import default_config
from burro.training.plan import make_plan

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("net")
    cfg = default_config()
    cfg.CAR_PATH = str(folder)
    cfg.PRINT_MODEL_SUMMARY = False
    cfg.LEARNING_RATE, cfg.LEARNING_RATE_DECAY = 0.002, 0.1
    return make_plan(cfg, make_tub(folder / "tub", 20), folder / "m.keras")


def test_learning_rate_decays_every_step_as_donkey_5_4(plan):
    from burro.training.network import make_model

    optimizer = make_model(plan).optimizer
    rates = []
    for step in (0, 1, 3):
        optimizer.iterations.assign(step)
        rates.append(float(keras.ops.convert_to_numpy(optimizer.learning_rate)))
    assert rates == pytest.approx([0.002, 0.002 * 0.9, 0.002 * 0.9**3], rel=1e-5)


def test_freeze_layers_freezes_every_layer_up_to_flattened(plan):
    from burro.training.network import freeze_core

    model = plan.model_type.build(plan.cfg)
    freeze_core(model)
    trainable = {layer.name: layer.trainable for layer in model.layers if layer.weights}
    assert not any(trainable[f"conv2d_{n}"] for n in range(1, 6))
    assert trainable["dense_1"] and trainable["dense_2"] and trainable["n_outputs0"]
