"""Fuzzing the parsers: whatever is in the files, only BurroError (or a subclass) escapes."""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from burro.errors import BurroError
from burro.tub import Tub
from burro.tub.check import check_tub
from burro.tub.convert import convert_v1
from burro.tub.hist import numeric_values
from burro.tub.images import load_image
from burro.tub.manifest import parse_manifest
from burro.tub.summary import summarize

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=4),
    max_leaves=12)
KEYS = ["cam/image_array", "user/angle", "user/mode", "n"]
TYPES = ["image_array", "float", "str", "int"]
# Start marker, a 160x120 frame header and the end marker, but no image data.
HEADER_ONLY_JPEG = b"\xff\xd8\xff\xc0\x00\x11\x08\x00\x78\x00\xa0\x03\xff\xd9"
VALID_LINES = [json.dumps(KEYS), json.dumps(TYPES), "{}", '{"created_at": 1.0}',
               json.dumps({"paths": ["catalog_0.catalog"], "current_index": 2, "max_len": 1000,
                           "deleted_indexes": [1]})]


def manifest_line(position: int):
    near_valid = st.fixed_dictionaries({}, optional={
        "paths": st.lists(st.sampled_from(["catalog_0.catalog", "catalog_9.catalog", "x"])),
        "current_index": JSON, "max_len": JSON, "deleted_indexes": JSON})
    return (st.just(VALID_LINES[position]) | JSON.map(json.dumps) | near_valid.map(json.dumps)
            | st.text(max_size=30))


@st.composite
def one_line_changed(draw):
    lines = list(VALID_LINES)
    position = draw(st.integers(0, 4))
    lines[position] = draw(manifest_line(position))
    return "\n".join(lines) + "\n"


manifests = (st.just("\n".join(VALID_LINES) + "\n") | one_line_changed()
             | st.tuples(*(manifest_line(i) for i in range(5))).map("\n".join) | st.text())
records = st.fixed_dictionaries(
    {}, optional={"_index": JSON | st.integers(0, 5), "_timestamp_ms": JSON,
                  "_session_id": JSON, "cam/image_array": JSON | st.just("0_cam_image_array_.jpg"),
                  "user/angle": JSON, "user/mode": JSON, "n": JSON})
catalog_lines = st.lists(records.map(json.dumps) | st.text(max_size=20), max_size=5)
catalogs = (catalog_lines.map(lambda lines: "".join(line + "\n" for line in lines).encode())
            | st.binary(max_size=60))
catalog_manifests = (st.fixed_dictionaries({}, optional={
    "line_lengths": st.lists(st.integers(-5, 400) | JSON, max_size=5), "start_index": JSON,
    "created_at": JSON, "path": JSON}).map(json.dumps) | st.text(max_size=40) | st.none())


def _real_jpeg() -> bytes:
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 120, 30)).save(data, format="JPEG")
    return data.getvalue()


REAL_JPEG = _real_jpeg()
IMAGE_FILES = st.sampled_from([b"", b"\xff\xd8\xff", HEADER_ONLY_JPEG, REAL_JPEG, REAL_JPEG[:-2],
                               None])  # None: no file
damaged_records = st.fixed_dictionaries(
    {"_index": st.integers(0, 6)},
    optional={"_session_id": st.sampled_from(["26-01-01_0", "26-01-01_3", 5]),
              "cam/image_array": st.sampled_from(["0_cam_image_array_.jpg",
                                                  "1_cam_image_array_.jpg"]) | JSON,
              "user/angle": st.none() | st.floats(-1, 1) | JSON, "user/mode": JSON,
              "n": st.none() | st.integers() | JSON}).map(
    lambda record: json.dumps(record).encode())
damaged_lines = st.lists(
    damaged_records | st.tuples(st.binary(min_size=1, max_size=8).map(
        lambda junk: junk.replace(b"\n", b"\0")), damaged_records).map(b"".join)
    | st.binary(max_size=20).map(lambda junk: junk.replace(b"\n", b" ")), max_size=6)


def _usable(folder: Path) -> int:
    """Records the reader yields whose image decodes (0 when the tub does not open)."""
    try:
        tub = Tub(folder)
        records = list(tub)
    except BurroError:
        return 0
    count = 0
    for record in records:
        try:
            load_image(record.image_path("cam/image_array"))
        except (OSError, ValueError, SyntaxError, KeyError, BurroError):
            continue
        count += 1
    return count


VALID_MANIFEST = "\n".join(VALID_LINES) + "\n"
GOOD_LINE = b'{"_index": 0, "cam/image_array": "0_cam_image_array_.jpg", "user/angle": 0.5}'


@pytest.mark.slow
@example(manifest=VALID_MANIFEST, lines=[b'{"_index": 0, "user/angle": null}'], unlisted=None,
         start_index=None, images=(None, None), deleted=[], lose_manifest=False)  # info crashed
@example(manifest=VALID_MANIFEST, lines=[b'{"_index": 1, "user/an', GOOD_LINE], unlisted=None,
         start_index=None, images=(REAL_JPEG, None), deleted=[], lose_manifest=False)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=st.just(VALID_MANIFEST) | one_line_changed(),
       lines=damaged_lines, unlisted=st.none() | damaged_lines,
       start_index=st.none() | st.integers(0, 4), images=st.tuples(IMAGE_FILES, IMAGE_FILES),
       deleted=st.lists(st.integers(0, 6), max_size=3), lose_manifest=st.booleans())
def test_info_hist_and_repair_cope_with_any_tub_and_repair_never_lowers_usable_records(
        manifest, lines, unlisted, start_index, images, deleted, lose_manifest):
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "images").mkdir()
        text = manifest.replace('"deleted_indexes": [1]', f'"deleted_indexes": {sorted(deleted)}')
        if not lose_manifest:
            (folder / "manifest.json").write_text(text)
        (folder / "catalog_0.catalog").write_bytes(b"".join(line + b"\n" for line in lines))
        stored = {"line_lengths": [len(line) + 1 for line in lines]}
        if start_index is not None:
            stored["start_index"] = start_index
        (folder / "catalog_0.catalog_manifest").write_text(json.dumps(stored))
        if unlisted is not None:
            (folder / "catalog_1.catalog").write_bytes(b"".join(line + b"\n" for line in unlisted))
        for number, image in enumerate(images):
            if image is not None:
                (folder / "images" / f"{number}_cam_image_array_.jpg").write_bytes(image)
        try:
            tub = Tub(folder)
            summary = summarize(tub)
            assert summary.records == len(list(tub))
            json.dumps(summary.as_dict())
            numeric_values([tub])
            event("info and hist")
        except BurroError:
            event("refused")
        before = _usable(folder)
        try:
            report = check_tub(folder, repair=True)
            assert report.after.good_records >= report.good_records or lose_manifest
            event("repaired")
        except BurroError:
            event("repair refused")
        assert _usable(folder) >= before
    finally:
        shutil.rmtree(folder)


@given(manifests)
def test_manifest_parsing_raises_only_burro_errors(text):
    try:
        parse_manifest(text)
    except BurroError:
        pass


@pytest.mark.slow
@example(manifest="\n".join(VALID_LINES) + "\n", catalog=b"",  # len() once went negative
         catalog_manifest='{"line_lengths": [], "start_index": 2}', image=b"")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=manifests, catalog=catalogs, catalog_manifest=catalog_manifests,
       image=st.sampled_from([b"", b"\xff\xd8\xff", HEADER_ONLY_JPEG, b"\x89PNG\r\n\x1a\n"]))
def test_reading_and_appending_to_any_tub_raise_only_burro_errors(manifest, catalog,
                                                              catalog_manifest, image):
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "images").mkdir()
        (folder / "manifest.json").write_text(manifest)
        (folder / "catalog_0.catalog").write_bytes(catalog)
        if catalog_manifest is None:  # one that matches the catalog
            catalog_manifest = json.dumps({"line_lengths": [
                len(line) + 1 for line in catalog.split(b"\n")[:-1]], "start_index": 0})
        (folder / "catalog_0.catalog_manifest").write_text(catalog_manifest)
        (folder / "images" / "0_cam_image_array_.jpg").write_bytes(image)
        try:
            tub = Tub(folder)
            for record in tub:
                event("read a record")
                assert record.index not in tub.deleted_indexes
                for key in tub.image_keys:
                    if key in record:
                        record.image(key)
            assert 0 <= len(tub) <= tub.end_index
            event("opened")
        except BurroError:
            event("refused")
        try:  # appending repairs the files first: that must cope with anything too
            with Tub(folder, [], []) as writer:
                writer.write_record({"user/angle": 0.5, "n": 3})
            event("appended")
        except BurroError:
            pass
    finally:
        shutil.rmtree(folder)


v1_metas = (st.fixed_dictionaries({"inputs": st.just(KEYS) | JSON, "types": st.just(TYPES) | JSON},
                                  optional={"start": JSON | st.floats(), "user": JSON})
            .map(json.dumps) | st.text(max_size=30))
v1_records = st.fixed_dictionaries({}, optional={
    "cam/image_array": JSON | st.just("1_cam-image_array_.jpg") | st.just("/abs/x.jpg"),
    "user/angle": JSON, "milliseconds": JSON | st.integers()}).map(json.dumps) | st.text(
        max_size=20)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=v1_metas, records=st.lists(v1_records, max_size=3),
       excluded=st.none() | JSON.map(json.dumps))
def test_reading_and_converting_any_v1_tub_raise_only_burro_errors(meta, records, excluded):
    folder = Path(tempfile.mkdtemp())
    try:
        old = folder / "v1"
        old.mkdir()
        (old / "meta.json").write_text(meta)
        for number, record in enumerate(records, start=1):
            (old / f"record_{number}.json").write_text(record)
        (old / "1_cam-image_array_.jpg").write_bytes(HEADER_ONLY_JPEG)
        if excluded is not None:
            (old / "exclude.json").write_text(excluded)
        try:
            tub = Tub(old)
            assert len(tub) >= 0 and all(r.index not in tub.deleted_indexes for r in tub)
        except BurroError:
            pass
        try:
            convert_v1([old], folder / "v2")
        except BurroError:
            pass
    finally:
        shutil.rmtree(folder)
