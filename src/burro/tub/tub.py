"""`Tub`: the public face of a Donkey Car tub (see docs/tub.md for the format and guarantees).

`Tub(path)` reads (a v2 tub, or a v1 tub through `v1_adapter`); `Tub(path, inputs, types, ...)`
records into it through a `Recorder`. The jobs live beside this file: `reading` (catalog lines
into records), `validation` (what a read checks), `recorder` (writing, lock, flush policy),
`soft_delete` and `v1_adapter`.
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Self

from burro.tub import soft_delete
from burro.tub.catalog import Catalog, load_catalog
from burro.tub.images import image_size
from burro.tub.manifest import IMAGE_TYPES, MANIFEST_NAME, TYPES, metadata_dict, read_manifest
from burro.tub.problems import ProblemLog, TubError
from burro.tub.reading import EMPTY_KEY, v2_records
from burro.tub.record import Record
from burro.tub.recorder import FLUSH_EVERY_RECORDS, FLUSH_EVERY_SECONDS, Recorder
from burro.tub.v1 import V1Tub
from burro.tub.v1_adapter import is_v1_tub, open_v1, v1_record_count, v1_records
from burro.tub.validation import ReadPass

__all__ = ["EMPTY_KEY", "FLUSH_EVERY_RECORDS", "FLUSH_EVERY_SECONDS", "Tub"]


class Tub:
    """A tub folder. `Tub(path)` reads; `Tub(path, inputs, types, metadata)` creates or appends
    (a new session) and is closed by `close()` or the `with` block."""

    def __init__(self, path: str | Path, inputs: list[str] | None = None,
                 types: list[str] | None = None, metadata: dict | list[str] | None = None,
                 max_catalog_len: int = 1000, *, jpeg_quality: int = 75,
                 check_images: bool = True):
        self.path = Path(path).expanduser()
        self.images_path = self.path / "images"
        self.problems = ProblemLog()
        self.check_images = check_images
        self.jpeg_quality = jpeg_quality
        self.catalogs: list[Catalog] = []
        self.recorder: Recorder | None = None
        self.last_read: ReadPass | None = None  # what the last full read found
        self._v1: V1Tub | None = None
        self._type_of: dict[str, str] = {}
        if inputs is None and types is None and is_v1_tub(self.path):
            self._v1 = open_v1(self)
        elif inputs is None and types is None:
            self.manifest = read_manifest(self.path)
            self.catalogs = self._load_catalogs()
        else:
            self.recorder = Recorder(self, list(inputs or []), list(types or []),
                                     metadata_dict(metadata), max_catalog_len)
        self._type_of = dict(zip(self.manifest.inputs, self.manifest.types))
        self._report_unknown_types()

    # ----- properties ------------------------------------------------------------------------
    @property
    def inputs(self) -> list[str]:
        return self.manifest.inputs

    @property
    def types(self) -> list[str]:
        return self.manifest.types

    @property
    def metadata(self) -> dict:
        return self.manifest.metadata

    @property
    def deleted_indexes(self) -> set[int]:
        return self.manifest.deleted_indexes

    @property
    def image_keys(self) -> list[str]:
        return [key for key, kind in self._type_of.items() if kind in IMAGE_TYPES]

    @property
    def end_index(self) -> int:
        """One past the last record index (Donkey's `current_index`)."""
        if self.recorder is not None or not self.catalogs:
            return self.manifest.current_index
        return self.catalogs[-1].end_index

    @property
    def session_id(self) -> str | None:
        """The session this writer stamps into its records (None when reading)."""
        return self.recorder.session_id if self.recorder is not None else None

    @property
    def writable(self) -> bool:
        return self.recorder is not None

    @property
    def is_v1(self) -> bool:
        return self._v1 is not None

    def type_of(self, key: str) -> str | None:
        return self._type_of.get(key)

    def type_items(self) -> ItemsView[str, str]:
        return self._type_of.items()

    def __len__(self) -> int:
        """Record lines not deleted, counted from the catalog indexes without reading them;
        iterate to count the good records."""
        if self._v1 is not None:
            return v1_record_count(self, self._v1)
        deleted = sorted(self.manifest.deleted_indexes)
        return sum(len(catalog.line_lengths) - (bisect_left(deleted, catalog.end_index)
                                                - bisect_left(deleted, catalog.start_index))
                   for catalog in self.catalogs)

    def __repr__(self) -> str:
        return f"Tub({str(self.path)!r}, records={len(self)})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # ----- reading ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Record]:
        """Good, non-deleted records in index order. What is wrong is collected in `problems`
        and, after a full read that found something new, logged as one summary line."""
        check = ReadPass(self)
        if self._v1 is not None:
            yield from v1_records(self, self._v1, check)
        else:
            yield from v2_records(self, check)
        check.finish()
        self.last_read = check
        self.problems.log_new(str(self.path))

    def read_all(self) -> ReadPass:
        """Read every record once (unless a full read was done) and return what it found."""
        if self.last_read is None:
            for _ in self:
                pass
        return self.last_read

    def problem_summary(self) -> str | None:
        """Everything wrong with the tub in one line (a full read, once), None when all is
        well: structural defects, then records and catalog lines grouped by problem with
        index ranges ("3 records have no image: indexes 5-7"), then notes (frame sizes)."""
        self.read_all()
        return self.problems.summary()

    def frame_sizes(self, key: str) -> Counter:
        """(width, height) -> number of good records, for image key `key`, from the image
        file headers only."""
        if self.check_images:
            return Counter(self.read_all().frame_sizes.get(key, ()))
        sizes: Counter = Counter()
        for record in self:
            if key in record and (size := image_size(record.image_path(key))) is not None:
                sizes[size] += 1
        return sizes

    def _load_catalogs(self) -> list[Catalog]:
        catalogs, start = [], 0
        for name in self.manifest.paths:
            catalog = load_catalog(self.path / name, start, self.problems)
            catalogs.append(catalog)
            start = catalog.end_index
        return catalogs

    def _report_unknown_types(self) -> None:
        for key, kind in self._type_of.items():
            if kind not in TYPES:
                self.problems.report(MANIFEST_NAME, None,
                                     f"unknown type '{kind}' of key '{key}': values passed "
                                     "through unchecked")

    # ----- writing ---------------------------------------------------------------------------
    def write_record(self, record: Mapping, timestamp_ms: int | None = None) -> int:
        """Store one record (values of unknown keys and None values are left out, like Donkey);
        returns its index. Images are HxWx3 uint8 arrays (HxW uint16 for gray16_array) or
        already encoded file bytes. A value that cannot be stored raises BurroError before the
        record is written. `timestamp_ms` defaults to now (importers pass the recorded time)."""
        if self.recorder is None:
            raise TubError("the tub is not open for writing", str(self.path),
                           "open it with inputs and types (or it was already closed)")
        return self.recorder.write_record(record, timestamp_ms)

    def close(self) -> None:
        """Write both manifests and sync to disk; the tub is then exactly as Donkey leaves it."""
        if self.recorder is None:
            return
        try:
            self.recorder.close()
        finally:
            self.recorder = None

    # ----- soft delete -----------------------------------------------------------------------
    def delete_records(self, indexes: int | Iterable[int]) -> list[int]:
        """Soft-delete: records stay on disk and can be restored. Returns the newly deleted."""
        return soft_delete.delete_records(self, indexes)

    def restore_records(self, indexes: int | Iterable[int]) -> list[int]:
        return soft_delete.restore_records(self, indexes)

    def delete_last_n_records(self, count: int) -> list[int]:
        """Soft-delete the newest `count` records that are not deleted yet (Donkey's erase)."""
        return soft_delete.delete_last_n_records(self, count)

    def delete_last_seconds(self, seconds: float) -> list[int]:
        """Soft-delete the records of the last `seconds` of recording."""
        return soft_delete.delete_last_seconds(self, seconds)
