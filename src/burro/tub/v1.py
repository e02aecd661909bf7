"""Donkey v1 tubs: `meta.json`, `record_<n>.json` and the images beside them.

`Tub(path)` reads them through `V1Tub` (read-only); `burro.tub.convert` turns them into v2.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from burro.tub.manifest import IMAGE_TYPES, MANIFEST_NAME
from burro.tub.problems import ProblemLog, TubError
from burro.values import is_finite_number, is_int

META_NAME = "meta.json"
RECORD_NAME = re.compile(r"record_(\d+)\.json")
# v1 types and the v2 type each becomes; `image` (an absolute path) is stored as image_array.
V2_TYPE = {"image": "image_array", "image_array": "image_array", "gray16_array": "gray16_array",
           "float": "float", "int": "int", "str": "str", "boolean": "boolean",
           "vector": "vector", "list": "list", "nparray": "nparray"}


@dataclass
class V1Record:
    index: int
    values: dict  # image keys hold the image's file name in the tub folder
    timestamp_ms: int | None


class V1Tub:
    def __init__(self, path: str | Path, problems: ProblemLog | None = None):
        self.path = Path(path).expanduser()
        self.problems = problems if problems is not None else ProblemLog()
        meta = self._read_meta()
        self.inputs: list[str] = meta["inputs"]
        self.types: list[str] = meta["types"]
        self.start: float | None = meta.get("start") if is_finite_number(meta.get("start")) else None
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
            return {i for i in excluded if is_int(i)}
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
            self.problems.report(name, index, "malformed JSON record",
                                 group="a malformed record_<n>.json")
            return None
        if not isinstance(data, dict):
            self.problems.report(name, index, "record is not a JSON object",
                                 group="a record_<n>.json that is not a JSON object")
            return None
        values = {}
        for key, kind in zip(self.inputs, self.types):
            value = data.get(key)
            if value is None:
                continue
            if V2_TYPE[kind] in IMAGE_TYPES:
                if not isinstance(value, str):
                    self.problems.report(name, index, f"'{key}' is not a file name",
                                         group=f"a bad '{key}' value (not a file name)")
                    return None
                # `image` values are absolute paths on the recording machine; the file is here.
                value = Path(value).name
            values[key] = value
        return V1Record(index, values, self._timestamp(data.get("milliseconds")))

    def _timestamp(self, milliseconds) -> int | None:
        """Epoch ms: the tub's start plus the record's milliseconds (None when unknown)."""
        if self.start is None or not is_finite_number(milliseconds):
            return None
        try:
            stamp = round(self.start * 1000 + milliseconds)
        except OverflowError:  # an int beyond what a float holds
            return None
        return stamp if stamp >= 0 else None

