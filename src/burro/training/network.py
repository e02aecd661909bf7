"""Build (or transfer) and compile the network of a training plan, Donkey 5.4's way:
FREEZE_LAYERS freezes every layer up to `flattened`, LEARNING_RATE_DECAY decays per step."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import keras

from burro.errors import BurroError

log = logging.getLogger("burro.training")

FREEZE_UP_TO = "flattened"  # the end of the convolutional core (Donkey 5.4)


def make_model(plan: Any) -> Any:
    cfg = plan.cfg
    if cfg.TRAIN_SEED is not None:
        keras.utils.set_random_seed(cfg.TRAIN_SEED)
    model = plan.model_type.build(cfg)
    if plan.transfer is not None:
        transfer_weights(model, plan.transfer)
        if cfg.FREEZE_LAYERS:
            freeze_core(model)
    plan.model_type.compile(model, cfg, jit_compile=cfg.TRAIN_JIT_COMPILE)
    apply_learning_rate_decay(model.optimizer, cfg.LEARNING_RATE, cfg.LEARNING_RATE_DECAY)
    if cfg.PRINT_MODEL_SUMMARY:
        model.summary(print_fn=lambda line, **_: log.info(line))
    return model


def transfer_weights(model: Any, source_path: Path) -> None:
    """Copy weights layer by layer (matched by name and shape) from a trained model."""
    from burro.models.export import load_keras_model

    source = {layer.name: layer for layer in load_keras_model(source_path).layers}
    copied = 0
    for layer in model.layers:
        donor = source.get(layer.name)
        if donor is None or not layer.weights:
            continue
        weights = donor.get_weights()
        if [w.shape for w in weights] == [tuple(w.shape) for w in layer.weights]:
            layer.set_weights(weights)
            copied += 1
    if not copied:
        raise BurroError("the transfer model shares no layer with this model type",
                         str(source_path), "transfer from a model with the same image size")
    log.info("transferred the weights of %d layers from %s", copied, source_path)


def freeze_core(model: Any) -> None:
    """Freeze every layer before `flattened` (Donkey 5.4's FREEZE_LAYERS)."""
    names = [layer.name for layer in model.layers]
    if FREEZE_UP_TO not in names:
        raise BurroError(f"FREEZE_LAYERS needs a layer named {FREEZE_UP_TO!r}; this model "
                         "has none", "FREEZE_LAYERS", "set FREEZE_LAYERS = False")
    frozen = names.index(FREEZE_UP_TO)
    for layer in model.layers[:frozen]:
        layer.trainable = False
    trained = sum(1 for layer in model.layers if layer.trainable and layer.weights)
    log.info("froze the %d layers up to %s; %d layers with weights train", frozen,
             FREEZE_UP_TO, trained)


def apply_learning_rate_decay(optimizer: Any, rate: float, decay: float) -> None:
    """Donkey 5.4: the rate is multiplied by (1 - decay) after every training step."""
    if decay:
        optimizer.learning_rate = keras.optimizers.schedules.ExponentialDecay(
            rate, decay_steps=1, decay_rate=1.0 - decay)
