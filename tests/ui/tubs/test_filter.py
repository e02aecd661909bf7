"""TRAIN_FILTER: the safe expression (what it allows, refuses and means) and training using it."""

import pytest

from burro.training.record_filter import FilterError, compile_filter, filter_of
from burro.training.records import collect_records
from burro.tub import Tub

FIELDS = ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
LINE = {"_index": 3, "user/angle": -0.3, "user/throttle": 0.5, "user/mode": "user"}


@pytest.mark.parametrize("expression, expected", [
    ("user/throttle > 0.1", True),
    ("abs(user/angle) < 0.2", False),
    ('user/mode == "user" and 1e-3 < user/throttle <= 0.5', True),
    ("user/angle/2 < -0.1", True),  # the field, then a division
    ("_index in (1, 3) or not user/throttle", True),
    ("-user/angle * 2 + 0.4 > 1", False),
    ('user/mode != "local"', True),
])
def test_expressions_on_record_fields(expression, expected):
    assert compile_filter(expression, FIELDS)(LINE) is expected


def test_a_record_without_a_field_the_filter_reads_is_not_used():
    keep = compile_filter("user/throttle > 0.1", FIELDS)
    assert keep({"_index": 1, "user/throttle": None}) is False
    assert keep({"_index": 1}) is False


@pytest.mark.parametrize("expression", ["__import__('os')", "user/angle.real > 0",
                                        "2 ** 3 > 1", "min(user/angle, 0) < 0",
                                        "{1: 2} == 1", "user/angle if 1 else 0"])
def test_anything_else_is_refused_before_it_runs(expression):
    with pytest.raises(FilterError):
        compile_filter(expression, FIELDS)


def test_donkeys_function_gets_the_stored_line_as_underlying():
    keep = filter_of(lambda rec: rec.underlying["user/throttle"] > 0.4, FIELDS)
    assert keep(LINE) is True and filter_of(None, FIELDS) is None and filter_of(" ", FIELDS) is None


def test_training_uses_only_the_records_the_filter_keeps(tub_copy):
    tub = Tub(tub_copy)
    every = collect_records([tub], ["user/angle", "user/throttle"])
    some = collect_records([Tub(tub_copy)], ["user/angle", "user/throttle"],
                           train_filter="user/throttle > 0.6")
    throttles = every.columns["user/throttle"]
    assert len(some) == int((throttles > 0.6).sum()) < len(every)
    assert some.skipped["left out by TRAIN_FILTER"] == len(every) - len(some)
