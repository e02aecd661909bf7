"""Catalog files: `catalog_<k>.catalog` (one JSON record per line) and their one-line
`catalog_<k>.catalog_manifest` (`line_lengths` to find a line without reading the file, and
`start_index`, the `_index` of its first line).

The catalog file is the truth; its manifest is an index that may lag behind it after a crash
(burro rewrites it every few records, not every record). Opening compares the two and rebuilds
the index from the file when they disagree, dropping a torn (unterminated) last line.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from burro.files import atomic_output
from burro.tub.manifest import write_atomically
from burro.tub.problems import ProblemLog
from burro.values import is_index, is_int


@dataclass
class Catalog:
    path: Path
    start_index: int
    line_lengths: list[int] = field(default_factory=list)
    created_at: float = field(default_factory=time.time)
    torn_bytes: int = 0  # unterminated bytes after the last complete line
    rebuilt: bool = False  # the index was rebuilt from the file: its manifest is stale

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def manifest_path(self) -> Path:
        return self.path.with_suffix(".catalog_manifest")

    @property
    def size(self) -> int:
        """Bytes of complete lines."""
        return sum(self.line_lengths)

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.line_lengths)

    def manifest_text(self) -> str:
        return json.dumps({"created_at": self.created_at, "line_lengths": self.line_lengths,
                           "path": self.manifest_path.name, "start_index": self.start_index},
                          sort_keys=True) + "\n"

    def write_manifest(self, sync: bool = False) -> None:
        write_atomically(self.manifest_path, self.manifest_text(), sync)

    def read_line(self, position: int) -> bytes:
        """One line by its position; its offset is the sum of the lengths before it."""
        with open(self.path, "rb") as file:
            file.seek(sum(self.line_lengths[:position]))
            return file.read(self.line_lengths[position])

    def read_lines(self) -> list[bytes]:
        """The complete lines, without their newlines."""
        with open(self.path, "rb") as file:
            data = file.read(self.size)
        return data.split(b"\n")[:-1]

    def rewrite(self, lines: list[bytes]) -> None:
        """Replace the catalog by `lines` (without newlines) and its manifest with them, each
        file atomically. The caller holds the tub's recorder lock."""
        with atomic_output(self.path) as temporary, open(temporary, "wb") as file:
            file.write(b"".join(line + b"\n" for line in lines))
            file.flush()
            os.fsync(file.fileno())
        self.line_lengths = [len(line) + 1 for line in lines]
        self.torn_bytes = 0
        self.write_manifest(sync=True)


def load_catalog(path: Path, start_index: int, problems: ProblemLog) -> Catalog:
    """Index one catalog, trusting its manifest only when it matches the file."""
    catalog = Catalog(path, start_index)
    try:
        file_size = path.stat().st_size
        stored = _read_catalog_manifest(catalog.manifest_path)
        if stored is not None:
            catalog.created_at = stored.get("created_at", catalog.created_at)
            catalog.start_index = stored.get("start_index", start_index)
            catalog.line_lengths = stored["line_lengths"]
        if stored is None or catalog.size != file_size or not _ends_lines(path, catalog):
            _rebuild_index(catalog, problems, stored and stored["line_lengths"])
    except OSError as error:
        problems.report(path.name, None, f"catalog cannot be read ({error.strerror}); "
                        "its records are skipped", record_skipped=False)
        catalog.line_lengths = []
    return catalog


def _read_catalog_manifest(path: Path) -> dict | None:
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(stored, dict):
        return None
    lengths = stored.get("line_lengths")
    if not isinstance(lengths, list) or not all(is_int(n) and n > 0 for n in lengths):
        return None
    if not isinstance(stored.get("created_at", 0.0), (int, float)):
        stored.pop("created_at")
    if not is_index(stored.get("start_index", 0)):
        stored.pop("start_index")
    return stored


def _ends_lines(path: Path, catalog: Catalog) -> bool:
    """The byte before the first and the last indexed line end is a newline (cheap sanity check)."""
    if not catalog.line_lengths:
        return True
    with open(path, "rb") as file:
        file.seek(catalog.line_lengths[0] - 1)
        first = file.read(1)
        file.seek(catalog.size - 1)
        return first == b"\n" and file.read(1) == b"\n"


def _rebuild_index(catalog: Catalog, problems: ProblemLog, stored: list[int] | None) -> None:
    data = catalog.path.read_bytes()
    *complete, torn = data.split(b"\n")
    catalog.line_lengths = [len(line) + 1 for line in complete]
    catalog.torn_bytes = len(torn)
    catalog.rebuilt = catalog.line_lengths != stored  # not when only a torn tail follows
    if catalog.rebuilt:
        problems.report(catalog.manifest_path.name, None, "line_lengths do not match the catalog "
                        "(a recording not closed, or an edit): rebuilt while reading — `burro "
                        "tub check --repair` or the next recording rewrites it",
                        record_skipped=False)
    if torn:
        problems.report(catalog.name, None, f"torn last line dropped ({len(torn)} bytes "
                        "without a newline, probably a crash while recording)",
                        record_skipped=False, line_number=len(complete) + 1)


class CatalogAppender:
    """Appends record lines to a catalog with one unbuffered write each, so a line reaches the
    OS as a whole before the caller goes on; the process can die any time after that."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        if catalog.torn_bytes:
            os.truncate(catalog.path, catalog.size)
            catalog.torn_bytes = 0
        self._file = open(catalog.path, "ab", buffering=0)  # noqa: SIM115 (held until close)

    def append(self, line: bytes) -> None:
        self._file.write(line)
        self.catalog.line_lengths.append(len(line))

    def sync(self) -> None:
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()

