"""What one read of a tub checks: each record's values and image files as it goes, and at the
end the tub's structure (duplicate indexes, session ids and catalogs the manifest does not list,
catalog manifests that disagree with their lines, every record deleted, frame sizes).

A `ReadPass` also remembers what `burro tub check --repair` needs: which catalog lines are not
records, which records are bad and which good (by the `_index` their lines really hold).
"""

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from burro.tub.images import MISSING, image_file_problem
from burro.tub.manifest import IMAGE_TYPES, MANIFEST_NAME
from burro.tub.problems import index_ranges
from burro.tub.record import value_problem

if TYPE_CHECKING:
    from burro.tub.catalog import Catalog
    from burro.tub.tub import Tub

CATALOG_NAME = re.compile(r"catalog_(\d+)\.catalog")
HELD_INDEX = re.compile(rb'"_index":\s*(\d+)')
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
LISTED_AT_MOST = 5  # session ids named in one line


class ReadPass:
    def __init__(self, tub: "Tub"):
        self.tub = tub
        self.problems = tub.problems
        self.frame_sizes: dict[str, Counter] = {key: Counter() for key in tub.image_keys}
        self.good_indexes: set[int] = set()
        self.bad_indexes: set[int] = set()
        self.junk_lines: dict[str, list[int]] = {}  # catalog name -> line positions
        self.nul_lines: dict[str, list[int]] = {}  # lines whose record follows NUL bytes
        self.held: dict[str, list[int | None]] = {}  # catalog name -> `_index` of each line
        self.sessions: Counter = Counter()  # `_session_id`s the lines hold
        self.outside_images: dict[str, Path] = {}  # image name -> the folder it lies in
        self.misplaced: set[int] = set()  # records whose image lies in such a folder
        self.unindexed: set[str] = set()  # catalogs with lines without `_index`
        self.deleted = 0
        self.complete = False
        self._places: dict[tuple, tuple[str, str | None]] = {}  # one tuple per place
        self._first_line_of: dict[int, tuple[str, str | None]] = {}
        self._duplicates: dict[int, set[tuple[str, str | None]]] = {}
        self._image_folders: dict[str, Path] | None = None

    # ----- lines ------------------------------------------------------------------------------
    def junk(self, catalog: "Catalog", position: int, line: bytes, what: str) -> None:
        """A line that holds no record."""
        self.junk_lines.setdefault(catalog.name, []).append(position)
        self.held.setdefault(catalog.name, []).append(None)
        held = HELD_INDEX.search(line)
        self.problems.report(catalog.name, int(held.group(1)) if held else None,
                             f"not a record: {what}", line_number=position + 1,
                             group=f"not a record ({what})")

    def recovered(self, catalog: "Catalog", position: int, junk_bytes: int) -> None:
        self.nul_lines.setdefault(catalog.name, []).append(position)
        self.problems.report(catalog.name, None, f"{junk_bytes:,} junk bytes before the record "
                             "(recovered)", record_skipped=False, line_number=position + 1,
                             group="complete records after NUL bytes (a power cut while "
                                   "writing?), read as records — `burro tub check --repair` "
                                   "removes the NUL bytes")

    def saw(self, catalog: str, index: int, session: str | None) -> None:
        """A line holding a record with a valid `_index` (deleted or not)."""
        self.held.setdefault(catalog, []).append(index)
        if session is not None:
            self.sessions[session] += 1
        place = self._places.setdefault((catalog, session), (catalog, session))
        first = self._first_line_of.get(index)
        if first is None:
            self._first_line_of[index] = place
        else:
            self._duplicates.setdefault(index, {first}).add(place)

    # ----- records ----------------------------------------------------------------------------
    def is_good(self, source: str, index: int, data: dict) -> bool:
        """Every value fits its type and every image file is there and complete."""
        for key, kind in self.tub.type_items():
            value = data.get(key)
            if value is None:
                continue
            problem = value_problem(kind, value)
            if problem is not None:
                self.problems.report(source, index, f"'{key}' {problem}",
                                     group=f"a bad '{key}' value ({problem.split(':')[0]})")
                return self._bad(index)
            if kind in IMAGE_TYPES and self.tub.check_images and not self._image_is_good(
                    key, value, index):
                return self._bad(index)
        self.good_indexes.add(index)
        return True

    def _bad(self, index: int) -> bool:
        self.bad_indexes.add(index)
        return False

    def _image_is_good(self, key: str, name: str, index: int) -> bool:
        problem, size = image_file_problem(self.tub.images_path / name)
        in_tub = name if self.tub.is_v1 else f"images/{name}"
        if problem is None:
            self.frame_sizes[key][size] += 1
            return True
        if problem == MISSING and (folder := self._image_folder(name)) is not None:
            self.outside_images[name] = folder
            self.misplaced.add(index)
            where = folder.relative_to(self.tub.path).as_posix() or "."
            self.problems.report(in_tub, index, f"image file is in {where}/, not in images/",
                                 group=f"an image file in {where}/ instead of images/ — "
                                       "`burro tub check --repair` moves it")
        elif problem == MISSING:
            self.problems.report(in_tub, index, problem, group="no image")
        else:
            self.problems.report(in_tub, index, problem, group=f"an unreadable image ({problem})")
        return False

    def _image_folder(self, name: str) -> Path | None:
        """The folder other than images/ where an image file of that name lies."""
        if self.tub.is_v1:
            return None
        if self._image_folders is None:
            self._image_folders = {}
            for folder in _other_image_folders(self.tub.path):
                try:
                    for path in folder.iterdir():
                        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
                            self._image_folders.setdefault(path.name, folder)
                except OSError:
                    continue
        return self._image_folders.get(name)

    # ----- the whole tub ----------------------------------------------------------------------
    def finish(self) -> None:
        """Report what only a full read shows."""
        self._report_duplicates()
        if not self.tub.is_v1:
            self._report_unlisted_sessions()
            self._report_start_indexes()
            self._report_unlisted_catalogs()
        if self.deleted and not self.good_indexes:
            self.problems.report(MANIFEST_NAME, None, f"all {self.deleted:,} records are "
                                 "deleted — `burro tub restore` undoes it", record_skipped=False)
        for key, sizes in self.frame_sizes.items():
            if len(sizes) > 1:
                listed = ", ".join(f"{w}x{h} ({count:,})" for (w, h), count in sizes.most_common())
                self.problems.report(key, None, f"frames of two or more sizes: {listed}",
                                     note=True)
        self.complete = True

    def _report_duplicates(self) -> None:
        if not self._duplicates:
            return
        places = {place for places in self._duplicates.values() for place in places}
        catalogs = sorted({catalog for catalog, _ in places})
        sessions = sorted({session for _, session in places if session is not None})
        in_sessions = f" of sessions {', '.join(sessions)}" if len(sessions) > 1 else ""
        count = len(self._duplicates)
        self.problems.report(", ".join(catalogs), None,
                             f"{count:,} _index value{'s' * (count != 1)} held by more than one "
                             f"line{in_sessions}: {index_ranges(sorted(self._duplicates))} — each "
                             "line is read", record_skipped=False)

    def _report_unlisted_sessions(self) -> None:
        unlisted = sorted(set(self.sessions) - self.tub.manifest.session_ids)
        if unlisted:
            records = sum(self.sessions[session] for session in unlisted)
            more = " ..." if len(unlisted) > LISTED_AT_MOST else ""
            self.problems.report(MANIFEST_NAME, None,
                                 f"session ids of {records:,} record{'s' * (records != 1)} not "
                                 "listed in the manifest: "
                                 f"{', '.join(unlisted[:LISTED_AT_MOST])}{more} — "
                                 "`burro tub check --repair` lists them", record_skipped=False)

    def _report_start_indexes(self) -> None:
        for catalog in self.tub.catalogs:
            if wrong_start_index(catalog, self.held.get(catalog.name, [])):
                first = next(i for i in self.held[catalog.name] if i is not None)
                self.problems.report(catalog.manifest_path.name, None,
                                     f"start_index {catalog.start_index} disagrees with the "
                                     f"_index {first} its first line holds",
                                     record_skipped=False)

    def _report_unlisted_catalogs(self) -> None:
        for path in unlisted_catalogs(self.tub.path, self.tub.manifest.paths):
            self.problems.report(path.name, None, "catalog not listed in manifest.json: its "
                                 "lines are not read — it is set aside by `burro tub check "
                                 "--repair` or the next recording", record_skipped=False)


def wrong_start_index(catalog: "Catalog", held: list[int | None]) -> bool:
    """The first line holding a record holds another `_index` than `start_index` says."""
    first = next((index for index in held if index is not None), None)
    return first is not None and first != catalog.start_index


def unlisted_catalogs(tub_path: Path, listed: list[str]) -> list[Path]:
    try:
        found = [path for path in tub_path.iterdir() if CATALOG_NAME.fullmatch(path.name)]
    except OSError:
        return []
    return sorted((path for path in found if path.name not in listed),
                  key=lambda path: int(CATALOG_NAME.fullmatch(path.name).group(1)))


def _other_image_folders(tub_path: Path) -> list[Path]:
    images = tub_path / "images"
    folders = [tub_path]
    for parent in (tub_path, images):
        try:
            folders += sorted(path for path in parent.iterdir()
                              if path.is_dir() and path != images)
        except OSError:
            continue
    return folders

