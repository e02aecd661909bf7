"""Reading a v2 tub's catalogs into records.

Each line is identified by its catalog file and line number and by the `_index` it really
holds (a catalog manifest's `start_index` can disagree with its lines). A line that starts
with junk bytes (NUL bytes, written by a power cut while the file grew) followed by a complete
record yields that record.
"""

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from burro.tub.record import Record
from burro.tub.sessions import LegacySessions
from burro.values import is_index

if TYPE_CHECKING:
    from burro.tub.catalog import Catalog
    from burro.tub.tub import Tub
    from burro.tub.validation import ReadPass

EMPTY_KEY = "__empty__"  # Donkey's placeholder filling index gaps of converted v1 tubs
NUL = b"\x00"


def v2_records(tub: "Tub", check: "ReadPass") -> Iterator[Record]:
    """Good, non-deleted records in catalog order; the rest goes to `check`."""
    sessions = LegacySessions()
    for catalog in tub.catalogs:
        for position, line in enumerate(catalog_lines(tub, catalog)):
            record = _record(tub, check, catalog, position, line, sessions)
            if record is not None:
                yield record


def catalog_lines(tub: "Tub", catalog: "Catalog") -> list[bytes]:
    try:
        return catalog.read_lines()
    except OSError as error:
        tub.problems.report(catalog.name, None, f"catalog cannot be read: {error}",
                            record_skipped=False)
        return []


def parse_line(line: bytes) -> tuple[Any, int]:
    """The JSON value of a line (None when it is not JSON) and the number of junk bytes cut
    before it: everything up to the last NUL byte."""
    cut = line.rfind(NUL) + 1
    try:
        return json.loads(line[cut:]), cut
    except (ValueError, RecursionError):
        return None, cut


def line_index(data: dict, catalog: "Catalog", position: int) -> Any:
    """The record's `_index`; lines of old tubs without one count from `start_index`."""
    return data.get("_index", catalog.start_index + position)


def _record(tub: "Tub", check: "ReadPass", catalog: "Catalog", position: int, line: bytes,
            sessions: LegacySessions) -> Record | None:
    data, cut = parse_line(line)
    if not isinstance(data, dict):
        check.junk(catalog, position, line, _junk_kind(data, line, cut))
        return None
    index = line_index(data, catalog, position)
    if "_index" not in data:
        check.unindexed.add(catalog.name)
    if not is_index(index):
        check.junk(catalog, position, line, "bad _index")
        return None
    if cut:
        check.recovered(catalog, position, cut)
    timestamp = data.get("_timestamp_ms")
    if not is_index(timestamp):
        timestamp = None
    session = data.get("_session_id")
    stamped = session if isinstance(session, str) else None
    session = stamped or sessions.session_of(timestamp)
    check.saw(catalog.name, index, stamped)
    if index in tub.deleted_indexes or data.get(EMPTY_KEY) is True:
        check.deleted += data.get(EMPTY_KEY) is not True
        return None
    if not check.is_good(catalog.name, index, data):
        return None
    return Record(data, tub, index, session, timestamp)


def _junk_kind(data: Any, line: bytes, cut: int) -> str:
    if cut and not line[cut:].strip():
        return "NUL bytes only"
    if data is None:
        return "malformed JSON"
    return "not a JSON object"
