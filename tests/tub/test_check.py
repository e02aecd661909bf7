"""`burro tub check [--repair]`: every defect reported once; repair only what is provably bad
and never lowers the number of usable records."""

import json
import subprocess
import sys

import pytest
from tests.tub.defects import (
    DEFECT_LINES,
    IMAGE,
    catalog_lines,
    damage_everything,
    set_catalog,
)
from tests.tub.test_bad_data import malformed_json
from tests.tub.tubkit import BASIC_INPUTS, BASIC_TYPES, basic_record, replace_file

from burro.tub import Tub
from burro.tub.check import check_tub
from burro.tub.images import load_image


def usable(path) -> int:
    """Records the reader yields whose image decodes."""
    count = 0
    for record in Tub(path):
        try:
            load_image(record.image_path("cam/image_array"))
        except (OSError, ValueError, SyntaxError):
            continue
        count += 1
    return count


def burro(*argv):
    done = subprocess.run([sys.executable, "-m", "burro", "tub", *map(str, argv)],
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_every_defect_is_reported_once_and_repair_never_lowers_the_usable_count(write_tub):
    path = write_tub(30, max_catalog_len=10)
    damage_everything(path)
    before = usable(path)
    code, out, err = burro("check", path)
    assert code == 1 and err == ""
    for defect, text in DEFECT_LINES.items():
        assert out.count(text) == 1, f"{defect}: {text!r} not once in\n{out}"
    assert f"{path}: {before} good records" in out

    code, out, err = burro("check", "--repair", path)
    assert err == ""
    repairs = [line for line in out.splitlines() if ": repaired: " in line]
    assert [line.split(": repaired: ")[1] for line in repairs] == [
        "set aside catalog_3.catalog as catalog_3.catalog.unlisted-1 (not listed in "
        "manifest.json; its lines were never read)",
        "dropped the torn last line of catalog_2.catalog",
        "removed the NUL bytes before 1 record(s) in catalog_0.catalog (line 4)",
        "moved 1 line(s) holding no record out of catalog_1.catalog (line 4) into "
        "catalog_1.catalog.junk",
        "set start_index of catalog_2.catalog_manifest to 20, the _index of its first line",
        "listed 1 session id(s) of the records in manifest.json: 24-01-01_7",
        "moved 2 image file(s) from ./ into images/",
        "soft-deleted 3 bad records (undo with `burro tub restore`): 9, 27-28"]
    after = usable(path)
    assert after >= before and after == before + 2  # the two moved images count again
    remaining = [line.split(": after repair: ")[1] for line in out.splitlines()
                 if ": after repair: " in line]
    sessions = ", ".join(sorted(Tub(path).manifest.sessions["all_full_ids"]))
    assert [line.split(":")[0] for line in remaining] == [
        f"1 _index value held by more than one line of sessions {sessions}",
        "frames of two or more sizes", f"{after} good records, 1 problem"]
    assert code == 1  # the duplicate index stays: which line is right is not provable
    code, again, _ = burro("check", path)
    assert [line for line in again.splitlines()] == [f"{path}: {line}" for line in remaining]
    assert len(Tub(path)) >= after


def test_a_junk_line_is_reported_by_its_line_and_the_index_it_holds_until_repaired(write_tub):
    path = write_tub(20, max_catalog_len=10)
    lines = catalog_lines(path, 1)
    lines.insert(2, b"\0" * 8 + b'{"_index": 12, "user/ang\n')
    set_catalog(path, 1, lines)
    report = check_tub(path)
    assert report.lines() == ["not a record (malformed JSON): 1 catalog line "
                              "(catalog_1.catalog line 3, holding _index 12)"]
    assert report.good_records == 20
    repaired = check_tub(path, repair=True)
    assert repaired.after.problems == [] and repaired.after.good_records == 20
    assert Tub(path).deleted_indexes == set()  # the innocent record 12 stays
    assert (path / "catalog_1.catalog.junk").read_bytes() == lines[2]


def test_a_record_after_nul_bytes_is_read_and_repair_removes_the_nul_bytes(write_tub):
    path = write_tub(5)
    lines = catalog_lines(path, 0)
    clean = lines[2]
    lines[2] = b"\0" * 4096 + clean
    set_catalog(path, 0, lines)
    assert [r.index for r in Tub(path)] == [0, 1, 2, 3, 4]
    check_tub(path, repair=True)
    assert catalog_lines(path, 0)[2] == clean
    assert check_tub(path).problems == []


def test_a_bad_record_is_deleted_by_the_index_its_line_holds(write_tub):
    path = write_tub(20, max_catalog_len=10)
    set_catalog(path, 1, catalog_lines(path, 1), start_index=3)  # disagrees with its lines
    (path / IMAGE.format(15)).unlink()
    report = check_tub(path, repair=True)
    assert report.repairs[-1].endswith(": 15")
    assert Tub(path).deleted_indexes == {15}
    assert report.after.problems == [] and report.after.good_records == 19


def test_a_bad_index_held_by_a_good_line_too_is_not_deleted(write_tub):
    path = write_tub(10)
    lines = catalog_lines(path, 0)
    bad_twin = {**json.loads(lines[4]), "user/angle": "left"}
    set_catalog(path, 0, [*lines, json.dumps(bad_twin).encode() + b"\n"])
    before = usable(path)
    check_tub(path, repair=True)
    assert Tub(path).deleted_indexes == set() and usable(path) == before


def test_check_lists_problems_and_repair_soft_deletes_bad_records(real_tub):
    malformed_json(real_tub)  # record 5's line
    (real_tub / IMAGE.format(7)).unlink()
    with open(real_tub / "catalog_0.catalog", "a") as catalog:
        catalog.write('{"_index": 1000')
    (real_tub / "catalog_0.catalog_manifest").unlink()  # lost: rebuilt from the catalog
    report = check_tub(real_tub)
    assert report.lines() == [
        "line_lengths do not match the catalog (a recording not closed, or an edit): rebuilt "
        "while reading — `burro tub check --repair` or the next recording rewrites it "
        "(catalog_0.catalog_manifest)",
        "torn last line dropped (15 bytes without a newline, probably a crash while "
        "recording) (catalog_0.catalog line 1001)",
        "not a record (malformed JSON): 1 catalog line (catalog_0.catalog line 6, holding "
        "_index 5)",
        "1 record has no image: index 7"]
    assert report.good_records == 998 and report.repairs == []

    repaired = check_tub(real_tub, repair=True)
    assert repaired.repairs == [
        "dropped the torn last line of catalog_0.catalog",
        "rebuilt catalog_0.catalog_manifest",
        "moved 1 line(s) holding no record out of catalog_0.catalog (line 6) into "
        "catalog_0.catalog.junk",
        "soft-deleted 1 bad records (undo with `burro tub restore`): 7"]
    assert repaired.after.problems == [] and repaired.after.good_records == 998
    assert sorted(Tub(real_tub).deleted_indexes) == [7]
    index = json.loads((real_tub / "catalog_0.catalog_manifest").read_text())
    assert sum(index["line_lengths"]) == (real_tub / "catalog_0.catalog").stat().st_size


def test_a_tub_whose_records_are_all_deleted_says_so_once(write_tub):
    path = write_tub(5)
    Tub(path).delete_records(range(5))
    assert Tub(path).problem_summary() == (
        "all 5 records are deleted — `burro tub restore` undoes it (manifest.json)")
    code, out, _ = burro("info", path)
    assert out.count("all 5 records are deleted") == 1 and code == 0


def test_decode_finds_a_jpeg_that_is_broken_inside(real_tub):
    path = real_tub / IMAGE.format(3)
    data = bytearray(path.read_bytes())
    data[200:1200] = bytes(1000)  # headers and end marker intact, entropy data destroyed
    replace_file(path, bytes(data))
    assert check_tub(real_tub).problems == []
    report = check_tub(real_tub, decode=True)
    assert [(p.file, p.index) for p in report.problems] == [(IMAGE.format(3), 3)]
    assert report.good_records == 999
    repaired = check_tub(real_tub, repair=True, decode=True)
    assert Tub(real_tub).deleted_indexes == {3} and repaired.after.good_records == 999
    assert repaired.after.problems == [] and Tub(real_tub).problem_summary() is None


def test_repair_rebuilds_a_lost_manifest_from_the_catalogs(real_tub):
    (real_tub / "manifest.json").unlink()
    report = check_tub(real_tub, repair=True)
    assert report.repairs[0].startswith("rebuilt manifest.json from the catalogs")
    tub = Tub(real_tub)
    assert dict(zip(tub.inputs, tub.types)) == {
        "cam/image_array": "image_array", "user/angle": "float", "user/mode": "str",
        "user/throttle": "float"}
    assert len(list(tub)) == 1000 and tub.end_index == 1000


@pytest.mark.parametrize("records", [30, 25])
def test_recording_never_appends_to_an_unlisted_catalog(write_tub, records, caplog):
    path = write_tub(records, max_catalog_len=10)
    last = 3 if records == 30 else 2
    stale = b"".join(catalog_lines(path, 0)[:5])  # an older recording's lines, indexes 0-4
    (path / f"catalog_{last + 1}.catalog").write_bytes(stale)
    with Tub(path, BASIC_INPUTS, BASIC_TYPES, max_catalog_len=10) as tub:
        for i in range(12):
            tub.write_record(basic_record(i))
    indexes = [record.index for record in Tub(path)]
    assert indexes == list(range(records + 12))
    assert (path / f"catalog_{last + 1}.catalog.unlisted-1").read_bytes() == stale
    assert any("set aside as" in r.getMessage() for r in caplog.records)
    assert check_tub(path).problems == []
