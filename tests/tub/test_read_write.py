import json

import numpy as np
import pytest
from tests.tub.tubkit import BASIC_INPUTS, BASIC_TYPES, basic_record, frame

from burro.errors import BurroError
from burro.tub import Tub, open_tubs


def test_reads_the_real_donkey_tub_exactly(shared_tub_path):
    tub = Tub(shared_tub_path)
    records = list(tub)
    lines = (shared_tub_path / "catalog_0.catalog").read_text().splitlines()
    assert len(tub) == len(records) == 1000
    assert tub.inputs == ["cam/image_array", "user/angle", "user/throttle", "user/mode",
                          "timestamp"]
    assert [rec.index for rec in records] == list(range(1000))
    assert [rec.data for rec in records] == [json.loads(line) for line in lines]
    assert records[0]["user/angle"] == 0.2986039775370604
    assert records[0].timestamp_ms == 1602421393803
    assert records[999].image_path("cam/image_array") == (
        shared_tub_path / "images" / "999_cam_image_array_.jpg")
    image = records[999].image("cam/image_array")
    assert image.shape == (120, 160, 3) and image.dtype == np.uint8
    assert tub.problems.problems == []


def test_records_without_session_id_share_a_stable_legacy_session(shared_tub_path):
    assert {rec.session_id for rec in Tub(shared_tub_path)} == {"legacy_0"}


def test_write_then_read_round_trip(write_tub):
    path = write_tub(5)
    tub = Tub(path)
    records = list(tub)
    assert [rec.index for rec in records] == [0, 1, 2, 3, 4]
    assert [rec["user/angle"] for rec in records] == [-0.5, -0.49, -0.48, -0.47, -0.46]
    assert len({rec.session_id for rec in records}) == 1
    decoded = records[3].image("cam/image_array").astype(int)
    assert np.abs(decoded - frame(3)).mean() < 3  # JPEG is lossy but close


def test_reopening_for_writing_appends_a_new_session(tmp_path):
    path = tmp_path / "tub"
    for _ in range(2):
        with Tub(path, BASIC_INPUTS, BASIC_TYPES) as tub:
            for i in range(3):
                tub.write_record(basic_record(i))
    records = list(Tub(path))
    assert [rec.index for rec in records] == list(range(6))
    sessions = [rec.session_id for rec in records]
    assert sessions[0] != sessions[3] and sessions[3].endswith("_1")


def test_appending_with_other_inputs_is_refused(write_tub):
    path = write_tub(1)
    with pytest.raises(BurroError, match="other keys"):
        Tub(path, ["user/angle"], ["float"])


def test_open_tubs_accepts_paths_globs_and_comma_lists(write_tub, tmp_path):
    a, b = write_tub(2, "a"), write_tub(3, "b")
    (tmp_path / "notes.txt").write_text("not a tub")
    assert [t.path for t in open_tubs(str(tmp_path / "*"))] == [a, b]
    assert [t.path for t in open_tubs(f"{b},{a}")] == [b, a]
    assert [len(t) for t in open_tubs([str(a), b])] == [2, 3]
    with pytest.raises(BurroError, match="not found"):
        open_tubs(str(tmp_path / "missing"))


def test_open_tubs_takes_a_data_folder_holding_tubs(write_tub, tmp_path):
    a, b = write_tub(2, "tub_1"), write_tub(3, "tub_2")
    (tmp_path / "empty").mkdir()
    assert [t.path for t in open_tubs(str(tmp_path))] == [a, b]
    with pytest.raises(BurroError, match="manifest.json is missing"):
        open_tubs(str(tmp_path / "empty"))


def test_appending_to_a_tub_with_odd_session_metadata_starts_at_session_0(write_tub):
    path = write_tub(1)
    lines = (path / "manifest.json").read_text().splitlines()
    lines[3] = '{"created_at": 1.0, "sessions": ["not", "a", "dict"]}'
    (path / "manifest.json").write_text("\n".join(lines) + "\n")
    with Tub(path, BASIC_INPUTS, BASIC_TYPES) as tub:
        tub.write_record(basic_record(1))
    assert [rec.session_id[-2:] for rec in Tub(path)] == ["_0", "_0"]
    assert json.loads((path / "manifest.json").read_text().splitlines()[3])["sessions"][
        "last_id"] == 0


def test_recording_into_a_folder_whose_creation_was_cut_short_starts_afresh(tmp_path):
    path = tmp_path / "tub"
    (path / "images").mkdir(parents=True)
    (path / "catalog_0.catalog").touch()  # killed before manifest.json was written
    with Tub(path, BASIC_INPUTS, BASIC_TYPES) as tub:
        tub.write_record(basic_record(0))
    assert [record.index for record in Tub(path)] == [0]


def test_recording_into_a_folder_of_catalogs_without_manifest_is_refused(write_tub):
    path = write_tub(3)
    (path / "manifest.json").unlink()
    with pytest.raises(BurroError, match="catalog files but no manifest.json.*--repair"):
        Tub(path, BASIC_INPUTS, BASIC_TYPES)
    assert len((path / "catalog_0.catalog").read_bytes().splitlines()) == 3
