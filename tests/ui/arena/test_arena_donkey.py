"""The Pilot Arena's API on a real `burro ui` with a pilot trained by Donkey Car 5.4 (no
burro .json: it needs its type), and the paths the browser may name."""

import numpy as np
import pytest
from tests.ui.arena.conftest import DONKEY
from tests.ui.uikit import call, running_ui


@pytest.fixture(scope="module")
def donkey_car(tmp_path_factory):
    """A car of 80x80 frames with Donkey 5.4's linear.tflite (no .json) in models/ and a tub
    of the frames Donkey was tested on; `burro ui` on it."""
    from burro.tub import Tub

    root = tmp_path_factory.mktemp("arena-donkey")
    car = root / "donkeycar"
    (car / "models").mkdir(parents=True)
    (car / "myconfig.py").write_text("IMAGE_W = 80\nIMAGE_H = 80\n")
    (car / "config.py").write_text("")
    donkey_pilot = car / "models" / "linear.tflite"
    donkey_pilot.write_bytes((DONKEY / "linear.tflite").read_bytes())
    frames = np.load(DONKEY / "frames.npz")["frames"]
    with Tub(car / "data" / "tub_80", ["cam/image_array", "user/angle", "user/throttle"],
             ["image_array", "float", "float"]) as tub:
        for i, image in enumerate(frames):
            tub.write_record({"cam/image_array": image, "user/angle": 0.1 * i,
                              "user/throttle": 0.3})
    with running_ui("--car", str(car), "--tub", str(car / "data" / "tub_80"),
                    "--root", str(root)) as base:
        yield base, car


def test_a_donkey_trained_pilot_runs_with_the_type_chosen(donkey_car):
    """Listed without a type, refused without one, run with the one chosen."""
    from burro import pilots
    from burro.tub.images import load_image

    base, car = donkey_car
    donkey_pilot = car / "models" / "linear.tflite"
    listing = call(base, "/api/arena/pilots")[1]
    assert [(p["name"], p["type"]) for p in listing["pilots"]] == [("linear.tflite", None)]
    status, answer = call(base, "/api/arena/predict",
                          {"position": 1, "pilots": [{"path": str(donkey_pilot)}]})
    assert status == 200 and "needs --type" in answer["predictions"][0]["error"]
    status, answer = call(base, "/api/arena/predict", {
        "position": 1, "pilots": [{"path": str(donkey_pilot), "type": "tflite_linear"}]})
    assert status == 200, answer
    given = answer["predictions"][0]
    assert given["label"] == "linear.tflite (tflite_linear)"
    image = load_image(car / "data" / "tub_80" / "images" / "1_cam_image_array_.jpg")
    expected = pilots.load(donkey_pilot, model_type="tflite_linear").run(image)
    assert (given["angle"], given["throttle"]) == pytest.approx(expected, abs=1e-5)


def test_paths_outside_the_roots_are_refused(donkey_car, tmp_path):
    base, car = donkey_car
    escape = car / "models" / "escape.onnx"
    escape.symlink_to(tmp_path / "elsewhere.onnx")  # tmp_path is outside the root
    for body in ({"position": 0, "pilots": [{"path": "/etc/passwd"}]},
                 {"position": 0, "pilots": [{"path": "../../../../etc/hosts"}]}):
        status, answer = call(base, "/api/arena/predict", body)
        assert status == 403, answer
        assert answer["error"].startswith("path outside the folders burro ui may use")
    assert call(base, "/api/arena/pilots?folder=/etc")[0] == 403
    assert call(base, "/api/arena/drive", {"pilot": {"path": "/usr/bin/python3"}})[0] == 403
    assert call(base, "/api/arena/predict",
                {"position": 0, "pilots": [{"path": str(escape)}]})[0] == 403
