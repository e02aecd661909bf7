"""`Tub`: write and read a Donkey Car v2 tub (see docs/tub.md for the format and guarantees).

Crash safety rests on the write order: the image files first, then the record line in one
unbuffered write, and only every few records (and at close) the two manifests, each replaced
atomically. Opening reconciles the manifests with what the catalog files really hold.
"""

import atexit
import json
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Self

from burro.errors import BurroError
from burro.tub.catalog import Catalog, CatalogAppender, load_catalog
from burro.tub.encode import encode_value, record_line
from burro.tub.images import (
    image_file_name,
    image_file_problem,
    image_pixels,
    save_image_bytes,
    save_jpeg,
    save_png16,
)
from burro.tub.lock import TubLock
from burro.tub.manifest import (
    MANIFEST_NAME,
    TYPES,
    Manifest,
    metadata_dict,
    read_manifest,
    write_manifest,
)
from burro.tub.problems import ProblemLog, TubError, log
from burro.tub.record import IMAGE_TYPES, Record, value_problem
from burro.tub.sessions import LegacySessions, new_session_id
from burro.tub.v1 import META_NAME, V1Tub

FLUSH_EVERY_RECORDS = 100
FLUSH_EVERY_SECONDS = 1.0
EMPTY_KEY = "__empty__"  # Donkey's placeholder filling index gaps of converted v1 tubs
SIZE_SAMPLES = 7  # images read to learn a tub's frame size


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
        self._image_sizes: dict[str, tuple[int, int]] = {}
        self._appender: CatalogAppender | None = None
        self._v1: V1Tub | None = None
        if inputs is None and types is None and _is_v1_tub(self.path):
            self._open_v1()
        elif inputs is None and types is None:
            self.manifest = read_manifest(self.path)
            self._catalogs = self._load_catalogs()
        else:
            self._open_for_writing(list(inputs or []), list(types or []),
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
    def catalogs(self) -> list[Catalog]:
        return self._catalogs

    @property
    def image_keys(self) -> list[str]:
        return [key for key, kind in self._type_of.items() if kind in IMAGE_TYPES]

    @property
    def end_index(self) -> int:
        """One past the last record index (Donkey's `current_index`)."""
        if self._appender is not None or not self._catalogs:
            return self.manifest.current_index
        return self._catalogs[-1].end_index

    @property
    def session_id(self) -> str | None:
        """The session this writer stamps into its records (None when reading)."""
        return getattr(self, "_session_id", None)

    @property
    def writable(self) -> bool:
        return self._appender is not None

    def type_of(self, key: str) -> str | None:
        return self._type_of.get(key)

    def __len__(self) -> int:
        if self._v1 is not None:
            return sum(1 for i in self._v1_indexes if i not in self.manifest.deleted_indexes)
        deleted = sorted(self.manifest.deleted_indexes)
        return sum(len(catalog.line_lengths) - (bisect_left(deleted, catalog.end_index)
                                                - bisect_left(deleted, catalog.start_index))
                   for catalog in self._catalogs)

    def __repr__(self) -> str:
        return f"Tub({str(self.path)!r}, records={len(self)})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # ----- reading ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Record]:
        """Good, non-deleted records in index order; bad ones are reported once and skipped."""
        if self._v1 is not None:
            yield from self._v1_records()
            return
        sessions = LegacySessions()
        for catalog in self._catalogs:
            for position, line in enumerate(self._catalog_lines(catalog)):
                record = self._parse(catalog, catalog.start_index + position, line, sessions)
                if record is not None:
                    yield record

    def _catalog_lines(self, catalog: Catalog) -> list[bytes]:
        try:
            return catalog.read_lines()
        except OSError as error:
            self.problems.report(catalog.name, None, f"catalog cannot be read: {error}")
            return []

    def _parse(self, catalog: Catalog, position: int, line: bytes,
               sessions: LegacySessions) -> Record | None:
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            if position not in self.manifest.deleted_indexes:  # `check --repair` deletes these
                self.problems.report(catalog.name, position, "malformed JSON line"
                                     if data is None else "line is not a JSON object")
            return None
        index = data.get("_index", position)
        if not _is_index(index):
            self.problems.report(catalog.name, position, f"bad _index {index!r:.40}")
            return None
        timestamp = data.get("_timestamp_ms")
        if not _is_index(timestamp):
            timestamp = None
        session = data.get("_session_id")
        if not isinstance(session, str):
            session = sessions.session_of(timestamp)
        if index in self.manifest.deleted_indexes or data.get(EMPTY_KEY) is True:
            return None
        if not self._is_good(catalog.name, index, data):
            return None
        return Record(data, self, index, session, timestamp)

    def _is_good(self, source: str, index: int, data: dict) -> bool:
        for key, kind in self._type_of.items():
            value = data.get(key)
            if value is None:
                continue
            problem = value_problem(kind, value)
            if problem is not None:
                self.problems.report(source, index, f"'{key}' {problem}")
                return False
            if kind in IMAGE_TYPES and self.check_images:
                problem, _ = image_file_problem(self.images_path / value,
                                                self._image_size(key))
                if problem is not None:
                    in_tub = value if self._v1 is not None else f"images/{value}"
                    self.problems.report(in_tub, index, problem)
                    return False
        return True

    def _image_size(self, key: str) -> tuple[int, int] | None:
        """The frame size most of a few images spread over the tub have (so that one odd first
        frame does not make every other frame look wrong)."""
        if key not in self._image_sizes:
            sizes = Counter(size for name in self._sample_values(key, SIZE_SAMPLES)
                            if (size := image_file_problem(self.images_path / name, None)[1]))
            self._image_sizes[key] = sizes.most_common(1)[0][0] if sizes else None
        return self._image_sizes[key]

    def _sample_values(self, key: str, count: int) -> list:
        lines = [(catalog, position) for catalog in self._catalogs
                 for position in range(len(catalog.line_lengths))]
        values = []
        for catalog, position in lines[::max(1, len(lines) // count)][:count]:
            try:
                data = json.loads(catalog.read_line(position))
            except (OSError, ValueError, RecursionError):
                continue
            value = data.get(key) if isinstance(data, dict) else None
            if isinstance(value, str) and value_problem("image_array", value) is None:
                values.append(value)
        return values

    def _open_v1(self) -> None:
        """A Donkey v1 tub, read-only: images lie beside the records, sessions by time gaps."""
        self._v1 = V1Tub(self.path, self.problems)
        self.images_path = self.path
        self._v1_indexes = self._v1.record_indexes()
        end = self._v1_indexes[-1] + 1 if self._v1_indexes else 0
        self.manifest = Manifest(self._v1.inputs, self._v1.v2_types, self._v1.metadata,
                                 current_index=end, deleted_indexes=set(self._v1.excluded))
        self._catalogs = []

    def _v1_records(self) -> Iterator[Record]:
        sessions = LegacySessions()
        for record in self._v1:
            session = sessions.session_of(record.timestamp_ms)
            if (record.index not in self.manifest.deleted_indexes
                    and self._is_good(f"record_{record.index}.json", record.index,
                                      record.values)):
                yield Record(record.values, self, record.index, session, record.timestamp_ms)

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
    def _open_for_writing(self, inputs: list[str], types: list[str], metadata: dict,
                          max_len: int) -> None:
        _check_schema(inputs, types, self.path)
        self._lock = TubLock(self.path)
        try:
            self._open_files_for_writing(inputs, types, metadata, max_len)
        except BaseException:
            self._lock.release()
            raise
        self._session_id = new_session_id(self.manifest.sessions)
        self._session_started = False
        self._unflushed = 0
        self._last_flush = time.monotonic()
        atexit.register(self.close)

    def _open_files_for_writing(self, inputs: list[str], types: list[str], metadata: dict,
                                max_len: int) -> None:
        try:
            if (self.path / MANIFEST_NAME).exists():
                self._open_existing(inputs, types, metadata)
            else:
                self._create(inputs, types, metadata, max_len)
            self._appender = CatalogAppender(self._catalogs[-1])
        except OSError as error:
            raise TubError(f"cannot open the tub for recording: {error.strerror}",
                           str(error.filename or self.path),
                           "check the folder's permissions and free disk space") from None

    def _create(self, inputs: list[str], types: list[str], metadata: dict, max_len: int) -> None:
        if (self.path / "meta.json").exists():
            raise TubError("this is a Donkey v1 tub", str(self.path),
                           "convert it first: burro tub convert OLD NEW")
        if not isinstance(max_len, int) or max_len < 1:
            raise TubError(f"max_catalog_len must be a positive integer, got {max_len!r}",
                           str(self.path), "set MAX_CATALOG_LEN to e.g. 1000")
        try:
            self.images_path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TubError(f"cannot create the tub folder: {error.strerror}", str(self.path),
                           "check the path and its permissions") from None
        self._lock.acquire()
        self.manifest = Manifest(inputs, types, metadata, max_len=max_len)
        self._catalogs = []
        self._start_catalog(0)

    def _open_existing(self, inputs: list[str], types: list[str], metadata: dict) -> None:
        self._refuse_if_read_only()
        self.images_path.mkdir(exist_ok=True)
        self._lock.acquire()  # before the repair below writes anything
        self.manifest = read_manifest(self.path)
        if (inputs or types) and (inputs, types) != (self.manifest.inputs, self.manifest.types):
            raise TubError("the tub records other keys/types than asked for", str(self.path),
                           "record into a new tub folder, or use the same inputs: "
                           f"{self.manifest.inputs} {self.manifest.types}")
        self.manifest.metadata.update(metadata)
        self._catalogs = self._load_catalogs()
        self._repair_for_append()

    def _repair_for_append(self) -> None:
        """Make manifest.json and the last catalog manifest agree with the catalog files."""
        if not self._catalogs or not self._catalogs[-1].path.exists():
            self._catalogs = [c for c in self._catalogs if c.path.exists()]
            self.manifest.paths = [c.name for c in self._catalogs]
            start = self._catalogs[-1].end_index if self._catalogs else 0
            self._start_catalog(max(start, self.manifest.current_index))
        last = self._catalogs[-1]
        if self.manifest.current_index != last.end_index and last.line_lengths:
            log.info("%s: current_index %d updated to %d, the records in the catalogs (the "
                     "last recording was not closed)", self.path, self.manifest.current_index,
                     last.end_index)
            self.manifest.current_index = last.end_index
        beyond = {i for i in self.manifest.deleted_indexes if i >= self.manifest.current_index}
        self.manifest.deleted_indexes -= beyond
        for stale in self.path.glob("*.tmp"):
            stale.unlink(missing_ok=True)
        if last.torn_bytes:
            CatalogAppender(last).close()  # truncates the torn tail
        for catalog in self._catalogs:
            if catalog.rebuilt or catalog is last:
                catalog.write_manifest()
                catalog.rebuilt = False
        write_manifest(self.path, self.manifest)

    def _start_catalog(self, start_index: int) -> None:
        catalog = Catalog(self.path / f"catalog_{len(self.manifest.paths)}.catalog", start_index)
        catalog.path.touch()
        catalog.write_manifest()
        self._catalogs.append(catalog)
        self.manifest.paths.append(catalog.name)
        write_manifest(self.path, self.manifest)

    def write_record(self, record: Mapping, timestamp_ms: int | None = None) -> int:
        """Store one record (values of unknown keys and None values are left out, like Donkey);
        returns its index. Images are HxWx3 uint8 arrays (HxW uint16 for gray16_array) or
        already encoded file bytes. A value that cannot be stored raises BurroError before the
        record is written. `timestamp_ms` defaults to now (importers pass the recorded time)."""
        if self._appender is None:
            raise TubError("the tub is not open for writing", str(self.path),
                           "open it with inputs and types (or it was already closed)")
        index = self.manifest.current_index
        now = time.time()
        values, images = self._encode(record, index)
        stamp = round(now * 1000) if timestamp_ms is None else int(timestamp_ms)
        values.update(_index=index, _timestamp_ms=stamp,
                      _session_id=self._session_id)
        line = record_line(values)
        self._roll_over_if_full(index)
        if not self._session_started:
            self._record_session()
        self._save_images(images)
        try:
            self._appender.append(line)
        except OSError as error:
            raise TubError(f"cannot write the record: {error.strerror}",
                           str(self._appender.catalog.path), "check free disk space") from None
        self.manifest.current_index = index + 1
        self._after_write()
        return index

    def _encode(self, record: Mapping, index: int) -> tuple[dict, list]:
        values, images = {}, []
        for key, value in record.items():
            kind = self._type_of.get(key)
            if value is None or kind is None:
                continue
            if kind in IMAGE_TYPES:
                name = image_file_name(index, key, ".jpg" if kind == "image_array" else ".png")
                images.append((key, kind, _checked_image(key, kind, value), name))
                values[key] = name
            else:
                values[key] = encode_value(key, kind, value)
        return values, images

    def _save_images(self, images: list) -> None:
        for key, kind, value, name in images:
            try:
                if isinstance(value, bytes):
                    save_image_bytes(value, self.images_path / name, kind, self.jpeg_quality)
                elif kind == "image_array":
                    save_jpeg(value, self.images_path / name, self.jpeg_quality)
                else:
                    save_png16(value, self.images_path / name)
            except (ValueError, SyntaxError) as error:  # encoded bytes that do not decode
                raise BurroError(f"cannot store image '{key}': {error}", str(self.path),
                                 "pass JPEG/PNG file bytes or a pixel array") from None
            except OSError as error:
                raise TubError(f"cannot write image file: {error.strerror}",
                               str(self.images_path / name), "check free disk space") from None

    def _roll_over_if_full(self, index: int) -> None:
        lines = len(self._appender.catalog.line_lengths)
        if lines and (index % self.manifest.max_len == 0 or lines >= self.manifest.max_len):
            self._flush(sync=True)
            self._appender.close()
            self._start_catalog(index)
            self._appender = CatalogAppender(self._catalogs[-1])

    def _after_write(self) -> None:
        self._unflushed += 1
        if (self._unflushed >= FLUSH_EVERY_RECORDS
                or time.monotonic() - self._last_flush >= FLUSH_EVERY_SECONDS):
            self._flush()

    def _record_session(self) -> None:
        # Donkey adds the session at close; we add it before the first record is written so
        # that a crash cannot make the next writer reuse this session id.
        sessions = self.manifest.sessions
        self.manifest.manifest_metadata["sessions"] = sessions
        number = int(self._session_id.rsplit("_", 1)[1])
        all_ids = sessions.get("all_full_ids")
        sessions["all_full_ids"] = [*(all_ids if isinstance(all_ids, list) else []),
                                    self._session_id]
        sessions["last_id"] = number
        sessions["last_full_id"] = self._session_id
        self._session_started = True
        self._flush()

    def _flush(self, sync: bool = False) -> None:
        if sync:
            self._appender.sync()
        self._appender.catalog.write_manifest(sync)
        write_manifest(self.path, self.manifest)
        self._unflushed = 0
        self._last_flush = time.monotonic()

    def close(self) -> None:
        """Write both manifests and sync to disk; the tub is then exactly as Donkey leaves it."""
        if self._appender is None:
            return
        try:
            self._flush(sync=True)
        finally:
            self._appender.close()
            self._appender = None
            self._lock.release()
            atexit.unregister(self.close)

    # ----- soft delete -----------------------------------------------------------------------
    def delete_records(self, indexes: int | Iterable[int]) -> list[int]:
        """Soft-delete: records stay on disk and can be restored. Returns the newly deleted."""
        wanted = self._checked_indexes(indexes)
        added = sorted(wanted - self.manifest.deleted_indexes)
        self.manifest.deleted_indexes |= wanted
        self._save_manifest()
        return added

    def restore_records(self, indexes: int | Iterable[int]) -> list[int]:
        wanted = self._checked_indexes(indexes)
        restored = sorted(wanted & self.manifest.deleted_indexes)
        self.manifest.deleted_indexes -= wanted
        self._save_manifest()
        return restored

    def delete_last_n_records(self, count: int) -> list[int]:
        """Soft-delete the newest `count` records that are not deleted yet (Donkey's erase)."""
        chosen, index = [], self.end_index - 1
        while len(chosen) < count and index >= 0:
            if index not in self.manifest.deleted_indexes:
                chosen.append(index)
            index -= 1
        return self.delete_records(chosen)

    def delete_last_seconds(self, seconds: float) -> list[int]:
        """Soft-delete the records of the last `seconds` of recording."""
        newest, chosen = None, []
        for index, timestamp in self._timestamps_newest_first():
            newest = timestamp if newest is None else newest
            if timestamp < newest - seconds * 1000:
                break
            chosen.append(index)
        return self.delete_records(chosen)

    def _timestamps_newest_first(self) -> Iterator[tuple[int, int]]:
        for catalog in reversed(self._catalogs):
            for line in reversed(self._catalog_lines(catalog)):
                try:
                    data = json.loads(line)
                    index, timestamp = data["_index"], data["_timestamp_ms"]
                except (ValueError, RecursionError, KeyError, TypeError):
                    continue
                if (_is_index(index) and _is_index(timestamp)
                        and index not in self.manifest.deleted_indexes):
                    yield index, timestamp

    def _checked_indexes(self, indexes: int | Iterable[int]) -> set[int]:
        wanted = {indexes} if isinstance(indexes, int) else set(indexes)
        outside = sorted(i for i in wanted if not (_is_index(i) and i < self.end_index))
        if outside:
            raise TubError(f"no record with index {outside[0]}", str(self.path),
                           f"indexes go from 0 to {self.end_index - 1}")
        return wanted

    def _refuse_if_read_only(self) -> None:
        # By mode bits rather than os.access: root may write anywhere, but a tub someone made
        # read-only (an archive, shared data) must stay untouched.
        manifest = self.path / MANIFEST_NAME
        if manifest.exists() and not manifest.stat().st_mode & 0o222:
            raise TubError("the tub is read-only (manifest.json has no write permission)",
                           str(self.path), "work on a copy, or `chmod u+w` its manifest.json")

    def _save_manifest(self) -> None:
        if self._v1 is not None:
            raise TubError("burro does not change Donkey v1 tubs", str(self.path),
                           "convert it first: burro tub convert OLD NEW")
        self._refuse_if_read_only()
        if self._appender is not None:
            write_manifest(self.path, self.manifest)
            return
        with TubLock(self.path):  # a recorder would write its own deleted list back
            # Re-read so a manifest written meanwhile is not overwritten with stale lines.
            deleted = self.manifest.deleted_indexes
            self.manifest = read_manifest(self.path)
            self.manifest.deleted_indexes = deleted
            self.manifest.current_index = max(self.manifest.current_index, self.end_index)
            write_manifest(self.path, self.manifest)


def _checked_image(key: str, kind: str, value):
    if isinstance(value, bytes):
        return value
    try:
        return image_pixels(kind, value)
    except (ValueError, TypeError) as error:
        raise BurroError(f"cannot store image '{key}': {error}", f"{type(value).__name__}",
                         "pass an HxWx3 uint8 array (HxW uint16 for gray16_array)") from None


def _is_v1_tub(path: Path) -> bool:
    return not (path / MANIFEST_NAME).exists() and (path / META_NAME).is_file()


def _check_schema(inputs: list[str], types: list[str], path: Path) -> None:
    if len(inputs) != len(types):
        raise TubError(f"{len(inputs)} inputs but {len(types)} types", str(path),
                       "give one type per input key")
    unknown = [kind for kind in types if kind not in TYPES]
    if unknown:
        raise TubError(f"unknown record type '{unknown[0]}'", str(path),
                       f"use one of: {', '.join(TYPES)}")
    if len(set(inputs)) != len(inputs):
        raise TubError("an input key is listed twice", str(path), "list each key once")


def _is_index(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
