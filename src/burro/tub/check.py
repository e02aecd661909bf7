"""`burro tub check [--repair]`: find every problem of a tub; repair what is safe to repair.

Safe repairs never lose a readable record: drop a torn last line (it was never a complete
record), rebuild stale catalog manifests and `current_index`, rebuild a missing or corrupt
manifest.json from the catalogs, and soft-delete bad records (restorable with `tub restore`).
"""

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from burro.tub.images import load_image
from burro.tub.manifest import Manifest, write_manifest
from burro.tub.problems import Problem, TubError
from burro.tub.tub import Tub

CATALOG_NAME = re.compile(r"catalog_(\d+)\.catalog")


@dataclass
class CheckReport:
    path: Path
    good_records: int = 0
    problems: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)


def check_tub(path: str | Path, repair: bool = False, decode: bool = False) -> CheckReport:
    """Read every record (and with `decode` fully decode its images) and list the problems."""
    report = CheckReport(Path(path).expanduser())
    if repair:
        _repair_manifest_file(report)
    tub = Tub(report.path)
    bad = {rec.index for rec in tub if decode and not _decodes(rec, tub)}
    report.good_records = len(tub) - len(bad) - _skipped_count(tub)
    report.problems = list(tub.problems.problems)
    if repair:
        _repair(report, tub, bad)
    return report


def _decodes(record, tub: Tub) -> bool:
    for key in tub.image_keys:
        if key in record:
            try:
                load_image(record.image_path(key))
            except (OSError, ValueError, SyntaxError) as error:
                tub.problems.report(f"images/{record[key]}", record.index,
                                    f"image does not decode: {error}")
                return False
    return True


def _skipped_count(tub: Tub) -> int:
    return len({p.index for p in tub.problems.problems if p.record_skipped})


def _repair(report: CheckReport, tub: Tub, bad: set[int]) -> None:
    stale = [catalog.name for catalog in tub.catalogs if catalog.rebuilt]
    torn = [catalog.name for catalog in tub.catalogs if catalog.torn_bytes]
    bad |= {p.index for p in report.problems if p.record_skipped}
    bad -= tub.deleted_indexes
    with Tub(report.path, [], []) as writer:  # opening to append reconciles the files
        writer.delete_records(sorted(i for i in bad if i < writer.end_index))
    report.repairs += [f"dropped the torn last line of {name}" for name in torn]
    report.repairs += [f"rebuilt {name}_manifest" for name in stale]
    if bad:
        report.repairs.append(f"soft-deleted {len(bad)} bad records "
                              f"(undo with `burro tub restore`): {index_ranges(sorted(bad))}")


def _repair_manifest_file(report: CheckReport) -> None:
    try:
        Tub(report.path)
    except TubError as error:
        if not any(report.path.glob("catalog_*.catalog")):
            raise
        rebuild_manifest(report.path)
        report.repairs.append(f"rebuilt manifest.json from the catalogs ({error.what}); "
                              "deleted-record marks and metadata were lost with it")


def rebuild_manifest(path: Path) -> Manifest:
    """Write a manifest.json inferred from the catalog files (keys and types from the values)."""
    names = sorted((p.name for p in path.glob("catalog_*.catalog")
                    if CATALOG_NAME.fullmatch(p.name)),
                   key=lambda name: int(CATALOG_NAME.fullmatch(name).group(1)))
    type_of: dict[str, str] = {}
    count = longest = 0
    for name in names:
        lines = (path / name).read_bytes().split(b"\n")[:-1]
        longest = max(longest, len(lines))
        for line in lines:
            count += 1
            _infer_types(line, type_of)
    manifest = Manifest(list(type_of), list(type_of.values()),
                        manifest_metadata={"created_at": time.time()}, paths=names,
                        current_index=count, max_len=max(longest, 1000))
    write_manifest(path, manifest)
    return manifest


def _infer_types(line: bytes, type_of: dict[str, str]) -> None:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if not key.startswith("_") and key not in type_of and value is not None:
            type_of[key] = _type_of_value(value)


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


def index_ranges(indexes: list[int]) -> str:
    parts, start = [], None
    for position, index in enumerate(indexes):
        start = index if start is None else start
        if position + 1 == len(indexes) or indexes[position + 1] != index + 1:
            parts.append(str(start) if start == index else f"{start}-{index}")
            start = None
    return ", ".join(parts)

