"""Donkey v1 tubs (`meta.json`, `record_<n>.json`, images beside them) and their conversion.

`convert_v1` fixes what Donkey's `convert_to_tub_v2.py` gets wrong: metadata is kept (Donkey
crashes on it), the record after an index gap is written (Donkey drops it), tubs whose keys
differ can be merged (keys are united), excluded records stay soft-deleted, timestamps are the
recorded ones (start + milliseconds) rather than the conversion time, and JPEG frames are
copied byte for byte instead of being re-encoded.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from burro.tub.manifest import MANIFEST_NAME
from burro.tub.problems import ProblemLog, TubError
from burro.tub.tub import EMPTY_KEY, Tub

META_NAME = "meta.json"
RECORD_NAME = re.compile(r"record_(\d+)\.json")
# v1 types and the v2 type each becomes; `image` (an absolute path) is stored as image_array.
V2_TYPE = {"image": "image_array", "image_array": "image_array", "gray16_array": "gray16_array",
           "float": "float", "int": "int", "str": "str", "boolean": "boolean",
           "vector": "vector", "list": "list", "nparray": "nparray"}


@dataclass
class V1Record:
    index: int
    values: dict  # image keys hold the image file's bytes
    timestamp_ms: int | None


class V1Tub:
    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        self.problems = ProblemLog()
        meta = self._read_meta()
        self.inputs: list[str] = meta["inputs"]
        self.types: list[str] = meta["types"]
        self.start: float | None = meta.get("start") if _is_number(meta.get("start")) else None
        self.metadata = {key: value for key, value in meta.items()
                         if key not in ("inputs", "types", "start")}
        self.excluded = self._read_excluded()

    def _read_meta(self) -> dict:
        path = self.path / META_NAME
        if not path.is_file():
            what = "this is already a v2 tub" if (self.path / MANIFEST_NAME).exists() else \
                "not a Donkey v1 tub: meta.json is missing"
            raise TubError(what, str(self.path), "pass the folder of a v1 tub")
        try:
            meta = json.loads(path.read_bytes())
        except (OSError, ValueError) as error:
            raise TubError(f"cannot read meta.json: {error}", str(path),
                           "restore it from a backup") from None
        if not (isinstance(meta, dict) and isinstance(meta.get("inputs"), list)
                and isinstance(meta.get("types"), list)
                and len(meta["inputs"]) == len(meta["types"])
                and all(isinstance(x, str) for x in meta["inputs"] + meta["types"])):
            raise TubError("meta.json needs 'inputs' and 'types' lists of equal length",
                           str(path), "restore it from a backup")
        unknown = [kind for kind in meta["types"] if kind not in V2_TYPE]
        if unknown:
            raise TubError(f"unknown v1 type '{unknown[0]}'", str(path),
                           f"known types: {', '.join(V2_TYPE)}")
        return meta

    def _read_excluded(self) -> set[int]:
        path = self.path / "exclude.json"
        if not path.exists():
            return set()
        try:
            excluded = json.loads(path.read_bytes())
            return {i for i in excluded if isinstance(i, int) and not isinstance(i, bool)}
        except (OSError, ValueError, TypeError):
            self.problems.report("exclude.json", None, "unreadable; no record is excluded")
            return set()

    @property
    def v2_types(self) -> list[str]:
        return [V2_TYPE[kind] for kind in self.types]

    def record_indexes(self) -> list[int]:
        return sorted(int(match.group(1)) for path in self.path.iterdir()
                      if (match := RECORD_NAME.fullmatch(path.name)))

    def __iter__(self) -> Iterator[V1Record]:
        for index in self.record_indexes():
            record = self._read_record(index)
            if record is not None:
                yield record

    def _read_record(self, index: int) -> V1Record | None:
        name = f"record_{index}.json"
        try:
            data = json.loads((self.path / name).read_bytes())
        except (OSError, ValueError, RecursionError):
            self.problems.report(name, index, "malformed JSON record")
            return None
        if not isinstance(data, dict):
            self.problems.report(name, index, "record is not a JSON object")
            return None
        values = {}
        for key, kind in zip(self.inputs, self.types):
            value = data.get(key)
            if value is None:
                continue
            if V2_TYPE[kind] in ("image_array", "gray16_array"):
                value = self._image_bytes(name, index, value)
                if value is None:
                    return None
            values[key] = value
        milliseconds = data.get("milliseconds")
        timestamp = (round(self.start * 1000 + milliseconds)
                     if self.start is not None and _is_number(milliseconds) else None)
        return V1Record(index, values, timestamp)

    def _image_bytes(self, name: str, index: int, value) -> bytes | None:
        if not isinstance(value, str):
            self.problems.report(name, index, f"image value is not a file name: {value!r:.40}")
            return None
        # `image` values are absolute paths from the recording machine: look beside the record.
        path = self.path / Path(value).name
        try:
            return path.read_bytes()
        except OSError:
            self.problems.report(path.name, index, "image file is missing or unreadable")
            return None


def convert_v1(sources: list[str | Path], target: str | Path,
               max_catalog_len: int = 1000) -> tuple[Tub, list]:
    """Convert v1 tubs (in order) into a new v2 tub. Returns the (closed) tub and the problems
    met; each source tub becomes one session."""
    target = Path(target).expanduser()
    if target.exists() and any(target.iterdir()):
        raise TubError("the target folder exists and is not empty", str(target),
                       "convert into a new folder")
    tubs = [V1Tub(source) for source in sources]
    inputs, types = _united_keys(tubs)
    metadata = {key: value for tub in tubs for key, value in tub.metadata.items()}
    problems = []
    for tub in tubs:
        with Tub(target, inputs, types, metadata, max_catalog_len) as new:
            _copy_records(tub, new)
        problems += tub.problems.problems
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
        index = new.write_record(record.values, timestamp_ms=record.timestamp_ms)
        if record.index in old.excluded:
            deleted.append(index)
    if deleted:
        new.delete_records(deleted)


def _united_keys(tubs: list[V1Tub]) -> tuple[list[str], list[str]]:
    type_of: dict[str, str] = {}
    for tub in tubs:
        for key, kind in zip(tub.inputs, tub.v2_types):
            if type_of.setdefault(key, kind) != kind:
                raise TubError(f"'{key}' is {type_of[key]} in one tub and {kind} in another",
                               str(tub.path), "convert these tubs into separate folders")
    type_of.setdefault(EMPTY_KEY, "boolean")
    return list(type_of), list(type_of.values())


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
