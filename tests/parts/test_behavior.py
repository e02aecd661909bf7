"""The Behavior part: the active behaviour state, switched from any thread."""

import logging
import threading

import pytest

from burro.config import default_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.behavior import Behavior


def test_starts_in_the_first_state_with_donkeys_three_outputs():
    part = PARTS.get("Behavior").from_config(default_config())
    assert part.outputs == ("behavior/state", "behavior/label", "behavior/one_hot_state_array")
    assert part.inputs == ()
    assert part.run() == (0, "Left_Lane", [1.0, 0.0])
    assert PARTS.get("BehaviorPart") is Behavior


def test_next_and_previous_wrap_round_and_set_state_refuses_bad_indexes():
    part = Behavior(["a", "b", "c"])
    assert part.next_state() == 1
    assert part.run() == (1, "b", [0.0, 1.0, 0.0])
    assert part.next_state() == 2 and part.next_state() == 0
    assert part.previous_state() == 2
    assert part.label == "c" and part.labels == ["a", "b", "c"]
    for bad in (3, -1, True, "1", 1.0, None):
        assert part.set_state(bad) is False
        assert part.state == 2
    assert part.set_state(1) is True
    assert part.run() == (1, "b", [0.0, 1.0, 0.0])


@pytest.mark.parametrize("labels, message", [([], "at least one"), (["a", ""], "at least one"),
                                             (["a", "a"], "twice")])
def test_a_bad_behavior_list_is_a_one_line_error(labels, message):
    with pytest.raises(BurroError, match=message) as error:
        Behavior(labels)
    assert "BEHAVIOR_LIST" in error.value.line() and "\n" not in error.value.line()


def test_each_change_logs_the_new_label_once(caplog):
    part = Behavior(["Left_Lane", "Right_Lane"])
    with caplog.at_level(logging.INFO, logger="burro.parts.behavior"):
        part.next_state()
        part.set_state(1)  # no change: no line
        part.set_state(0)
    assert [r.getMessage() for r in caplog.records] == ["behaviour state: Right_Lane",
                                                        "behaviour state: Left_Lane"]


def test_switches_from_many_threads_are_none_lost():
    part = Behavior(["a", "b", "c"])
    def press(times):
        for _ in range(times):
            part.next_state()
    threads = [threading.Thread(target=press, args=(1000,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    outputs = set()
    while any(thread.is_alive() for thread in threads):
        state, label, one_hot = part.run()
        outputs.add((state, label, tuple(one_hot)))
    for thread in threads:
        thread.join()
    assert part.state == 8000 % 3
    assert outputs <= {(i, "abc"[i], tuple(float(i == j) for j in range(3))) for i in range(3)}
