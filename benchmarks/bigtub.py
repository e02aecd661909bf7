"""A big tub for benchmarks, made from the real tub's records and images (copied, renumbered):
`make_big_tub(SHARED_TUB, Path("/tmp/big"), 20_000)`. Kept out of the repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

CATALOG_LEN = 1000


def make_big_tub(source: Path, target: Path, count: int) -> Path:
    if (target / "manifest.json").is_file() and _count(target) == count:
        return target
    shutil.rmtree(target, ignore_errors=True)
    (target / "images").mkdir(parents=True)
    lines = [json.loads(line) for line in (source / "catalog_0.catalog").read_text().splitlines()]
    inputs, types, metadata, _, _ = (json.loads(line) for line in
                                     (source / "manifest.json").read_text().splitlines())
    paths, step = [], lines[1]["_timestamp_ms"] - lines[0]["_timestamp_ms"] or 50
    start = lines[0]["_timestamp_ms"]
    for first in range(0, count, CATALOG_LEN):
        name = f"catalog_{first // CATALOG_LEN}.catalog"
        rows, lengths = [], []
        for index in range(first, min(first + CATALOG_LEN, count)):
            line = dict(lines[index % len(lines)])
            image = f"{index}_cam_image_array_.jpg"
            shutil.copyfile(source / "images" / line["cam/image_array"], target / "images" / image)
            line.update({"_index": index, "_timestamp_ms": start + index * step,
                         "cam/image_array": image})
            text = json.dumps(line) + "\n"
            rows.append(text)
            lengths.append(len(text.encode()))
        (target / name).write_text("".join(rows))
        (target / name).with_suffix(".catalog_manifest").write_text(json.dumps(
            {"created_at": 0.0, "line_lengths": lengths, "path": name + "_manifest",
             "start_index": first}) + "\n")
        paths.append(name)
    meta = {"paths": paths, "current_index": count, "max_len": CATALOG_LEN, "deleted_indexes": []}
    manifest = [inputs, types, metadata, {"created_at": 0.0}, meta]
    (target / "manifest.json").write_text("".join(json.dumps(line) + "\n" for line in manifest))
    return target


def _count(tub: Path) -> int:
    return json.loads((tub / "manifest.json").read_text().splitlines()[4])["current_index"]
