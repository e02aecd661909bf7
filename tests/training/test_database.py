"""models/database.json rows and automatic pilot names."""

import json
import time

import pytest

from burro.errors import BurroError
from burro.training.database import append_row, database_path, next_model_path, read_database

DAY = time.strptime("2026-11-24", "%Y-%m-%d")


def test_rows_are_appended_with_increasing_numbers(tmp_path):
    first = append_row(tmp_path, {"Name": "a", "Type": "linear"})
    second = append_row(tmp_path, {"Name": "b", "Type": "inferred"})
    assert (first["Number"], second["Number"]) == (0, 1)
    rows = json.loads(database_path(tmp_path).read_text())
    assert [row["Name"] for row in rows] == ["a", "b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".database.json.lock", "database.json"]


def test_auto_names_take_the_next_free_number(tmp_path):
    assert next_model_path(tmp_path, today=DAY).name == "pilot_26-11-24_0.keras"
    (tmp_path / "pilot_26-11-20_4.keras").write_text("")
    assert next_model_path(tmp_path, today=DAY).name == "pilot_26-11-24_5.keras"
    append_row(tmp_path, {"Name": "named_by_hand"})
    assert next_model_path(tmp_path, h5=True, today=DAY).name == "pilot_26-11-24_6.h5"


def test_numpy_values_are_stored_as_plain_json(tmp_path):
    np = pytest.importorskip("numpy")
    append_row(tmp_path, {"History": {"loss": np.array([0.5, 0.25])}, "Value": np.float32(1.5)})
    assert read_database(tmp_path)[0]["History"] == {"loss": [0.5, 0.25]}


def test_a_torn_database_is_a_one_line_error(tmp_path):
    database_path(tmp_path).write_text('[{"Number": 0, "Na')
    with pytest.raises(BurroError, match="database.json"):
        read_database(tmp_path)
    with pytest.raises(BurroError):
        append_row(tmp_path, {"Name": "x"})
    assert database_path(tmp_path).read_text() == '[{"Number": 0, "Na'  # left for the user


def test_missing_database_reads_as_empty(tmp_path):
    assert read_database(tmp_path / "nowhere") == []


def test_one_row_per_model_file_retraining_replaces_it(tmp_path):
    from burro.training.database import put_row

    pilot = str(tmp_path / "a.keras")
    first, replaced = put_row(tmp_path, {"Name": "a", "Pilot": pilot, "Epochs": 3})
    assert (first["Number"], replaced) == (0, False)
    put_row(tmp_path, {"Name": "b", "Pilot": str(tmp_path / "b.h5")})
    again, replaced = put_row(tmp_path, {"Name": "a", "Pilot": pilot, "Epochs": 7})
    assert (again["Number"], replaced) == (0, True)
    rows = read_database(tmp_path)
    assert [(row["Name"], row.get("Epochs")) for row in rows] == [("a", 7), ("b", None)]


def test_a_donkey_row_of_the_same_model_name_is_replaced(tmp_path):
    from burro.training.database import put_row

    database_path(tmp_path).write_text(json.dumps(
        [{"Number": 3, "Name": "mypilot", "Pilot": "KerasLinear", "Type": "linear"}]))
    put_row(tmp_path, {"Name": "mypilot", "Pilot": str(tmp_path / "mypilot.h5")})
    assert [(row["Number"], row["Pilot"]) for row in read_database(tmp_path)] == [
        (3, str(tmp_path / "mypilot.h5"))]


def test_a_full_disk_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    import os

    append_row(tmp_path, {"Name": "a"})
    before = database_path(tmp_path).read_text()

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(BurroError, match="database.json.*free space / check permissions"):
        append_row(tmp_path, {"Name": "b"})
    assert database_path(tmp_path).read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".database.json.lock", "database.json"]
