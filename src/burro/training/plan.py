"""The training plan: every input of `burro train` checked before anything slow.

`make_plan` runs before TensorFlow is imported and before any frame is decoded, so a user
error answers in a second with one line: the model type, the Donkey training keys, the
model file name and folder (written to with a probe file), MODELS_PATH and its
database.json, the --transfer file, the tub paths, the records (enough for the split) and
the frame size (from the image headers). Nothing in this module imports TensorFlow.
"""

from __future__ import annotations

import logging
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from burro.errors import BurroError
from burro.training.frame_size import FrameSize, settle_frame_size
from burro.training.records import RecordSet, collect_records

log = logging.getLogger("burro.training")

# Files that belong to one pilot `x`: x.json describes whichever model file x.keras / x.h5 is.
COMPANION_SUFFIXES = (".json", ".png", ".tflite", ".onnx")
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
HDF5_SIGNATURE_OFFSETS = (0, 512, 1024, 2048)  # after an optional user block
DONKEY_LAST_LAYERS_DEFAULT = 7


@dataclass
class TrainPlan:
    cfg: Any  # the config the model is built with (frame size settled)
    model_type: Any
    tubs: list[Any]
    records: RecordSet
    frame_size: FrameSize
    model_path: Path
    models_dir: Path
    transfer: Path | None
    split: str
    cache: bool
    seed: int
    save_on_interrupt: bool = True
    replaces: list[Path] = field(default_factory=list)  # this pilot's files already there


def make_plan(cfg: Any, tubs: Any, model_path: str | Path | None = None,
              model_type: str | None = None, transfer: str | Path | None = None,
              split: str | None = None, cache: bool | None = None,
              save_on_interrupt: bool = True) -> TrainPlan:
    from burro.models import get_model_type
    from burro.models.transform_spec import transformation_specs
    from burro.training.augment import check_augmentations
    from burro.training.split import split_records

    mt = get_model_type(model_type or default_model_type(cfg))
    check_augmentations(cfg)
    transformation_specs(cfg)
    notes = check_training_keys(cfg, transfer)
    models_dir = _models_dir(cfg)
    model_path = _model_path(cfg, models_dir, model_path)
    transfer_path = check_transfer_file(transfer) if transfer is not None else None
    seed = cfg.TRAIN_SEED if cfg.TRAIN_SEED is not None else secrets.randbelow(2**31)
    opened = _open(tubs)
    check_extra_input_keys(mt, cfg, opened)
    records = collect_records(opened, mt.record_keys, train_filter=cfg.TRAIN_FILTER)
    check_extra_input_sizes(mt, cfg, records)
    cfg, frame_size = settle_frame_size(cfg, records)
    split = split or cfg.TRAIN_SPLIT
    check_split(split_records(records.groups, cfg.TRAIN_TEST_SPLIT, split, seed), cfg)
    for folder in dict.fromkeys((model_path.parent, models_dir)):
        probe_writable(folder)
    plan = TrainPlan(cfg, mt, opened, records, frame_size, model_path, models_dir,
                     transfer_path, split, cfg.CACHE_IMAGES if cache is None else cache, seed,
                     save_on_interrupt, existing_pilot_files(model_path))
    for note in notes:  # after the checks, so that an error stays the only line
        log.warning("%s", note)
    log.info("%s", frame_size.line)
    if plan.replaces:
        log.info("%s exists: this training replaces it (%s)", model_path,
                 ", ".join(path.name for path in plan.replaces))
    return plan


def default_model_type(cfg: Any) -> str:
    """The type trained without --type: `behavior` with TRAIN_BEHAVIORS, as Donkey's drive
    picks it, else DEFAULT_MODEL_TYPE."""
    return "behavior" if cfg.TRAIN_BEHAVIORS else cfg.DEFAULT_MODEL_TYPE


def check_extra_input_keys(mt: Any, cfg: Any, tubs: list[Any]) -> None:
    """Every tub records the keys the type's extra inputs come from (its manifest lists them)."""
    for extra in mt.extra_inputs(cfg):
        for tub in tubs:
            inputs = getattr(tub, "inputs", None)
            if inputs is not None and extra.key not in inputs:
                raise BurroError(f"the records have no {extra.key}, which model type "
                                 f"{mt.name} needs", str(tub.path),
                                 extra.how_to_record or f"record tubs that contain {extra.key}")


def check_extra_input_sizes(mt: Any, cfg: Any, records: RecordSet) -> None:
    """The recorded vectors have the length the model's extra input takes."""
    for extra in mt.extra_inputs(cfg):
        column = records.columns.get(extra.key)
        found = column.shape[1] if column is not None and column.ndim == 2 else 1
        if found != extra.size:
            raise BurroError(
                f"{extra.key} holds {found} values per record, the model takes {extra.size}"
                + (f" ({extra.size_from} has {extra.size})" if extra.size_from else ""),
                ", ".join(records.tub_paths),
                f"set {extra.size_from or 'the config'} to the states the tubs were recorded "
                "with")


def check_training_keys(cfg: Any, transfer: Any) -> list[str]:
    """Donkey training keys whose meaning burro keeps, or refuses with the difference;
    returns the warnings for keys that have no effect in this run."""
    if cfg.LEARNING_RATE_DECAY >= 1:
        raise BurroError(
            f"LEARNING_RATE_DECAY = {cfg.LEARNING_RATE_DECAY} would make the learning rate "
            "zero or negative", _where(cfg, "LEARNING_RATE_DECAY"),
            "use a small fraction such as 0.0001 (as in Donkey 5.4, the rate is multiplied "
            "by 1 - decay every step), or 0 for none")
    if cfg.NUM_LAST_LAYERS_TO_TRAIN != DONKEY_LAST_LAYERS_DEFAULT:
        raise BurroError(
            f"NUM_LAST_LAYERS_TO_TRAIN = {cfg.NUM_LAST_LAYERS_TO_TRAIN} has no effect: as in "
            "Donkey 5.4, FREEZE_LAYERS freezes every layer up to 'flattened'",
            _where(cfg, "NUM_LAST_LAYERS_TO_TRAIN"), "remove the NUM_LAST_LAYERS_TO_TRAIN line")
    notes = []
    if cfg.FREEZE_LAYERS and transfer is None:
        notes.append("FREEZE_LAYERS has no effect without --transfer (it would freeze "
                     "untrained layers)")
    if cfg.CREATE_TENSOR_RT:
        notes.append("CREATE_TENSOR_RT: burro writes no TensorRT model; build one from the "
                     ".onnx with TensorRT")
    return notes


def check_split(split: Any, cfg: Any) -> None:
    """Both sides of the split hold records (a tiny tub can leave one side empty)."""
    for side, rows in (("training", split.train_rows), ("validation", split.val_rows)):
        if not len(rows):
            raise BurroError(
                f"TRAIN_TEST_SPLIT = {cfg.TRAIN_TEST_SPLIT} leaves no {side} records out of "
                f"{len(split.train_rows) + len(split.val_rows)} (split by {split.method})",
                "TRAIN_TEST_SPLIT", "use a value like 0.8, and at least a few dozen records")


def check_transfer_file(transfer: str | Path) -> Path:
    """The --transfer file when it looks like a Keras model (checked without TensorFlow)."""
    path = Path(transfer).expanduser()
    if not path.is_file():
        raise BurroError("transfer model not found", str(transfer), "check the --transfer path")
    if path.suffix == ".keras":
        problem = _keras_archive_problem(path)
    elif path.suffix == ".h5":
        problem = None if _has_hdf5_signature(path) else "not an HDF5 file"
    else:
        problem = f"a {path.suffix or 'suffix-less'} file is not a Keras model"
    if problem:
        raise BurroError(f"cannot transfer from this file: {problem}", str(path),
                         "pass a .keras or .h5 pilot written by burro train or Donkey")
    return path


def _keras_archive_problem(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return None if "config.json" in archive.namelist() else "no config.json inside"
    except (zipfile.BadZipFile, OSError) as error:
        return f"not a .keras archive ({error})"


def _has_hdf5_signature(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            for offset in HDF5_SIGNATURE_OFFSETS:
                file.seek(offset)
                if file.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE:
                    return True
    except OSError:
        return False
    return False


def probe_writable(folder: Path) -> None:
    """Write (then remove) a probe file in `folder`, or in the folder that would hold it
    when it does not exist yet (nothing is created before training succeeds)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    probe = existing / f".burro-write-probe-{secrets.token_hex(4)}"
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "a file is in the way", str(existing))
        probe.write_bytes(b"burro")
        probe.unlink()
    except OSError as error:
        raise BurroError(f"cannot write in the model folder: {error.strerror or error}",
                         f"{existing}" if existing == folder else f"{existing} for {folder}",
                         "free space / check permissions, or pick another --model / "
                         "MODELS_PATH") from None


def existing_pilot_files(model_path: Path) -> list[Path]:
    candidates = [model_path, *(model_path.with_suffix(s) for s in COMPANION_SUFFIXES)]
    return [path for path in candidates if path.exists()]


def _models_dir(cfg: Any) -> Path:
    from burro.training.database import database_path, read_database

    models_dir = cfg.path("MODELS_PATH").expanduser()
    if models_dir.exists() and not models_dir.is_dir():
        raise BurroError("MODELS_PATH is a file, not a folder", str(models_dir),
                         "set MODELS_PATH to a folder (default: models)")
    if database_path(models_dir).is_dir():
        raise BurroError("the model database is a folder", str(database_path(models_dir)),
                         "move that folder away")
    read_database(models_dir)  # a torn or unreadable database.json is reported now
    return models_dir


def _model_path(cfg: Any, models_dir: Path, model_path: str | Path | None) -> Path:
    from burro.models.export import KERAS_SUFFIXES, check_keras_suffix
    from burro.training.database import next_model_path

    if model_path is None:
        model_path = next_model_path(models_dir, h5=cfg.SAVE_MODEL_AS_H5)
    path = check_keras_suffix(Path(model_path).expanduser())
    if path.is_dir():
        raise BurroError("the model path is a folder", str(path), "name a .keras or .h5 file")
    for other in KERAS_SUFFIXES:
        sibling = path.with_suffix(other)
        if other != path.suffix and sibling.exists():
            raise BurroError(f"{sibling.name} exists and shares {path.stem}.json with "
                             f"{path.name}", str(path),
                             f"pick another model name, or remove {sibling.name} first")
    return path


def _open(tubs: Any) -> list[Any]:
    from burro.tub import open_tubs

    if isinstance(tubs, str | Path):
        return open_tubs(tubs)
    items = list(tubs)
    if items and all(isinstance(item, str | Path) for item in items):
        return open_tubs(items)
    if not items:
        raise BurroError("no tub given", "--tub", "pass a tub folder, a glob or a comma list")
    return items


def _where(cfg: Any, key: str) -> str:
    source = getattr(cfg, "source", None)
    try:
        return f"{key} in {source(key)}" if source else key
    except KeyError:
        return key
