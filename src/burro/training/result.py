"""What `train()` returns, and the block `burro train` prints from it (no TensorFlow)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TrainResult:
    model_path: Path
    files: list[Path]
    model_type: str
    records_used: int
    records_skipped: int
    skipped_reasons: dict[str, int]
    train_records: int
    val_records: int
    split_method: str
    epochs: int
    best_epoch: int
    best_val_loss: float
    seconds: float
    fit_seconds: float
    images_per_second: float
    epoch_seconds: list[float] = field(default_factory=list)
    history: dict[str, list[float]] = field(default_factory=dict)
    export_errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    frame_size: str = ""
    interrupted: bool = False  # Ctrl-C: the best epoch so far was saved
    replaced: list[Path] = field(default_factory=list)  # the earlier pilot's files, replaced
    removed: list[Path] = field(default_factory=list)  # its exports not written again


def summary_lines(result: TrainResult) -> list[str]:
    """The one block printed after training."""
    skipped = ", ".join(f"{count} {reason}" for reason, count in result.skipped_reasons.items())
    records = (f"{result.records_used} used ({result.train_records} train, "
               f"{result.val_records} validation, split by {result.split_method}), "
               f"{result.records_skipped} skipped{f' ({skipped})' if skipped else ''}")
    timing = (f"{result.seconds:.1f} s in all, {result.fit_seconds:.1f} s fitting, "
              f"{result.images_per_second:.0f} images/s (train + validation, median epoch)")
    epochs = f"{result.epochs}, best val_loss {result.best_val_loss:.4f} at epoch {result.best_epoch}"
    if result.interrupted:
        epochs += " (interrupted: the best epoch so far is saved)"
    verb = "replaced" if result.replaced else "trained"
    lines = [
        f"{verb} {result.model_type} pilot {result.model_path}",
        f"  records   {records}",
        f"  epochs    {epochs}",
        f"  time      {timing}",
        "  files     " + "\n            ".join(str(path) for path in result.files),
    ]
    for suffix, error in result.export_errors.items():
        lines.append(f"  not written: {suffix} ({error})")
    lines += [f"  removed   {path} (of the replaced pilot)" for path in result.removed]
    lines += [f"  warning   {warning}" for warning in result.warnings]
    return lines
