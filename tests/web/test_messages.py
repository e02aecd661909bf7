"""Every client message is checked whole: the validation table of docs/web.md."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from burro.web.messages import MAX_MESSAGE_BYTES, MessageError, calibrate_message, drive_message

REJECTED = [
    ('{"angle": "0.5"}', "angle must be a number"),
    ('{"angle": true}', "angle must be a number"),
    ('{"angle": null}', "angle must be a number"),
    ('{"angle": 1.5}', "angle must be in [-1, 1]"),
    ('{"throttle": -1.01}', "throttle must be in [-1, 1]"),
    ('{"throttle": NaN}', "NaN is not a finite number"),
    ('{"angle": Infinity}', "Infinity is not a finite number"),
    ('{"angle": -Infinity}', "-Infinity is not a finite number"),
    ('{"angle": 1e400}', "angle must be in [-1, 1]"),  # JSON's overflow to inf
    ('{"drive_mode": "auto"}', "drive_mode must be one of user, local_angle, local"),
    ('{"drive_mode": 1}', "drive_mode must be one of"),
    ('{"recording": 1}', "recording must be true or false"),
    ('{"recording": "true"}', "recording must be true or false"),
    ('{"buttons": ["w1"]}', "buttons must be an object"),
    ('{"buttons": {"w9": true}}', 'unknown button "w9"'),
    ('{"buttons": {"w1": 1}}', "buttons.w1 must be true or false"),
    ('{"stop": "yes"}', "stop must be true or false"),
    ('{"take_control": 1}', "take_control must be true or false"),
    ('{"erase_last": null}', "erase_last must be true or false"),
    ('{"behavior": 0}', "this car has no behaviours"),
    ('{"hello": "me"}', "hello must be an object"),
    ('{"hello": {"client": 5}}', "hello.client must be a string"),
    ("[1, 2]", "a message is a JSON object, not an array"),
    ('"angle"', "a message is a JSON object, not the string"),
    ("0.5", "a message is a JSON object, not the number"),
    ("null", "a message is a JSON object, not null"),
    ("{angle: 1}", "not JSON"),
    ("", "not JSON"),
    (b"\xff\xfe{", "not JSON"),
    ('{"angle": 0.5, "throttle": "fast"}', "throttle must be a number"),  # rejected whole
]


@pytest.mark.parametrize("text, reason", REJECTED)
def test_a_bad_message_is_rejected_whole_with_one_line(text, reason):
    with pytest.raises(MessageError) as caught:
        drive_message(text)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_donkeys_full_message_is_accepted_as_sent():
    text = json.dumps({"angle": -0.25, "throttle": 1, "drive_mode": "local_angle",
                       "recording": True, "buttons": {"w1": True, "w5": False}})
    message = drive_message(text)
    assert message.fields == {"angle": -0.25, "throttle": 1.0, "drive_mode": "local_angle",
                              "recording": True, "buttons": {"w1": True, "w5": False}}
    assert isinstance(message.fields["throttle"], float)
    assert message.ignored == []


def test_burros_fields_and_unknown_keys():
    message = drive_message('{"stop": true, "take_control": true, "erase_last": true, '
                            '"hello": {"client": "Firefox  on\\nAndroid"}, "behavior": 1, '
                            '"colour": "red", "x": 1}', behaviors=2)
    assert message.fields == {"stop": True, "take_control": True, "erase_last": True,
                              "hello": {"client": "Firefox on Android"}, "behavior": 1}
    assert message.ignored == ["colour", "x"]
    assert set(message.control) == {"erase_last", "behavior"}


@pytest.mark.parametrize("index", [-1, 2, 1.0, True])
def test_a_behaviour_index_must_name_a_state(index):
    with pytest.raises(MessageError, match="behavior"):
        drive_message(json.dumps({"behavior": index}), behaviors=2)


def test_messages_over_4_kib_are_refused():
    padding = "x" * (MAX_MESSAGE_BYTES - len('{"angle": 0, "pad": ""}'))
    assert drive_message(f'{{"angle": 0, "pad": "{padding}"}}').fields == {"angle": 0.0}
    with pytest.raises(MessageError, match="4097 bytes refused"):
        drive_message(f'{{"angle": 0, "pad": "{padding}x"}}')


def test_deep_nesting_is_not_json_not_a_crash():
    with pytest.raises(MessageError):
        drive_message("[" * 3000 + "]" * 3000)


NAMES = ("STEERING_LEFT_PWM", "THROTTLE_STOPPED_PWM")


@pytest.mark.parametrize("text, reason", [
    ('{"config": {"STEERING_LEFT_PWM": 4600}}', "outside 123..614"),
    ('{"config": {"STEERING_LEFT_PWM": 460.0}}', "must be an integer pulse count"),
    ('{"config": {"STEERING_LEFT_PWM": true}}', "must be an integer pulse count"),
    ('{"config": {"STEERING_MID": 400}}', 'unknown calibration key "STEERING_MID"'),
    ('{"config": [460]}', "config must be an object"),
    ('{"save": 1}', "save must be true or false"),
    ('{"throttle": 2}', "throttle must be in [-1, 1]"),
])
def test_calibrate_messages(text, reason):
    with pytest.raises(MessageError) as caught:
        calibrate_message(text, NAMES, 123, 614)
    assert reason in str(caught.value)


def test_a_calibrate_message_accepted():
    message = calibrate_message('{"config": {"STEERING_LEFT_PWM": 450}, "save": true, "y": 0}',
                                NAMES, 123, 614)
    assert message.fields == {"config": {"STEERING_LEFT_PWM": 450}, "save": True}
    assert message.ignored == ["y"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
keys = st.sampled_from(["angle", "throttle", "drive_mode", "recording", "buttons", "stop",
                        "erase_last", "behavior", "take_control", "hello", "other"])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=6) | json_values)
def test_any_json_is_accepted_or_a_message_error_never_anything_else(value):
    text = json.dumps(value)  # NaN/Infinity become the JSON extensions Python writes
    try:
        message = drive_message(text, behaviors=2)
    except MessageError:
        return
    for key in ("angle", "throttle"):
        if key in message.fields:
            assert -1.0 <= message.fields[key] <= 1.0
