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
    """Change one catalog line, and its catalog manifest with it (only the line is bad)."""
    catalog = tub / "catalog_0.catalog"
    lines = catalog.read_bytes().splitlines(keepends=True)
    lines[index] = edit(lines[index].decode("latin-1")).encode("latin-1")
    catalog.write_bytes(b"".join(lines))
    index_file = tub / "catalog_0.catalog_manifest"
    stored = json.loads(index_file.read_text())
    stored["line_lengths"] = [len(line) for line in lines]
    index_file.write_text(json.dumps(stored))


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


@pytest.mark.parametrize("damage, summary", [
    (malformed_json, "not a record (malformed JSON): 1 catalog line (catalog_0.catalog line 6, "
                     "holding _index 5)"),
    (nan_angle, "1 record has a bad 'user/angle' value (nan is not a finite number): index 5"),
    (angle_as_text, "1 record has a bad 'user/angle' value (not a number): index 5"),
    (missing_image, "1 record has no image: index 5"),
    (truncated_image, "1 record has an unreadable image (image file is truncated: JPEG end "
                      "marker missing): index 5"),
    (empty_image, "1 record has an unreadable image (image file is empty or not a JPEG/PNG): "
                  "index 5"),
])
def test_a_bad_record_is_skipped_and_summarised_in_one_line_once(real_tub, damage, summary,
                                                                  caplog):
    damage(real_tub)
    tub = Tub(real_tub)
    with caplog.at_level(logging.WARNING, logger="burro.tub"):
        for _ in range(2):  # a second epoch reports nothing new
            indexes = [record.index for record in tub]
            assert len(indexes) == 999 and 5 not in indexes
    assert tub.problem_summary() == summary
    assert [r.getMessage() for r in caplog.records] == [f"tub problems in {real_tub}: {summary}"]


def test_many_missing_images_are_one_line_of_index_ranges(real_tub, caplog):
    for index in [*range(0, 300), *range(500, 520), 777]:
        (real_tub / IMAGE.format(index)).unlink()
    tub = Tub(real_tub)
    with caplog.at_level(logging.WARNING, logger="burro.tub"):
        assert len(list(tub)) == 1000 - 321
    assert [r.getMessage() for r in caplog.records] == [
        f"tub problems in {real_tub}: 321 records have no image: indexes 0-299, 500-519, 777"]
    assert sum(p.record_skipped for p in tub.problems.problems) == 321  # training counts these


def test_frames_of_another_valid_size_are_read_and_their_sizes_reported(real_tub):
    wrong_size_image_at(real_tub, 5)
    wrong_size_image_at(real_tub, 0)
    tub = Tub(real_tub)
    assert len(list(tub)) == 1000
    assert tub.frame_sizes("cam/image_array") == {(160, 120): 998, (80, 60): 2}
    assert tub.problem_summary() == ("frames of two or more sizes: 160x120 (998), 80x60 (2) "
                                     "(cam/image_array)")
    assert tub.problems.defects == []
    unchecked = Tub(real_tub, check_images=False)
    assert unchecked.frame_sizes("cam/image_array") == {(160, 120): 998, (80, 60): 2}


def test_null_values_mean_missing(real_tub):
    _edit_line(real_tub, 5, lambda line: json.dumps({**json.loads(line), "user/angle": None})
               + "\n")
    record = [r for r in Tub(real_tub) if r.index == 5][0]
    assert "user/angle" not in record and record.get("user/angle") is None
    assert record.data["user/angle"] is None and "user/angle" not in dict(record)


def test_a_torn_last_line_is_dropped_with_a_warning_and_cut_when_appending(real_tub):
    with open(real_tub / "catalog_0.catalog", "a") as catalog:
        catalog.write('{"_index": 1000, "cam/ima')
    tub = Tub(real_tub)
    assert len(list(tub)) == 1000
    assert [p.line() for p in tub.problems.problems] == [  # the catalog manifest was right
        "torn last line dropped (25 bytes without a newline, probably a crash while "
        "recording) (catalog_0.catalog line 1001)"]
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


def wrong_size_image_at(tub, index):
    small = io.BytesIO()
    Image.new("RGB", (80, 60)).save(small, format="JPEG")
    replace_file(tub / IMAGE.format(index), small.getvalue())
