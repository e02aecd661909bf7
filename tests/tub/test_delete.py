"""Soft delete and restore: by index, ranges, last N records and last S seconds."""

import pytest
from tests.tub.tubkit import BASIC_INPUTS, BASIC_TYPES, basic_record

from burro.errors import BurroError
from burro.tub import Tub


def _indexes(path):
    return [record.index for record in Tub(path)]


def test_delete_and_restore_persist_and_readers_skip_deleted(write_tub):
    path = write_tub(10)
    tub = Tub(path)
    assert tub.delete_records([2, 3]) == [2, 3]
    assert tub.delete_records(range(5, 8)) == [5, 6, 7]
    assert tub.delete_records(2) == []  # already deleted
    assert len(tub) == 5 and len(Tub(path)) == 5
    assert _indexes(path) == [0, 1, 4, 8, 9]
    assert Tub(path).restore_records([3, 6]) == [3, 6]
    assert _indexes(path) == [0, 1, 3, 4, 6, 8, 9]
    assert sorted(Tub(path).deleted_indexes) == [2, 5, 7]


def test_delete_last_n_skips_already_deleted_records(write_tub):
    path = write_tub(10)
    Tub(path).delete_records([9, 7])
    assert sorted(Tub(path).delete_last_n_records(3)) == [5, 6, 8]
    assert _indexes(path) == [0, 1, 2, 3, 4]


def test_erase_last_n_while_recording_then_recording_goes_on(tmp_path):
    path = tmp_path / "tub"
    with Tub(path, BASIC_INPUTS, BASIC_TYPES) as tub:
        for i in range(8):
            tub.write_record(basic_record(i))
        assert tub.delete_last_n_records(5) == [3, 4, 5, 6, 7]
        tub.write_record(basic_record(8))
    assert _indexes(path) == [0, 1, 2, 8]


def test_delete_last_seconds_uses_the_record_timestamps(tmp_path):
    path = tmp_path / "tub"
    with Tub(path, BASIC_INPUTS, BASIC_TYPES) as tub:
        for i in range(10):  # 20 Hz: one record every 50 ms
            tub.write_record(basic_record(i), timestamp_ms=1_000_000 + 50 * i)
    assert Tub(path).delete_last_seconds(0.2) == [5, 6, 7, 8, 9]
    assert Tub(path).delete_last_seconds(0.1) == [2, 3, 4]


def test_deleting_an_index_that_does_not_exist_is_a_clear_error(write_tub):
    path = write_tub(3)
    with pytest.raises(BurroError, match="no record with index 3.*indexes go from 0 to 2"):
        Tub(path).delete_records([1, 3])
    assert Tub(path).deleted_indexes == set()


def test_a_read_only_tub_is_never_modified(write_tub):
    path = write_tub(3)
    manifest = path / "manifest.json"
    manifest.chmod(0o444)
    before = manifest.read_bytes()
    with pytest.raises(BurroError, match="the tub is read-only"):
        Tub(path).delete_records([1])
    with pytest.raises(BurroError, match="the tub is read-only"):
        Tub(path, BASIC_INPUTS, BASIC_TYPES)
    assert manifest.read_bytes() == before


def test_a_tub_being_recorded_into_is_not_changed_by_another_program(tmp_path):
    path = tmp_path / "tub"
    with Tub(path, BASIC_INPUTS, BASIC_TYPES) as recorder:
        recorder.write_record(basic_record(0))
        with pytest.raises(BurroError, match="being recorded into by another program"):
            Tub(path, BASIC_INPUTS, BASIC_TYPES)
        with pytest.raises(BurroError, match="being recorded into by another program"):
            Tub(path).delete_records([0])
        recorder.write_record(basic_record(1))
        assert recorder.delete_last_n_records(1) == [1]  # the recorder itself may
    assert Tub(path).restore_records([1]) == [1]
    with Tub(path, BASIC_INPUTS, BASIC_TYPES) as again:
        assert again.write_record(basic_record(2)) == 2
