"""A behavior pilot in every format: two inputs, the behaviour steers it, bad extra values."""

import json
import logging
import time

import numpy as np
import pytest
from tests.pilots.conftest import BEHAVIOR_FORMATS

from burro.pilots import load
from burro.pilots.base import ExtraInputError

pytestmark = pytest.mark.slow  # trains one behaviour pilot per session (~15 s)

LEFT, RIGHT = [1.0, 0.0], [0.0, 1.0]


def test_metadata_names_the_extra_input(behavior_pilot):
    info = json.loads(behavior_pilot.with_suffix(".json").read_text())
    assert info["type"] == "behavior"
    assert info["extra_inputs"] == [{"name": "xbehavior_in", "key": "behavior/one_hot_state_array",
                                     "shape": [2], "labels": ["Left_Lane", "Right_Lane"],
                                     "size_from": "BEHAVIOR_LIST"}]
    assert info["outputs"] == ["angle_out", "throttle_out"]


def test_every_format_gives_the_same_controls_for_the_same_image_and_state(behavior_pilot,
                                                                           real_frames):
    frames = real_frames[0][:64:8]
    scores, controls = {}, {}
    for suffix in BEHAVIOR_FORMATS:
        pilot = load(behavior_pilot.with_suffix(suffix))
        assert [extra.key for extra in pilot.extra_inputs] == ["behavior/one_hot_state_array"]
        controls[suffix] = np.array([pilot.run(frame, state) for frame in frames
                                     for state in (LEFT, RIGHT)])
        scores[suffix] = np.array([pilot.predict(frame, np.float32(state))["angle_out"][0]
                                   for frame in frames for state in (LEFT, RIGHT)])
    for suffix in BEHAVIOR_FORMATS:
        assert np.abs(scores[suffix] - scores[".keras"]).max() < 1e-4, suffix
        np.testing.assert_allclose(controls[suffix], controls[".keras"], atol=1e-6)


def test_the_behaviour_state_steers_the_pilot(behavior_pilot, real_frames):
    pilot = load(behavior_pilot.with_suffix(".tflite"))
    frames = real_frames[0][:64:4]
    left = np.array([pilot.run(frame, LEFT)[0] for frame in frames])
    right = np.array([pilot.run(frame, RIGHT)[0] for frame in frames])
    assert left.mean() < -0.2 and right.mean() > 0.2  # trained on -0.5 / +0.5
    assert np.mean(left < right) >= 0.9


@pytest.mark.parametrize("suffix", [".onnx", ".keras"])
def test_missing_or_bad_behaviour_values_are_one_line_errors(behavior_pilot, real_frames, suffix):
    pilot = load(behavior_pilot.with_suffix(suffix))
    frame = real_frames[0][0]
    for extra, message in (((), "needs behavior/one_hot_state_array"),
                           ((None,), "no behavior/one_hot_state_array value"),
                           (([1.0, 0.0, 0.0],), "is not 2 finite numbers"),
                           (([float("nan"), 1.0],), "is not 2 finite numbers"),
                           (("left",), "is not 2 finite numbers")):
        with pytest.raises(ExtraInputError, match=message) as error:
            pilot.run(frame, *extra)
        assert "\n" not in error.value.line()


def test_the_pilot_part_takes_the_behaviour_key_and_outputs_none_on_bad_ticks(behavior_pilot,
                                                                             real_frames,
                                                                             caplog):
    from burro.parts.pilot import PilotPart

    part = PilotPart(behavior_pilot.with_suffix(".tflite"), reload=False)
    assert part.extra_inputs == ["behavior/one_hot_state_array"]
    frame = real_frames[0][0]
    with caplog.at_level(logging.WARNING, logger="burro.parts.pilot"):
        good = part.run(frame, 1.0, 1.0, LEFT)
        bad = [part.run(frame, 1.05, 1.05, None), part.run(frame, 1.1, 1.1, [1.0]),
               part.run(frame, 1.15, 1.15)]
        again = part.run(frame, 1.2, 1.2, RIGHT)
        part.run(frame, 1.25, 1.25, None)
    assert good[2] == 1.0 and good[0] < again[0] and again[2] == 1.2
    assert bad == [(None, None, None)] * 3
    assert part.bad_extra_ticks == 4
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 2  # once per run of bad ticks
    assert "no behavior/one_hot_state_array value" in warnings[0]


def test_a_behavior_pilot_cannot_reload_into_an_image_only_one(behavior_pilot, trained_pilots,
                                                               tmp_path, caplog):
    import shutil

    from burro.parts.pilot import PilotPart

    path = tmp_path / "pilot.tflite"
    for ending in (".tflite", ".json"):
        shutil.copyfile(behavior_pilot.with_suffix(ending), path.with_suffix(ending))
    part = PilotPart(path, settle_s=0.0, check_every_s=0.0)
    for ending in (".tflite", ".json"):
        shutil.copyfile(trained_pilots["categorical"].with_suffix(ending),
                        path.with_suffix(".new" + ending))
        path.with_suffix(".new" + ending).replace(path.with_suffix(ending))
    frame = np.zeros((120, 160, 3), np.uint8)
    with caplog.at_level(logging.WARNING, logger="burro.parts.pilot"):
        for tick in range(200):
            part.run(frame, tick, tick, LEFT)
            if part.failed_reloads:
                break
            time.sleep(0.01)
    assert part.failed_reloads == 1 and part.reloads == 0
    assert "other inputs besides the image" in caplog.text


def donkey_behavioral(states: int):
    """A model as Donkey's KerasBehavioral saves it: inputs img_in (pixels scaled to [0, 1] by
    the drive loop, no Rescaling layer) and xbehavior_in, outputs angle_out, throttle_out."""
    import keras

    from burro.models.core import conv_stack

    img_in = keras.Input(shape=(120, 160, 3), name="img_in")
    behavior_in = keras.Input(shape=(states,), name="xbehavior_in")
    x = keras.layers.Dropout(0.1)(keras.layers.Dense(100, activation="relu")(conv_stack(img_in)))
    y = behavior_in
    for _ in range(3):
        y = keras.layers.Dense(2 * states, activation="relu")(y)
    z = keras.layers.Dense(50, activation="relu")(keras.layers.concatenate([x, y]))
    angle = keras.layers.Dense(15, activation="softmax", name="angle_out")(z)
    throttle = keras.layers.Dense(20, activation="softmax", name="throttle_out")(z)
    return keras.Model(inputs=[img_in, behavior_in], outputs=[angle, throttle])


def test_a_donkey_trained_behavior_h5_drives_with_type_behavior(tmp_path, real_frames):
    from burro.config import default_config
    from burro.errors import BurroError
    from burro.models.types.categorical import linear_unbin

    model = donkey_behavioral(2)
    path = tmp_path / "my_beh.h5"
    model.save(path)
    pilot = load(path, model_type="behavior", cfg=default_config())
    assert pilot.donkey and [extra.name for extra in pilot.extra_inputs] == ["xbehavior_in"]
    frame = real_frames[0][0]
    for state in (LEFT, RIGHT):
        angle_scores, _ = model([frame[None].astype(np.float32) / 255, np.float32([state])])
        expected = linear_unbin(np.asarray(angle_scores), 15, -1.0, 2.0)
        assert pilot.run(frame, state)[0] == pytest.approx(expected)
    three = default_config()
    three.BEHAVIOR_LIST = ["a", "b", "c"]
    with pytest.raises(BurroError, match="xbehavior_in takes 2 values, BEHAVIOR_LIST has 3"):
        load(path, model_type="behavior", cfg=three)


def test_sim_drive_feeds_a_behavior_pilot_the_experts_lane(behavior_pilot, tmp_path):
    import subprocess
    import sys

    model = str(behavior_pilot.with_suffix(".tflite"))
    command = [sys.executable, "-m", "burro", "sim", "drive", "--model", model, "--track",
               "two_lane", "--laps", "1", "--max-steps", "40", "--car", str(tmp_path)]
    done = subprocess.run([*command, "--lane", "switch"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "in commanded lane" in done.stdout
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == ("burro: error: a behavior pilot needs the lane it is told to "
                                   "keep (--lane) — give --lane left, right or switch on the "
                                   "two_lane track")
