"""Write -> read round trip of every record type, and values that cannot be stored."""

import json

import numpy as np
import pytest
from tests.tub.tubkit import frame

from burro.errors import BurroError
from burro.tub import Tub

ALL = {"cam/image_array": "image_array", "cam/depth_array": "gray16_array",
       "user/angle": "float", "behavior/state": "int", "flag": "boolean",
       "user/mode": "str", "lidar/dist_array": "nparray", "behavior/one_hot": "vector",
       "things": "list"}


def _tub(path):
    return Tub(path, list(ALL), list(ALL.values()))


def test_every_type_round_trips(tmp_path):
    depth = (np.arange(120 * 160, dtype=np.uint32).reshape(120, 160) * 3 % 65536)
    depth = depth.astype(np.uint16)
    with _tub(tmp_path / "tub") as tub:
        tub.write_record({"cam/image_array": frame(1), "cam/depth_array": depth,
                          "user/angle": np.float32(-0.25), "behavior/state": np.int64(2),
                          "flag": np.bool_(True), "user/mode": "local_angle",
                          "lidar/dist_array": np.array([[1.5, 2.0], [0.0, 3.25]]),
                          "behavior/one_hot": [np.float32(1.0), 0.0], "things": ("a", 1)})
    record, = list(Tub(tmp_path / "tub"))
    assert record["user/angle"] == -0.25 and record["behavior/state"] == 2
    assert record["flag"] is True and record["user/mode"] == "local_angle"
    assert record["lidar/dist_array"] == [[1.5, 2.0], [0.0, 3.25]]
    assert record["behavior/one_hot"] == [1.0, 0.0] and record["things"] == ["a", 1]
    assert record["cam/depth_array"] == "0_cam_depth_array_.png"
    stored_depth = record.image("cam/depth_array")
    assert stored_depth.dtype == np.uint16 and np.array_equal(stored_depth, depth)
    assert record.image("cam/image_array").shape == (120, 160, 3)


def test_none_values_and_unknown_keys_are_left_out_like_donkey(tmp_path):
    with _tub(tmp_path / "tub") as tub:
        tub.write_record({"user/angle": 0.5, "user/mode": None, "not/an/input": 3})
    line = json.loads((tmp_path / "tub" / "catalog_0.catalog").read_text())
    assert set(line) == {"_index", "_timestamp_ms", "_session_id", "user/angle"}


@pytest.mark.parametrize("record, message", [
    ({"user/angle": float("nan")}, "'user/angle' cannot be stored as float: nan"),
    ({"user/angle": "fast"}, "'user/angle' cannot be stored as float"),
    ({"lidar/dist_array": np.array([1.0, np.inf])}, "'lidar/dist_array' cannot be stored"),
    ({"cam/image_array": np.zeros((4, 4, 5), np.uint8)}, "cannot store image 'cam/image_array'"),
    ({"cam/image_array": np.full((4, 4, 3), 300)}, "int64 values must lie in 0..255"),
    ({"cam/depth_array": np.zeros((4, 4, 3), np.uint16)}, "expected an HxW depth image"),
])
def test_a_value_that_cannot_be_stored_is_refused_before_anything_is_written(
        tmp_path, record, message):
    with _tub(tmp_path / "tub") as tub:
        with pytest.raises(BurroError, match=message):
            tub.write_record({"cam/image_array": frame(0), **record})
        assert tub.write_record({"user/angle": 0.0}) == 0
    assert [rec.index for rec in Tub(tmp_path / "tub")] == [0]
    assert list((tmp_path / "tub" / "images").iterdir()) == []


def test_writing_after_close_is_refused(tmp_path):
    tub = _tub(tmp_path / "tub")
    tub.close()
    with pytest.raises(BurroError, match="not open for writing"):
        tub.write_record({"user/angle": 0.0})


def test_unknown_type_cannot_be_recorded(tmp_path):
    with pytest.raises(BurroError, match="unknown record type 'double'"):
        Tub(tmp_path / "tub", ["x"], ["double"])
