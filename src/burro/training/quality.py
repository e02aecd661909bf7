"""Checks of a trained network that the summary reports (today: outputs stuck at a constant)."""

from __future__ import annotations

from typing import Any

import numpy as np

CONSTANT_SPREAD = 0.1


def constant_prediction_warnings(model_type: Any, model: Any, cfg: Any, data: Any
                                 ) -> list[str]:
    """Warn when an MSE output hardly varies over the validation frames.

    A spread of predictions under a tenth of the targets' spread means the network outputs
    about one constant and has learnt nothing from the images (Donkey's `linear` at batch
    128 on small tubs ends like this).
    """
    from burro.training.pipeline import validation_dataset

    rows = data.split.val_rows
    names = [name for name, loss in model_type.losses().items() if loss == "mse"]
    if not names:
        return []
    targets = {name: values[rows] for name, values in data.targets.items()}
    predictions = model.predict(validation_dataset(data.frames, rows, targets, cfg.BATCH_SIZE,
                                                   inputs=data.inputs_of(rows)), verbose=0)
    found = []
    for name in names:
        target_spread = float(np.std(data.targets[name][rows]))
        spread = float(np.std(predictions[name]))
        if target_spread > 0 and spread < CONSTANT_SPREAD * target_spread:
            found.append(f"{name} predicts about a constant: its spread on the validation "
                         f"frames is {spread:.4f} against {target_spread:.4f} in the records "
                         "— train longer, or try a smaller BATCH_SIZE so each epoch makes "
                         "more updates")
    return found
