"""`burro tub check --repair`: repair only what is provably bad, never a usable record.

- a lost or corrupt manifest.json is rebuilt from the catalogs;
- a torn last line (never a complete record) is cut, stale catalog manifests are rewritten;
- a catalog the manifest does not list is set aside as `catalog_N.catalog.unlisted-<k>`;
- catalog lines that hold no record move to `catalog_N.catalog.junk`, and the NUL bytes before a
  complete record are removed (the record stays);
- a catalog manifest whose `start_index` disagrees with the `_index` its first line holds gets
  that one (when every line holds its `_index`);
- session ids the records hold are listed in the manifest (so no later recording reuses them);
- image files found in another folder than images/ are moved into it;
- bad records are soft-deleted by the `_index` their lines hold (`burro tub restore` undoes
  it), but never an index that a good line holds too.

Duplicate indexes and a tub whose records are all deleted are reported, not changed.
"""

import json
import os
import re
import time
from pathlib import Path

from burro.tub.catalog import Catalog
from burro.tub.manifest import Manifest, write_manifest
from burro.tub.problems import TubError, index_ranges
from burro.tub.tub import Tub
from burro.tub.validation import CATALOG_NAME, ReadPass, wrong_start_index
from burro.values import is_index

SESSION_NUMBER = re.compile(r".*_(\d+)")


def repair_manifest_file(path: Path) -> list[str]:
    try:
        Tub(path)
    except TubError as error:
        if not any(CATALOG_NAME.fullmatch(p.name) for p in path.glob("catalog_*.catalog")):
            raise
        rebuild_manifest(path)
        return [f"rebuilt manifest.json from the catalogs ({error.what}); deleted-record marks "
                "and metadata were lost with it"]
    return []


def repair_tub(tub: Tub, undecodable: set[int] = frozenset()) -> list[str]:
    """Repair what the full read of `tub` (just done) found; returns what was done."""
    if tub.is_v1:
        return []
    found = tub.read_all()
    torn = [catalog.name for catalog in tub.catalogs if catalog.torn_bytes]
    stale = [catalog.name for catalog in tub.catalogs if catalog.rebuilt]
    good = found.good_indexes - undecodable
    bad = (found.bad_indexes | undecodable) - good - found.misplaced - tub.deleted_indexes
    with Tub(tub.path, [], []) as writer:  # opening to append reconciles the files
        repairs = [f"set aside {old} as {new} (not listed in manifest.json; its lines were "
                   "never read)" for old, new in writer.recorder.set_aside]
        repairs += [f"dropped the torn last line of {name}" for name in torn]
        repairs += [f"rebuilt {name}_manifest" for name in stale]
        catalogs = {catalog.name: catalog for catalog in writer.catalogs}
        repairs += _clean_lines(writer, catalogs, found)
        repairs += _fix_start_indexes(catalogs, found)
        repairs += _list_sessions(writer, found)
        repairs += _move_images(writer, found)
        deleted = writer.delete_records(sorted(i for i in bad if i < writer.end_index))
    if deleted:
        repairs.append(f"soft-deleted {len(deleted):,} bad records (undo with `burro tub "
                       f"restore`): {index_ranges(deleted)}")
    return repairs


def _clean_lines(writer: Tub, catalogs: dict[str, Catalog], found: ReadPass) -> list[str]:
    repairs = []
    for name in sorted(set(found.junk_lines) | set(found.nul_lines)):
        catalog = catalogs.get(name)
        if catalog is None:
            continue
        junk, nuls = set(found.junk_lines.get(name, ())), set(found.nul_lines.get(name, ()))
        lines = catalog.read_lines()
        if junk:
            with open(catalog.path.with_name(f"{name}.junk"), "ab") as kept:
                kept.write(b"".join(lines[p] + b"\n" for p in sorted(junk)))
        kept_lines = [line[line.rfind(b"\0") + 1:] if p in nuls else line
                      for p, line in enumerate(lines) if p not in junk]
        writer.recorder.rewrite_catalog(catalog, kept_lines)
        if junk:
            repairs.append(f"moved {len(junk):,} line(s) holding no record out of {name} "
                           f"({_lines(junk)}) into {name}.junk")
        if nuls:
            repairs.append(f"removed the NUL bytes before {len(nuls):,} record(s) in {name} "
                           f"({_lines(nuls)})")
    return repairs


def _lines(positions: set[int]) -> str:
    return f"line{'s' * (len(positions) != 1)} {index_ranges([p + 1 for p in sorted(positions)])}"


def _fix_start_indexes(catalogs: dict[str, Catalog], found: ReadPass) -> list[str]:
    repairs = []
    for name, catalog in catalogs.items():
        held = [index for index in found.held.get(name, []) if index is not None]
        if name not in found.unindexed and wrong_start_index(catalog, held):
            catalog.start_index = held[0]
            catalog.write_manifest(sync=True)
            repairs.append(f"set start_index of {catalog.manifest_path.name} to {held[0]}, "
                           f"the _index of its first line")
    return repairs


def _list_sessions(writer: Tub, found: ReadPass) -> list[str]:
    manifest = writer.manifest
    unlisted = sorted(set(found.sessions) - manifest.session_ids)
    if not unlisted:
        return []
    sessions = manifest.sessions
    all_ids = sessions.get("all_full_ids")
    sessions["all_full_ids"] = [*(all_ids if isinstance(all_ids, list) else []), *unlisted]
    numbers = [int(m.group(1)) for s in unlisted if (m := SESSION_NUMBER.fullmatch(s))]
    last = sessions.get("last_id")
    if numbers and (not is_index(last) or max(numbers) > last):
        sessions["last_id"] = max(numbers)
        sessions["last_full_id"] = next(s for s in unlisted
                                        if s.endswith(f"_{max(numbers)}"))
    manifest.manifest_metadata["sessions"] = sessions
    writer.recorder.save_manifest()
    return [f"listed {len(unlisted)} session id(s) of the records in manifest.json: "
            f"{', '.join(unlisted)}"]


def _move_images(writer: Tub, found: ReadPass) -> list[str]:
    moved: dict[Path, int] = {}
    for name, folder in found.outside_images.items():
        target = writer.images_path / name
        if not target.exists():
            os.rename(folder / name, target)
            moved[folder] = moved.get(folder, 0) + 1
    return [f"moved {count:,} image file(s) from {folder.relative_to(writer.path).as_posix() or '.'}"
            "/ into images/" for folder, count in moved.items()]


def rebuild_manifest(path: Path) -> Manifest:
    """Write a manifest.json inferred from the catalog files (keys and types from the values)."""
    names = sorted((p.name for p in path.glob("catalog_*.catalog")
                    if CATALOG_NAME.fullmatch(p.name)),
                   key=lambda name: int(CATALOG_NAME.fullmatch(name).group(1)))
    type_of: dict[str, str] = {}
    count = longest = following = 0
    for name in names:
        lines = (path / name).read_bytes().split(b"\n")[:-1]
        longest = max(longest, len(lines))
        for line in lines:
            count += 1
            following = max(following, _infer_types(line, type_of) + 1)
    manifest = Manifest(list(type_of), list(type_of.values()),
                        manifest_metadata={"created_at": time.time()}, paths=names,
                        current_index=max(count, following), max_len=max(longest, 1000))
    write_manifest(path, manifest)
    return manifest


def _infer_types(line: bytes, type_of: dict[str, str]) -> int:
    """Add the keys of a line to `type_of`; returns its `_index` (-1 when it has none)."""
    try:
        data = json.loads(line[line.rfind(b"\0") + 1:])
    except (ValueError, RecursionError):
        return -1
    if not isinstance(data, dict):
        return -1
    for key, value in data.items():
        if not key.startswith("_") and key not in type_of and value is not None:
            type_of[key] = _type_of_value(value)
    index = data.get("_index")
    return index if is_index(index) else -1


def _type_of_value(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str) and value.endswith("_.jpg"):
        return "image_array"
    if isinstance(value, str) and value.endswith("_.png"):
        return "gray16_array"
    return "str"
