"""Bad data in a real tub: each problem is reported once (file, index, what), the record is
skipped, and reading never crashes."""

import io
import json
import logging

import pytest
from PIL import Image
from tests.tub.tubkit import replace_file

from burro.errors import BurroError
from burro.tub import Tub, open_tubs

IMAGE = "images/{}_cam_image_array_.jpg"


def _edit_line(tub, index, edit):
    catalog = tub / "catalog_0.catalog"
    lines = catalog.read_text().splitlines(keepends=True)
    lines[index] = edit(lines[index])
    catalog.write_text("".join(lines))


def malformed_json(tub):
    _edit_line(tub, 5, lambda line: line[:40] + "\n")


def nan_angle(tub):
    _edit_line(tub, 5, lambda line: json.dumps({**json.loads(line), "user/angle": 1.0})
               .replace("1.0", "NaN") + "\n")


def angle_as_text(tub):
    _edit_line(tub, 5, lambda line: json.dumps({**json.loads(line), "user/angle": "left"}) + "\n")


def missing_image(tub):
    (tub / IMAGE.format(5)).unlink()


def truncated_image(tub):
    path = tub / IMAGE.format(5)
    replace_file(path, path.read_bytes()[:1000])


def empty_image(tub):
    replace_file(tub / IMAGE.format(5), b"")


def wrong_size_image(tub):
    wrong_size_image_at(tub, 5)


@pytest.mark.parametrize("damage, file, what", [
    (malformed_json, "catalog_0.catalog", "malformed JSON line"),
    (nan_angle, "catalog_0.catalog", "'user/angle' nan is not a finite number"),
    (angle_as_text, "catalog_0.catalog", "'user/angle' not a number: 'left'"),
    (missing_image, IMAGE.format(5), "image file is missing"),
    (truncated_image, IMAGE.format(5), "image file is truncated (JPEG end marker missing)"),
    (empty_image, IMAGE.format(5), "image file is empty or not a JPEG/PNG"),
    (wrong_size_image, IMAGE.format(5), ("image is 80x60, expected 160x120 like the tub's "
                                        "other frames")),
])
def test_a_bad_record_is_reported_once_and_skipped(real_tub, damage, file, what, caplog):
    damage(real_tub)
    tub = Tub(real_tub)
    with caplog.at_level(logging.WARNING, logger="burro.tub"):
        for _ in range(2):  # a second epoch reports nothing new
            indexes = [record.index for record in tub]
            assert len(indexes) == 999 and 5 not in indexes
    assert [p.line() for p in tub.problems.problems] == [f"{what} ({file}, record 5)"]
    assert len(caplog.records) == 1 and what in caplog.records[0].getMessage()


def test_a_torn_last_line_is_dropped_with_a_warning_and_cut_when_appending(real_tub):
    with open(real_tub / "catalog_0.catalog", "a") as catalog:
        catalog.write('{"_index": 1000, "cam/ima')
    tub = Tub(real_tub)
    assert len(list(tub)) == 1000
    assert tub.problems.problems[0].line() == (
        "torn last line dropped (25 bytes without a newline, probably a crash while "
        "recording) (catalog_0.catalog, record 1000)")
    with Tub(real_tub, tub.inputs, tub.types) as writer:
        writer.write_record({"user/angle": 0.0})
    assert [r.index for r in Tub(real_tub)][-2:] == [999, 1000]
    assert Tub(real_tub).problems.problems == []


@pytest.mark.parametrize("content, message", [
    (None, "not a tub: manifest.json is missing"),
    ("", "corrupt tub manifest: has 0 lines, a tub manifest has 5"),
    ("[1]\n" * 5, "corrupt tub manifest: line 1 must be a JSON list of record keys"),
    ('["a"]\n["float"]\n{}\n{}\n{"paths": "x"}\n', "'paths' must list catalog file names"),
    ('["a"]\n["float"]\n{}\n{}\n{"paths": [], "current_index": 1.5}\n', "current_index"),
    ('["a"]\n["float", "int"]\n{}\n{}\n{}\n', "1 keys (line 1) but 2 types (line 2)"),
    ("\xff\xfe", "corrupt tub manifest: has 1 lines"),
])
def test_a_missing_or_corrupt_manifest_is_one_clear_error(real_tub, content, message):
    manifest = real_tub / "manifest.json"
    manifest.unlink()
    if content is not None:
        manifest.write_text(content)
    with pytest.raises(BurroError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Tub(real_tub)
    with pytest.raises(BurroError):
        open_tubs(str(real_tub))


def test_an_unknown_type_is_reported_once_and_its_values_pass_through(real_tub):
    lines = (real_tub / "manifest.json").read_text().splitlines()
    lines[1] = lines[1].replace('"str"]', '"timestamp_type"]')
    (real_tub / "manifest.json").write_text("\n".join(lines) + "\n")
    tub = Tub(real_tub)
    assert len(list(tub)) == 1000
    assert [p.line() for p in tub.problems.problems] == [
        ("unknown type 'timestamp_type' of key 'timestamp': values passed through unchecked "
        "(manifest.json)")]


def test_a_missing_catalog_file_is_reported_and_the_rest_is_read(real_tub):
    (real_tub / "catalog_0.catalog").unlink()
    tub = Tub(real_tub)
    assert list(tub) == []
    assert "catalog cannot be read (No such file or directory)" in tub.problems.problems[0].what


def test_an_odd_first_frame_is_the_one_reported_not_all_the_others(real_tub):
    wrong_size_image_at(real_tub, 0)
    tub = Tub(real_tub)
    assert len(list(tub)) == 999
    assert [p.index for p in tub.problems.problems] == [0]


def wrong_size_image_at(tub, index):
    small = io.BytesIO()
    Image.new("RGB", (80, 60)).save(small, format="JPEG")
    replace_file(tub / IMAGE.format(index), small.getvalue())
