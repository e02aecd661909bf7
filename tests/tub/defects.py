"""A small tub holding one of each defect that `burro tub check --repair` must handle."""

import io
import json
from pathlib import Path

from PIL import Image

IMAGE = "images/{}_cam_image_array_.jpg"
UNLISTED_SESSION = "24-01-01_7"

# A distinctive part of the line `check` prints for each defect, before any repair.
DEFECT_LINES = {
    "nul bytes": "complete records after NUL bytes",
    "junk line": "not a record (malformed JSON): 1 catalog line (catalog_1.catalog line 4, "
                 "holding _index 12)",
    "start_index": "start_index 25 disagrees with the _index 20 its first line holds",
    "unlisted catalog": "catalog not listed in manifest.json",
    "duplicate index": "1 _index value held by more than one line of sessions",
    "unlisted session": f"session ids of 1 record not listed in the manifest: {UNLISTED_SESSION}",
    "image elsewhere": "2 records have an image file in ./ instead of images/",
    "missing images": "2 records have no image: indexes 27-28",
    "bad value": "1 record has a bad 'user/angle' value (not a number): index 9",
    "torn line": "torn last line dropped",
    "frame sizes": "frames of two or more sizes: 160x120 (",
}


def catalog_lines(path: Path, number: int) -> list[bytes]:
    return (path / f"catalog_{number}.catalog").read_bytes().splitlines(keepends=True)


def set_catalog(path: Path, number: int, lines: list[bytes], **manifest) -> None:
    """Write catalog `number` and a catalog manifest that matches it (plus `manifest`)."""
    (path / f"catalog_{number}.catalog").write_bytes(b"".join(lines))
    index_path = path / f"catalog_{number}.catalog_manifest"
    stored = json.loads(index_path.read_text()) if index_path.exists() else {}
    stored.update(line_lengths=[len(line) for line in lines if line.endswith(b"\n")],
                  path=index_path.name, **manifest)
    index_path.write_text(json.dumps(stored))


def small_jpeg(width: int = 80, height: int = 60) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height)).save(data, format="JPEG")
    return data.getvalue()


def damage_everything(path: Path) -> None:
    """`path`: a tub of 30 basic records, 10 per catalog (catalog_0..2)."""
    first = catalog_lines(path, 0)
    first[3] = b"\0" * 50 + first[3]  # power cut: NUL bytes, then a complete record
    record = json.loads(first[9])
    first[9] = json.dumps({**record, "user/angle": "left"}, sort_keys=True).encode() + b"\n"
    duplicate = {**json.loads(first[5].lstrip(b"\0")), "_session_id": UNLISTED_SESSION}
    first.append(json.dumps(duplicate, sort_keys=True).encode() + b"\n")
    set_catalog(path, 0, first)
    second = catalog_lines(path, 1)
    second.insert(3, b'{"_index": 12, "cam/ima\n')  # junk holding the index of a good record
    set_catalog(path, 1, second)
    third = catalog_lines(path, 2)
    set_catalog(path, 2, [*third, b'{"_index": 30, "user/an'], start_index=25)
    stale = [line.replace(b'"_index": 2', b'"_index": 3') for line in third[:5]]
    (path / "catalog_3.catalog").write_bytes(b"".join(stale))  # an older recording, unlisted
    for index in (25, 26):
        (path / IMAGE.format(index)).rename(path / IMAGE.format(index).split("/")[1])
    for index in (27, 28):
        (path / IMAGE.format(index)).unlink()
    (path / IMAGE.format(7)).write_bytes(small_jpeg())
