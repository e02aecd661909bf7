import pytest

from burro.vehicle.memory import Memory, OutputCountError


def test_missing_keys_read_as_none_and_set_values_read_back():
    mem = Memory()
    mem["cam/image_array"] = 1
    assert mem["cam/image_array"] == 1
    assert mem.get(["cam/image_array", "user/angle"]) == [1, None]
    assert "user/angle" not in mem and "cam/image_array" in mem
    with pytest.raises(KeyError):
        mem["user/angle"]


def test_one_key_stores_the_whole_value_even_a_tuple():
    mem = Memory()
    mem.put(["pair"], (1, 2))
    assert mem["pair"] == (1, 2)


def test_several_keys_take_one_value_each():
    mem = Memory()
    mem.put(["angle", "throttle"], (0.1, 0.2))
    assert mem.get(["angle", "throttle"]) == [0.1, 0.2]
    mem.put(["angle", "throttle"], [0.3, None])
    assert mem.get(["angle", "throttle"]) == [0.3, None]


@pytest.mark.parametrize("values", [(1,), (1, 2, 3), 5, "ab"])
def test_wrong_number_of_values_is_an_error_and_writes_nothing(values):
    mem = Memory()
    with pytest.raises(OutputCountError, match="outputs"):
        mem.put(["a", "b"], values)
    assert len(mem) == 0


def test_no_keys_stores_nothing():
    mem = Memory()
    mem.put([], (1, 2))
    assert len(mem) == 0


def test_tuple_keys_like_donkey():
    mem = Memory()
    mem[("a", "b")] = (1, 2)
    assert mem[("a", "b")] == [1, 2]
    assert dict(mem.items()) == {"a": 1, "b": 2}
