"""Writing a tub: the recorder behind `Tub(path, inputs, types, ...)`.

Crash safety rests on the write order: the image files first, then the record line in one
unbuffered write, and only every few records (and at close) the two manifests, each replaced
atomically. Opening reconciles the manifests with what the catalog files really hold, and one
recorder at a time holds the tub's lock.

A `catalog_N.catalog` that the manifest does not list (a tub copied over an older recording) is
never appended to: opening sets it aside as `catalog_N.catalog.unlisted-<k>`, and says so.
"""

import atexit
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from burro.errors import BurroError
from burro.tub.catalog import Catalog, CatalogAppender, load_catalog
from burro.tub.encode import encode_value, record_line
from burro.tub.images import (
    image_file_name,
    image_pixels,
    save_image_bytes,
    save_jpeg,
    save_png16,
)
from burro.tub.lock import TubLock
from burro.tub.manifest import (
    IMAGE_TYPES,
    MANIFEST_NAME,
    TYPES,
    Manifest,
    read_manifest,
    write_manifest,
)
from burro.tub.problems import TubError, log
from burro.tub.reading import parse_line
from burro.tub.sessions import new_session_id
from burro.tub.validation import unlisted_catalogs
from burro.values import is_index

if TYPE_CHECKING:
    from pathlib import Path

    from burro.tub.tub import Tub

FLUSH_EVERY_RECORDS = 100
FLUSH_EVERY_SECONDS = 1.0


class Recorder:
    def __init__(self, tub: "Tub", inputs: list[str], types: list[str], metadata: dict,
                 max_len: int):
        self.tub = tub
        self.set_aside: list[tuple[str, str]] = []  # (unlisted catalog, the name it got)
        _check_schema(inputs, types, tub.path)
        self.lock = TubLock(tub.path)
        try:
            self._open_files(inputs, types, metadata, max_len)
        except BaseException:
            self.lock.release()
            raise
        self.session_id = new_session_id(tub.manifest.sessions)
        self._session_started = False
        self._unflushed = 0
        self._last_flush = time.monotonic()
        atexit.register(self.close)

    @property
    def manifest(self) -> Manifest:
        return self.tub.manifest

    @property
    def catalog(self) -> Catalog:
        return self.appender.catalog

    # ----- opening ----------------------------------------------------------------------------
    def _open_files(self, inputs: list[str], types: list[str], metadata: dict,
                    max_len: int) -> None:
        try:
            if (self.tub.path / MANIFEST_NAME).exists():
                self._open_existing(inputs, types, metadata)
            else:
                self._create(inputs, types, metadata, max_len)
            self.appender = CatalogAppender(self.tub.catalogs[-1])
        except OSError as error:
            raise TubError(f"cannot open the tub for recording: {error.strerror}",
                           str(error.filename or self.tub.path),
                           "check the folder's permissions and free disk space") from None

    def _create(self, inputs: list[str], types: list[str], metadata: dict, max_len: int) -> None:
        path = self.tub.path
        if (path / "meta.json").exists():
            raise TubError("this is a Donkey v1 tub", str(path),
                           "convert it first: burro tub convert OLD NEW")
        leftovers = unlisted_catalogs(path, [])
        if any(catalog.stat().st_size for catalog in leftovers):
            raise TubError("the folder holds catalog files but no manifest.json", str(path),
                           "run `burro tub check --repair` to rebuild it, or record elsewhere")
        for empty in leftovers:  # a creation cut short before manifest.json was written
            empty.unlink()
        if not isinstance(max_len, int) or max_len < 1:
            raise TubError(f"max_catalog_len must be a positive integer, got {max_len!r}",
                           str(path), "set MAX_CATALOG_LEN to e.g. 1000")
        try:
            self.tub.images_path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TubError(f"cannot create the tub folder: {error.strerror}", str(path),
                           "check the path and its permissions") from None
        self.lock.acquire()
        self.tub.manifest = Manifest(inputs, types, metadata, max_len=max_len)
        self.tub.catalogs.clear()
        self.start_catalog(0)

    def _open_existing(self, inputs: list[str], types: list[str], metadata: dict) -> None:
        refuse_if_read_only(self.tub.path)
        self.tub.images_path.mkdir(exist_ok=True)
        self.lock.acquire()  # before the repair below writes anything
        self.tub.manifest = read_manifest(self.tub.path)
        manifest = self.tub.manifest
        if (inputs or types) and (inputs, types) != (manifest.inputs, manifest.types):
            raise TubError("the tub records other keys/types than asked for", str(self.tub.path),
                           "record into a new tub folder, or use the same inputs: "
                           f"{manifest.inputs} {manifest.types}")
        manifest.metadata.update(metadata)
        self.tub.catalogs[:] = self._load_catalogs()
        self._set_aside_unlisted_catalogs()
        self._repair_for_append()

    def _load_catalogs(self) -> list[Catalog]:
        catalogs, start = [], 0
        for name in self.manifest.paths:
            catalog = load_catalog(self.tub.path / name, start, self.tub.problems)
            catalogs.append(catalog)
            start = catalog.end_index
        return catalogs

    def _set_aside_unlisted_catalogs(self) -> None:
        for path in unlisted_catalogs(self.tub.path, self.manifest.paths):
            self._set_aside(path)

    def _set_aside(self, path: "Path") -> None:
        number = 1
        while any(p.with_name(f"{p.name}.unlisted-{number}").exists()
                  for p in (path, path.with_suffix(".catalog_manifest"))):
            number += 1
        for old in (path, path.with_suffix(".catalog_manifest")):
            if old.exists():
                os.rename(old, old.with_name(f"{old.name}.unlisted-{number}"))
        new_name = f"{path.name}.unlisted-{number}"
        self.set_aside.append((path.name, new_name))
        log.warning("%s: %s is not listed in manifest.json: set aside as %s (its lines were "
                    "never read; recording goes on in a new catalog)", self.tub.path,
                    path.name, new_name)

    def _repair_for_append(self) -> None:
        """Make manifest.json and the last catalog manifest agree with the catalog files."""
        tub, manifest = self.tub, self.manifest
        if not tub.catalogs or not tub.catalogs[-1].path.exists():
            tub.catalogs[:] = [c for c in tub.catalogs if c.path.exists()]
            manifest.paths = [c.name for c in tub.catalogs]
            start = tub.catalogs[-1].end_index if tub.catalogs else 0
            self.start_catalog(max(start, manifest.current_index))
        last = tub.catalogs[-1]
        following = max(last.end_index, _last_held_index(last) + 1)
        if manifest.current_index != following and last.line_lengths:
            log.info("%s: current_index %d updated to %d, the records in the catalogs (the "
                     "last recording was not closed)", tub.path, manifest.current_index,
                     following)
            manifest.current_index = following
        beyond = {i for i in manifest.deleted_indexes if i >= manifest.current_index}
        manifest.deleted_indexes -= beyond
        for stale in tub.path.glob("*.tmp"):
            stale.unlink(missing_ok=True)
        if last.torn_bytes:
            CatalogAppender(last).close()  # truncates the torn tail
        for catalog in tub.catalogs:
            if catalog.rebuilt or catalog is last:
                catalog.write_manifest()
                catalog.rebuilt = False
        write_manifest(tub.path, manifest)

    def start_catalog(self, start_index: int) -> None:
        number = len(self.manifest.paths)
        while f"catalog_{number}.catalog" in self.manifest.paths:
            number += 1
        path = self.tub.path / f"catalog_{number}.catalog"
        if path.exists():  # not listed: never append to stale lines
            self._set_aside(path)
        catalog = Catalog(path, start_index)
        catalog.path.touch()
        catalog.write_manifest()
        self.tub.catalogs.append(catalog)
        self.manifest.paths.append(catalog.name)
        write_manifest(self.tub.path, self.manifest)

    # ----- writing ----------------------------------------------------------------------------
    def write_record(self, record: Mapping, timestamp_ms: int | None) -> int:
        index = self.manifest.current_index
        now = time.time()
        values, images = self._encode(record, index)
        stamp = round(now * 1000) if timestamp_ms is None else int(timestamp_ms)
        values.update(_index=index, _timestamp_ms=stamp, _session_id=self.session_id)
        line = record_line(values)
        self._roll_over_if_full(index)
        if not self._session_started:
            self._record_session()
        self._save_images(images)
        try:
            self.appender.append(line)
        except OSError as error:
            raise TubError(f"cannot write the record: {error.strerror}",
                           str(self.catalog.path), "check free disk space") from None
        self.manifest.current_index = index + 1
        self._after_write()
        return index

    def _encode(self, record: Mapping, index: int) -> tuple[dict, list]:
        values, images = {}, []
        for key, value in record.items():
            kind = self.tub.type_of(key)
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
        folder, quality = self.tub.images_path, self.tub.jpeg_quality
        for key, kind, value, name in images:
            try:
                if isinstance(value, bytes):
                    save_image_bytes(value, folder / name, kind, quality)
                elif kind == "image_array":
                    save_jpeg(value, folder / name, quality)
                else:
                    save_png16(value, folder / name)
            except (ValueError, SyntaxError) as error:  # encoded bytes that do not decode
                raise BurroError(f"cannot store image '{key}': {error}", str(self.tub.path),
                                 "pass JPEG/PNG file bytes or a pixel array") from None
            except OSError as error:
                raise TubError(f"cannot write image file: {error.strerror}",
                               str(folder / name), "check free disk space") from None

    def _roll_over_if_full(self, index: int) -> None:
        lines = len(self.catalog.line_lengths)
        if lines and (index % self.manifest.max_len == 0 or lines >= self.manifest.max_len):
            self._flush(sync=True)
            self.appender.close()
            self.start_catalog(index)
            self.appender = CatalogAppender(self.tub.catalogs[-1])

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
        number = int(self.session_id.rsplit("_", 1)[1])
        all_ids = sessions.get("all_full_ids")
        sessions["all_full_ids"] = [*(all_ids if isinstance(all_ids, list) else []),
                                    self.session_id]
        sessions["last_id"] = number
        sessions["last_full_id"] = self.session_id
        self._session_started = True
        self._flush()

    def _flush(self, sync: bool = False) -> None:
        if sync:
            self.appender.sync()
        self.catalog.write_manifest(sync)
        write_manifest(self.tub.path, self.manifest)
        self._unflushed = 0
        self._last_flush = time.monotonic()

    def save_manifest(self) -> None:
        write_manifest(self.tub.path, self.manifest)

    def rewrite_catalog(self, catalog: Catalog, lines: list[bytes]) -> None:
        """Replace a catalog's lines (repairs), keeping the appender on the live file."""
        reopen = catalog is self.catalog
        if reopen:
            self.appender.close()
        catalog.rewrite(lines)
        if reopen:
            self.appender = CatalogAppender(catalog)

    def close(self) -> None:
        try:
            self._flush(sync=True)
        finally:
            self.appender.close()
            self.lock.release()
            atexit.unregister(self.close)


def refuse_if_read_only(tub_path: "Path") -> None:
    # By mode bits rather than os.access: root may write anywhere, but a tub someone made
    # read-only (an archive, shared data) must stay untouched.
    manifest = tub_path / MANIFEST_NAME
    if manifest.exists() and not manifest.stat().st_mode & 0o222:
        raise TubError("the tub is read-only (manifest.json has no write permission)",
                       str(tub_path), "work on a copy, or `chmod u+w` its manifest.json")


def _last_held_index(catalog: Catalog) -> int:
    """The `_index` of the catalog's last line (-1 when there is none to read)."""
    if not catalog.line_lengths:
        return -1
    try:
        data, _ = parse_line(catalog.read_line(len(catalog.line_lengths) - 1))
    except OSError:
        return -1
    index = data.get("_index") if isinstance(data, dict) else None
    return index if is_index(index) else -1


def _checked_image(key: str, kind: str, value):
    if isinstance(value, bytes):
        return value
    try:
        return image_pixels(kind, value)
    except (ValueError, TypeError) as error:
        raise BurroError(f"cannot store image '{key}': {error}", f"{type(value).__name__}",
                         "pass an HxWx3 uint8 array (HxW uint16 for gray16_array)") from None


def _check_schema(inputs: list[str], types: list[str], path: "Path") -> None:
    if len(inputs) != len(types):
        raise TubError(f"{len(inputs)} inputs but {len(types)} types", str(path),
                       "give one type per input key")
    unknown = [kind for kind in types if kind not in TYPES]
    if unknown:
        raise TubError(f"unknown record type '{unknown[0]}'", str(path),
                       f"use one of: {', '.join(TYPES)}")
    if len(set(inputs)) != len(inputs):
        raise TubError("an input key is listed twice", str(path), "list each key once")


