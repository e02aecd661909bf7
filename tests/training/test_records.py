"""The training record collection: `null` means missing, and no stored value crashes it."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.training.tubs import make_tub

from burro.errors import BurroError
from burro.models import get_model_type
from burro.training.records import RecordSet, collect_records
from burro.tub import Tub
from burro.tub.record import Record

KEYS = ("user/angle", "user/throttle")


class StoredRecords:
    """A real tub's records with their values replaced by `values` (one dict per record)."""

    def __init__(self, tub: Tub, values: list[dict]):
        self.tub, self.values = tub, values
        self.path, self.problems = tub.path, tub.problems

    def __iter__(self):
        for number, (record, values) in enumerate(zip(self.tub, self.values)):
            data = {**record.data, **values}
            yield Record(data, self.tub, record.index, f"s{number % 3}", record.timestamp_ms)


@pytest.fixture(scope="module")
def tub(tmp_path_factory):
    return Tub(make_tub(tmp_path_factory.mktemp("tubs") / "tub", 12))


JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**400, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=2)),
    max_leaves=5)
RECORD = st.dictionaries(st.sampled_from([*KEYS, "cam/image_array"]), JSON_VALUES, max_size=3)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RECORD, min_size=12, max_size=12))
def test_any_stored_values_give_finite_targets_or_one_error(tub, values):
    try:
        records = collect_records([StoredRecords(tub, values)], KEYS)
    except BurroError as error:
        assert error.line().startswith("no usable records")
        return
    assert len(records) + sum(records.skipped.values()) == 12
    for name in ("linear", "categorical", "inferred"):
        for column in get_model_type(name).targets(records.columns).values():
            assert np.isfinite(column).all()
    assert len(records.image_paths) == len(records.groups) == len(records.indexes)


def test_null_and_lists_holding_null_count_as_missing(tub):
    values = [{}] * 12
    values[1] = {"user/angle": None}
    values[2] = {"user/throttle": [0.1, None]}
    values[3] = {"user/angle": "0.5"}
    values[4] = {"user/angle": float("nan")}
    values[5] = {"user/angle": 10**400}
    values[6] = {"cam/image_array": None}
    values[7] = {"user/angle": True}
    values[8] = {"user/throttle": 1e39}  # beyond float32
    records = collect_records([StoredRecords(tub, values)], KEYS)
    assert records.skipped == Counter({
        "no user/angle": 1, "no user/throttle": 1, "non-numeric user/angle": 2,
        "non-finite user/angle": 2, "non-finite user/throttle": 1, "no cam/image_array": 1})
    assert list(records.indexes) == [0, 9, 10, 11]


def test_a_key_whose_shape_differs_from_the_others_is_skipped(tub):
    values = [{}] * 12
    values[0] = {"user/angle": [0.1, 0.2]}
    records = collect_records([StoredRecords(tub, values)], KEYS)
    assert records.skipped == Counter({"odd-shaped user/angle": 1})
    assert records.columns["user/angle"].dtype == np.float64 and len(records) == 11


def test_places_name_each_tub_with_its_index_ranges():
    records = RecordSet(image_paths=[f"{i}.jpg" for i in range(7)], columns={},
                        groups=np.zeros(7), tub_of_row=np.array([0, 0, 0, 0, 1, 1, 1]),
                        tub_paths=["data/tub_1", "data/tub_2"],
                        indexes=np.array([3, 4, 5, 9, 0, 2, 4]))
    assert records.places([0, 1, 2, 3, 4]) == "data/tub_1 indexes 3-5, 9; data/tub_2 indexes 0"
    assert records.places([4, 5, 6], max_ranges=2) == "data/tub_2 indexes 0, 2 ..."
