"""`manifest.json`: five JSON lines (inputs, types, user metadata, manifest metadata, catalogs).

Lines are written exactly as Donkey writes them (`json.dumps` with default separators, keys in
insertion order) so Donkey reads our tubs. Every write replaces the file atomically.
"""

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from burro.files import replace_atomically
from burro.tub.problems import TubError, log
from burro.values import is_index

MANIFEST_NAME = "manifest.json"
IMAGE_TYPES = ("image_array", "gray16_array")  # stored as files in images/, named in the line
TYPES = (*IMAGE_TYPES, "float", "int", "boolean", "str", "list", "vector", "nparray")


@dataclass
class Manifest:
    inputs: list[str]
    types: list[str]
    metadata: dict = field(default_factory=dict)
    manifest_metadata: dict = field(default_factory=lambda: {"created_at": time.time()})
    paths: list[str] = field(default_factory=list)
    current_index: int = 0
    max_len: int = 1000
    deleted_indexes: set[int] = field(default_factory=set)

    @property
    def session_ids(self) -> set[str]:
        """The session ids line 4 lists."""
        ids = self.sessions.get("all_full_ids")
        listed = {i for i in ids if isinstance(i, str)} if isinstance(ids, list) else set()
        last = self.sessions.get("last_full_id")
        return listed | ({last} if isinstance(last, str) else set())

    @property
    def sessions(self) -> dict:
        sessions = self.manifest_metadata.get("sessions")
        return sessions if isinstance(sessions, dict) else {}

    def to_text(self) -> str:
        catalog_meta = {"paths": self.paths, "current_index": self.current_index,
                        "max_len": self.max_len, "deleted_indexes": sorted(self.deleted_indexes)}
        lines = [self.inputs, self.types, self.metadata, self.manifest_metadata, catalog_meta]
        return "".join(json.dumps(line) + "\n" for line in lines)


def read_manifest(tub_path: Path) -> Manifest:
    path = Path(tub_path) / MANIFEST_NAME
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise TubError("not a tub: manifest.json is missing", str(path),
                       "check the path (a tub folder holds manifest.json and catalogs)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TubError(f"cannot read manifest.json: {error}", str(path),
                       "restore it from a backup") from None
    return parse_manifest(text, str(path))


def parse_manifest(text: str, where: str = MANIFEST_NAME) -> Manifest:
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) != 5:
        raise _corrupt(where, f"has {len(lines)} lines, a tub manifest has 5")
    try:
        inputs, types, metadata, manifest_metadata, catalog_meta = map(json.loads, lines)
    except (ValueError, RecursionError) as error:
        raise _corrupt(where, f"is not valid JSON: {error}") from None
    _check_keys_and_types(inputs, types, where)
    if not isinstance(metadata, dict) or not isinstance(manifest_metadata, dict):
        raise _corrupt(where, "lines 3 and 4 must be JSON objects")
    if not isinstance(catalog_meta, dict):
        raise _corrupt(where, "line 5 must be a JSON object")
    paths = catalog_meta.get("paths", [])
    if not isinstance(paths, list) or not all(_is_catalog_name(p) for p in paths):
        raise _corrupt(where, "line 5 'paths' must list catalog file names like catalog_0.catalog")
    current_index = catalog_meta.get("current_index", 0)
    max_len = catalog_meta.get("max_len", 1000)
    deleted = catalog_meta.get("deleted_indexes", [])
    if not is_index(current_index) or not is_index(max_len) or max_len == 0:
        raise _corrupt(where, "line 5 'current_index'/'max_len' must be non-negative integers")
    if not isinstance(deleted, list) or not all(is_index(i) for i in deleted):
        raise _corrupt(where, "line 5 'deleted_indexes' must be a list of record indexes")
    return Manifest(inputs, types, metadata, manifest_metadata, paths, current_index,
                    max_len, set(deleted))


def write_manifest(tub_path: Path, manifest: Manifest) -> None:
    write_atomically(Path(tub_path) / MANIFEST_NAME, manifest.to_text())


def write_atomically(path: Path, text: str, sync: bool = False) -> None:
    """Replace a tub file atomically; failures become a TubError naming the file."""
    try:
        replace_atomically(path, text, encoding="ascii", sync=sync)
    except OSError as error:
        raise TubError(f"cannot write {path.name}: {error.strerror}", str(path),
                       "check the folder's permissions and free disk space") from None


def _check_keys_and_types(inputs, types, where: str) -> None:
    if not isinstance(inputs, list) or not all(isinstance(key, str) for key in inputs):
        raise _corrupt(where, "line 1 must be a JSON list of record keys")
    if not isinstance(types, list) or not all(isinstance(kind, str) for kind in types):
        raise _corrupt(where, "line 2 must be a JSON list of type names")
    if len(inputs) != len(types):
        raise _corrupt(where, f"{len(inputs)} keys (line 1) but {len(types)} types (line 2)")


def _is_catalog_name(name) -> bool:
    return (isinstance(name, str) and name.startswith("catalog_") and name.endswith(".catalog")
            and "/" not in name and "\\" not in name)


def _corrupt(where: str, what: str) -> TubError:
    return TubError(f"corrupt tub manifest: {what}", where,
                    "run `burro tub check --repair` or restore manifest.json from a backup")


def metadata_dict(metadata: dict | list[str] | None) -> dict:
    """Donkey's METADATA is a list of 'key:value' strings; entries not of that form are skipped."""
    if metadata is None:
        return {}
    if isinstance(metadata, Mapping):
        return dict(metadata)
    result = {}
    for entry in metadata:
        parts = str(entry).split(":")
        if len(parts) != 2:
            log.warning(
                "metadata entry %r ignored: write it as key:value", entry)
            continue
        result[parts[0].strip()] = parts[1].strip()
    return result
