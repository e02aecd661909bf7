"""Loss curves of a training run, saved as <model>.png (Donkey's SHOW_PLOT)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from burro.files import atomic_output


def plot_history(history: Mapping[str, Sequence[float]], path: str | Path, title: str) -> Path:
    """Total loss and val_loss on top, each output's losses below; returns the file written
    (complete or not at all: it is written under a temporary name first)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    per_output = sorted(key for key in history
                        if key.endswith("_loss") and key not in ("loss", "val_loss"))
    rows = 2 if per_output else 1
    figure, axes = plt.subplots(rows, 1, figsize=(8, 4 * rows), squeeze=False)
    _draw(axes[0][0], history, ["loss", "val_loss"], f"{title}: loss")
    if per_output:
        _draw(axes[1][0], history, per_output, "loss per output")
    figure.tight_layout()
    try:
        with atomic_output(path) as temporary:
            figure.savefig(temporary, dpi=80)
    finally:
        plt.close(figure)
    return Path(path)


def _draw(axis, history: Mapping[str, Sequence[float]], keys: list[str], title: str) -> None:
    for key in keys:
        if key in history:
            epochs = range(1, len(history[key]) + 1)
            axis.plot(epochs, history[key], marker=".", label=key,
                      linestyle="--" if key.startswith("val_") else "-")
    axis.set_title(title)
    axis.set_xlabel("epoch")
    axis.set_yscale("log")
    axis.grid(True, alpha=0.3)
    axis.legend()
