"""Donkey v1 tubs: reading them and `convert_v1`, with Donkey's conversion bugs fixed."""

import json

import pytest
from PIL import Image
from tests.tub.tubkit import frame

from burro.errors import BurroError
from burro.tub import Tub, open_tubs
from burro.tub.convert import convert_v1

START = 1_600_000_000.0


def make_v1_tub(path, indexes, extra_key=False, malformed=(), excluded=()):
    path.mkdir()
    inputs = ["cam/image_array", "user/angle", "user/mode"] + (["imu/acl_x"] if extra_key else [])
    types = ["image_array", "float", "str"] + (["float"] if extra_key else [])
    (path / "meta.json").write_text(json.dumps(
        {"inputs": inputs, "types": types, "start": START, "location": "garage"}))
    for ix in indexes:
        image = f"{ix}_cam-image_array_.jpg"
        Image.fromarray(frame(ix)).save(path / image)
        record = {"cam/image_array": image, "user/angle": ix / 10, "user/mode": "user",
                  "milliseconds": 50 * ix}
        if extra_key:
            record["imu/acl_x"] = 9.81
        text = "{not json" if ix in malformed else json.dumps(record)
        (path / f"record_{ix}.json").write_text(text)
    if excluded:
        (path / "exclude.json").write_text(json.dumps(list(excluded)))
    return path


def test_convert_keeps_indexes_timestamps_metadata_and_the_record_after_a_gap(tmp_path):
    old = make_v1_tub(tmp_path / "v1", [1, 2, 3, 5, 6, 7], malformed=[6], excluded=[2])
    tub, problems = convert_v1([old], tmp_path / "v2")
    records = list(tub)
    assert [r.index for r in records] == [0, 2, 4, 6]  # v1 1, 3, 5 (after the gap), 7
    assert [r["user/angle"] for r in records] == [0.1, 0.3, 0.5, 0.7]
    assert [r.timestamp_ms for r in records] == [START * 1000 + 50 * ix for ix in (1, 3, 5, 7)]
    assert tub.metadata == {"location": "garage"}
    assert sorted(tub.deleted_indexes) == [1, 3, 5]  # excluded 2, gap 4, malformed 6
    assert tub.restore_records([1]) == [1] and [r.index for r in Tub(tub.path)][:2] == [0, 1]
    assert (tub.path / "images" / "4_cam_image_array_.jpg").read_bytes() == (
        old / "5_cam-image_array_.jpg").read_bytes()  # copied, not re-encoded
    assert [(p.file, p.index) for p in problems] == [("record_6.json", 6)]
    assert tub.inputs[-1] == "__empty__" and tub.types[-1] == "boolean"  # as Donkey's output


def test_convert_merges_tubs_with_different_keys_one_session_each(tmp_path):
    first = make_v1_tub(tmp_path / "a", [1, 2])
    second = make_v1_tub(tmp_path / "b", [1, 2, 3], extra_key=True)
    tub, problems = convert_v1([first, second], tmp_path / "v2")
    records = list(tub)
    assert problems == [] and [r.index for r in records] == [0, 1, 2, 3, 4]
    assert "imu/acl_x" not in records[1] and records[2]["imu/acl_x"] == 9.81
    assert len({r.session_id for r in records[:2]} | {r.session_id for r in records[2:]}) == 2


def test_convert_refuses_a_v2_tub_and_a_used_target(tmp_path, write_tub):
    v2 = write_tub(1)
    with pytest.raises(BurroError, match="already a v2 tub"):
        convert_v1([v2], tmp_path / "new")
    old = make_v1_tub(tmp_path / "v1", [1])
    with pytest.raises(BurroError, match="not empty"):
        convert_v1([old], v2)


def test_a_v1_tub_reads_like_any_tub_but_is_not_changed(tmp_path):
    old = make_v1_tub(tmp_path / "v1", [1, 2, 3, 5], malformed=[3], excluded=[2])
    tub = Tub(old)
    records = list(tub)
    assert len(tub) == 3 and [r.index for r in records] == [1, 5]
    assert records[1]["user/angle"] == 0.5 and records[1].timestamp_ms == START * 1000 + 250
    assert records[1].image_path("cam/image_array") == old / "5_cam-image_array_.jpg"
    assert records[1].image("cam/image_array").shape == (120, 160, 3)
    assert {r.session_id for r in records} == {"legacy_0"}
    assert [(p.file, p.index) for p in tub.problems.problems] == [("record_3.json", 3)]
    with pytest.raises(BurroError, match="burro tub convert"):
        tub.delete_records([1])
    with pytest.raises(BurroError, match="burro tub convert"):
        Tub(old, ["user/angle"], ["float"])
    assert [t.path for t in open_tubs(str(tmp_path / "*"))] == [old]


def test_convert_keeps_frames_of_every_valid_size(tmp_path):
    old = make_v1_tub(tmp_path / "v1", [1, 2, 3, 4])
    for ix in (2, 4):
        Image.fromarray(frame(ix, height=640, width=480)).save(old / f"{ix}_cam-image_array_.jpg")
    assert len(list(Tub(old))) == 4
    tub, problems = convert_v1([old], tmp_path / "v2")
    assert problems == [] and [r.index for r in tub] == [0, 1, 2, 3]
    assert tub.frame_sizes("cam/image_array") == {(160, 120): 2, (480, 640): 2}
    assert tub.problem_summary() == ("frames of two or more sizes: 160x120 (2), 480x640 (2) "
                                     "(cam/image_array)")


def test_a_conversion_that_fails_midway_leaves_no_tub(tmp_path, monkeypatch):
    import burro.tub.convert as convert

    old = make_v1_tub(tmp_path / "v1", [1, 2, 3, 4])
    copied = []

    def disk_full_at_the_third(v1, record):
        copied.append(record.index)
        if len(copied) == 3:
            raise OSError(28, "No space left on device")
        return real_copy(v1, record)

    real_copy = convert._with_image_bytes
    monkeypatch.setattr(convert, "_with_image_bytes", disk_full_at_the_third)
    with pytest.raises(BurroError) as error:
        convert_v1([old], tmp_path / "v2")
    assert error.value.line() == (
        f"conversion failed, no tub was written: No space left on device ({tmp_path / 'v2'}) "
        "— free space / check permissions, then convert again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1"]  # no half tub, no leftovers
    (tmp_path / "v2").mkdir()  # an empty target folder is fine
    monkeypatch.setattr(convert, "_with_image_bytes", real_copy)
    tub, _ = convert_v1([old], tmp_path / "v2")
    assert len(list(tub)) == 4 and tub.path == tmp_path / "v2"
