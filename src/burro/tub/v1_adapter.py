"""A Donkey v1 tub behind the `Tub` face: read-only, images beside the records, indexes from
the `record_<n>.json` names, `exclude.json` as the deleted records, sessions from time gaps."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from burro.tub.manifest import MANIFEST_NAME, Manifest
from burro.tub.record import Record
from burro.tub.sessions import LegacySessions
from burro.tub.v1 import META_NAME, V1Tub

if TYPE_CHECKING:
    from burro.tub.tub import Tub
    from burro.tub.validation import ReadPass


def is_v1_tub(path) -> bool:
    return not (path / MANIFEST_NAME).exists() and (path / META_NAME).is_file()


def open_v1(tub: "Tub") -> V1Tub:
    """Fill in `tub` from the v1 tub at `tub.path`; returns the v1 reader."""
    v1 = V1Tub(tub.path, tub.problems)
    tub.images_path = tub.path
    indexes = v1.record_indexes()
    end = indexes[-1] + 1 if indexes else 0
    tub.manifest = Manifest(v1.inputs, v1.v2_types, v1.metadata, current_index=end,
                            deleted_indexes=set(v1.excluded))
    return v1


def v1_records(tub: "Tub", v1: V1Tub, check: "ReadPass") -> Iterator[Record]:
    sessions = LegacySessions()
    for record in v1:
        session = sessions.session_of(record.timestamp_ms)
        check.saw(f"record_{record.index}.json", record.index, None)
        if record.index in tub.deleted_indexes:
            check.deleted += 1
        elif check.is_good(f"record_{record.index}.json", record.index, record.values):
            yield Record(record.values, tub, record.index, session, record.timestamp_ms)


def v1_record_count(tub: "Tub", v1: V1Tub) -> int:
    return sum(1 for i in v1.record_indexes() if i not in tub.deleted_indexes)
