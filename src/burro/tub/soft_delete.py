"""Soft delete, as in Donkey: indexes go into the manifest's `deleted_indexes`, nothing is
removed from disk, readers skip them, restoring takes them out again."""

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from burro.tub.lock import TubLock
from burro.tub.manifest import read_manifest, write_manifest
from burro.tub.problems import TubError
from burro.tub.reading import catalog_lines, parse_line
from burro.tub.recorder import refuse_if_read_only
from burro.values import is_index

if TYPE_CHECKING:
    from burro.tub.tub import Tub


def delete_records(tub: "Tub", indexes: int | Iterable[int]) -> list[int]:
    wanted = _checked_indexes(tub, indexes)
    added = sorted(wanted - tub.deleted_indexes)
    tub.manifest.deleted_indexes |= wanted
    _save_manifest(tub)
    return added


def restore_records(tub: "Tub", indexes: int | Iterable[int]) -> list[int]:
    wanted = _checked_indexes(tub, indexes)
    restored = sorted(wanted & tub.deleted_indexes)
    tub.manifest.deleted_indexes -= wanted
    _save_manifest(tub)
    return restored


def delete_last_n_records(tub: "Tub", count: int) -> list[int]:
    chosen, index = [], tub.end_index - 1
    while len(chosen) < count and index >= 0:
        if index not in tub.deleted_indexes:
            chosen.append(index)
        index -= 1
    return delete_records(tub, chosen)


def delete_last_seconds(tub: "Tub", seconds: float) -> list[int]:
    newest, chosen = None, []
    for index, timestamp in _timestamps_newest_first(tub):
        newest = timestamp if newest is None else newest
        if timestamp < newest - seconds * 1000:
            break
        chosen.append(index)
    return delete_records(tub, chosen)


def _timestamps_newest_first(tub: "Tub") -> Iterator[tuple[int, int]]:
    for catalog in reversed(tub.catalogs):
        for line in reversed(catalog_lines(tub, catalog)):
            data, _ = parse_line(line)
            if not isinstance(data, dict):
                continue
            index, timestamp = data.get("_index"), data.get("_timestamp_ms")
            if is_index(index) and is_index(timestamp) and index not in tub.deleted_indexes:
                yield index, timestamp


def _checked_indexes(tub: "Tub", indexes: int | Iterable[int]) -> set[int]:
    wanted = {indexes} if isinstance(indexes, int) else set(indexes)
    outside = sorted(i for i in wanted if not (is_index(i) and i < tub.end_index))
    if outside:
        raise TubError(f"no record with index {outside[0]}", str(tub.path),
                       f"indexes go from 0 to {tub.end_index - 1}")
    return wanted


def _save_manifest(tub: "Tub") -> None:
    if tub.is_v1:
        raise TubError("burro does not change Donkey v1 tubs", str(tub.path),
                       "convert it first: burro tub convert OLD NEW")
    refuse_if_read_only(tub.path)
    if tub.recorder is not None:
        tub.recorder.save_manifest()
        return
    with TubLock(tub.path):  # a recorder would write its own deleted list back
        # Re-read so a manifest written meanwhile is not overwritten with stale lines.
        deleted = tub.manifest.deleted_indexes
        tub.manifest = read_manifest(tub.path)
        tub.manifest.deleted_indexes = deleted
        tub.manifest.current_index = max(tub.manifest.current_index, tub.end_index)
        write_manifest(tub.path, tub.manifest)
