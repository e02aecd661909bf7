"""`check_tub`: lists problems; `repair` fixes what is safe and keeps every readable record."""

import json

from tests.tub.test_bad_data import IMAGE, malformed_json
from tests.tub.tubkit import replace_file

from burro.tub import Tub
from burro.tub.check import check_tub


def test_check_lists_problems_and_repair_soft_deletes_bad_records(real_tub):
    malformed_json(real_tub)  # record 5, and the catalog manifest is now stale
    (real_tub / IMAGE.format(7)).unlink()
    with open(real_tub / "catalog_0.catalog", "a") as catalog:
        catalog.write('{"_index": 1000')
    report = check_tub(real_tub)
    assert [(p.file, p.index) for p in report.problems] == [
        ("catalog_0.catalog", 1000), ("catalog_0.catalog", 5), (IMAGE.format(7), 7)]
    assert report.good_records == 998 and report.repairs == []

    repaired = check_tub(real_tub, repair=True)
    assert repaired.repairs == [
        "dropped the torn last line of catalog_0.catalog",
        "rebuilt catalog_0.catalog_manifest",
        "soft-deleted 2 bad records (undo with `burro tub restore`): 5, 7"]
    after = check_tub(real_tub)
    assert after.problems == [] and after.good_records == 998
    assert sorted(Tub(real_tub).deleted_indexes) == [5, 7]
    index = json.loads((real_tub / "catalog_0.catalog_manifest").read_text())
    assert sum(index["line_lengths"]) == (real_tub / "catalog_0.catalog").stat().st_size


def test_decode_finds_a_jpeg_that_is_broken_inside(real_tub):
    path = real_tub / IMAGE.format(3)
    data = bytearray(path.read_bytes())
    data[200:1200] = bytes(1000)  # headers and end marker intact, entropy data destroyed
    replace_file(path, bytes(data))
    assert check_tub(real_tub).problems == []
    report = check_tub(real_tub, decode=True)
    assert [(p.file, p.index) for p in report.problems] == [(IMAGE.format(3), 3)]


def test_repair_rebuilds_a_lost_manifest_from_the_catalogs(real_tub):
    (real_tub / "manifest.json").unlink()
    report = check_tub(real_tub, repair=True)
    assert report.repairs[0].startswith("rebuilt manifest.json from the catalogs")
    tub = Tub(real_tub)
    assert dict(zip(tub.inputs, tub.types)) == {
        "cam/image_array": "image_array", "user/angle": "float", "user/mode": "str",
        "user/throttle": "float"}
    assert len(list(tub)) == 1000 and tub.end_index == 1000
