"""`burro tub convert`: Donkey v1 tubs into a new v2 tub.

Fixes what Donkey's `convert_to_tub_v2.py` gets wrong: metadata is kept (Donkey crashes on
it), the record after an index gap is written (Donkey drops it), tubs whose keys differ can be
merged (keys are united), excluded records stay soft-deleted, timestamps are the recorded ones
(start + milliseconds) rather than the conversion time, and JPEG frames are copied byte for
byte instead of being re-encoded. Frames of any valid size are kept.

The new tub is written into a hidden folder beside the target and renamed into place only when
complete: a conversion that fails midway leaves no half tub behind.
"""

import os
import secrets
import shutil
from pathlib import Path

from burro.errors import BurroError
from burro.tub.manifest import IMAGE_TYPES
from burro.tub.problems import TubError
from burro.tub.tub import EMPTY_KEY, Tub
from burro.tub.v1 import V1Tub


def convert_v1(sources: list[str | Path], target: str | Path,
               max_catalog_len: int = 1000) -> tuple[Tub, list]:
    """Convert v1 tubs (in order) into a new v2 tub. Returns the (closed) tub and the problems
    met; each source tub becomes one session."""
    target = Path(target).expanduser()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TubError("the target folder exists and is not empty", str(target),
                       "convert into a new folder")
    tubs = [V1Tub(source) for source in sources]
    inputs, types = _united_keys(tubs)
    metadata = {key: value for tub in tubs for key, value in tub.metadata.items()}
    temporary = target.with_name(f".{target.name}.converting-{secrets.token_hex(4)}")
    try:
        for tub in tubs:
            with Tub(temporary, inputs, types, metadata, max_catalog_len) as new:
                _copy_records(tub, new)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(temporary, target)
    except (OSError, BurroError) as error:
        shutil.rmtree(temporary, ignore_errors=True)
        what = error.what if isinstance(error, BurroError) else error.strerror or str(error)
        raise TubError(f"conversion failed, no tub was written: {what}", str(target),
                       "free space / check permissions, then convert again") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    problems = [problem for tub in tubs for problem in tub.problems.problems]
    result = Tub(target)
    return result, problems + result.problems.problems


def _copy_records(old: V1Tub, new: Tub) -> None:
    base = new.end_index
    first = None
    deleted = []
    for record in old:
        first = record.index if first is None else first
        while new.end_index < base + record.index - first:  # a gap: Donkey's placeholder
            deleted.append(new.write_record({EMPTY_KEY: True}))
        values = _with_image_bytes(old, record)
        if values is None:
            continue
        index = new.write_record(values, timestamp_ms=record.timestamp_ms)
        if record.index in old.excluded:
            deleted.append(index)
    if deleted:
        new.delete_records(deleted)


def _with_image_bytes(old: V1Tub, record) -> dict | None:
    values = dict(record.values)
    for key, kind in zip(old.inputs, old.v2_types):
        if kind in IMAGE_TYPES and key in values:
            try:
                values[key] = (old.path / values[key]).read_bytes()
            except OSError:
                old.problems.report(values[key], record.index, "image file is missing or "
                                    "unreadable", group="no image (missing or unreadable)")
                return None
    return values


def _united_keys(tubs: list[V1Tub]) -> tuple[list[str], list[str]]:
    type_of: dict[str, str] = {}
    for tub in tubs:
        for key, kind in zip(tub.inputs, tub.v2_types):
            if type_of.setdefault(key, kind) != kind:
                raise TubError(f"'{key}' is {type_of[key]} in one tub and {kind} in another",
                               str(tub.path), "convert these tubs into separate folders")
    type_of.setdefault(EMPTY_KEY, "boolean")
    return list(type_of), list(type_of.values())

