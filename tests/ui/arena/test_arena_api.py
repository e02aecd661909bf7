"""The Pilot Arena's API on a real `burro ui` (a subprocess on a free port) with two real
pilots (.tflite and .onnx) and a copy of the real tub."""

import json
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest
from tests.ui.arena.conftest import make_car
from tests.ui.uikit import call, running_ui


@pytest.fixture(scope="module")
def arena(tmp_path_factory, arena_pilots):
    root = tmp_path_factory.mktemp("arena-api")
    car = make_car(root, arena_pilots)
    with running_ui("--car", str(car), "--tub", str(car / "data" / "tub_1"),
                    "--root", str(root)) as base:
        yield base, car


def both(car):
    return [{"path": str(car / "models" / "early.tflite")},
            {"path": "models/later.onnx"}]  # relative: to the car folder


def wait_for(base, job, timeout=120):
    deadline = time.monotonic() + timeout
    while job["state"] == "running":
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
        status, job = call(base, f"/api/arena/jobs/{job['id']}")
        assert status == 200
    return job


def fetch(base, path):
    with urllib.request.urlopen(base.rstrip("/") + path, timeout=60) as response:
        return response.headers["Content-Type"], response.read()


def test_the_car_s_pilots_are_listed_with_their_types(arena):
    base, car = arena
    status, listing = call(base, "/api/arena/pilots")
    assert status == 200 and listing["folder"] == str(car / "models")
    found = {entry["name"]: entry for entry in listing["pilots"]}
    assert set(found) == {"early.tflite", "later.onnx"}
    assert found["early.tflite"]["type"] == "linear" and found["later.onnx"]["format"] == "onnx"
    status, options = call(base, "/api/arena/options")
    assert status == 200 and "linear" in options["types"] and "oval" in options["tracks"]
    assert "BRIGHTNESS" in [a["name"] for a in options["augmentations"]]
    assert "CROP" in [t["name"] for t in options["transformations"]]


def test_two_pilots_predict_on_a_frame_as_they_do_outside_the_ui(arena, arena_pilots):
    from burro import pilots
    from burro.tub.images import load_image

    base, car = arena
    assert call(base, "/api/arena/frames")[1]["count"] == 1000
    status, answer = call(base, "/api/arena/predict", {"position": 7, "pilots": both(car)})
    assert status == 200, answer
    record = answer["record"]
    assert record["index"] == 7 and record["tub"] == str(car / "data" / "tub_1")
    line = (car / "data" / "tub_1" / "catalog_0.catalog").read_text().splitlines()[7]
    assert record["angle"] == json.loads(line)["user/angle"]
    image = load_image(car / "data" / "tub_1" / "images" / json.loads(line)["cam/image_array"])
    for given, name in zip(answer["predictions"], ("early.tflite", "later.onnx")):
        expected = pilots.load(arena_pilots[name]).run(image)
        assert given["angle"] == pytest.approx(expected[0], abs=1e-5)
        assert given["throttle"] == pytest.approx(expected[1], abs=1e-5)
    assert answer["predictions"][0]["angle"] != answer["predictions"][1]["angle"]


def test_predicted_vs_recorded_over_a_range_with_mse(arena):
    base, car = arena
    status, job = call(base, "/api/arena/range", {"pilots": both(car), "start": 100, "end": 160})
    assert status == 200 and job["total"] == 60
    job = wait_for(base, job)
    assert job["state"] == "done" and job["done"] == 60, job
    result = job["result"]
    assert result["positions"] == list(range(100, 160))
    recorded = np.array(result["recorded"]["angle"])
    for pilot in result["pilots"]:
        predicted = np.array(pilot["angle"])
        assert pilot["mse"]["angle"] == pytest.approx(np.mean((predicted - recorded) ** 2))
        assert len(pilot["throttle"]) == 60
    status, answer = call(base, "/api/arena/range", {"pilots": both(car), "start": 5, "end": 5000})
    assert status == 400 and "no range [5, 5000) in 1000 frames" in answer["error"]


def test_the_augmentation_preview_is_a_jpeg_of_the_changed_frame(arena):
    import io

    from PIL import Image

    base, _ = arena
    kind, plain = fetch(base, "/api/arena/image/3")
    assert kind == "image/jpeg"
    view = {"augmentations": ["BRIGHTNESS"], "transformations": ["CROP"], "seed": 4,
            "settings": {"AUG_BRIGHTNESS_RANGE": 0.5, "ROI_CROP_TOP": 60}}
    query = urllib.parse.quote(json.dumps(view))
    kind, seen = fetch(base, f"/api/arena/image/3?view={query}")
    assert kind == "image/jpeg"
    before = np.asarray(Image.open(io.BytesIO(plain)), dtype=float)
    after = np.asarray(Image.open(io.BytesIO(seen)), dtype=float)
    assert after.shape == before.shape == (120, 160, 3)
    assert after[:48].max() < 10  # cropped: the top 60 rows black (JPEG blurs its 16-row MCU)
    assert abs(after[60:].mean() - before[60:].mean()) > 3  # brightness/contrast changed
    view["settings"]["AUG_BRIGHTNESS_RANGE"] = "lots"
    status, answer = call(base, f"/api/arena/image/3?view={urllib.parse.quote(json.dumps(view))}")
    assert status == 400 and answer["error"].startswith("AUG_BRIGHTNESS_RANGE = 'lots' is not a float")


def test_paths_outside_the_roots_are_refused(arena):
    base, _ = arena
    for body in ({"position": 0, "pilots": [{"path": "/etc/passwd"}]},
                 {"position": 0, "pilots": [{"path": "../../../../etc/hosts"}]}):
        status, answer = call(base, "/api/arena/predict", body)
        assert status == 403, answer
        assert answer["error"].startswith("path outside the folders burro ui may use")
    assert call(base, "/api/arena/pilots?folder=/etc")[0] == 403
    assert call(base, "/api/arena/drive", {"pilot": {"path": "/usr/bin/python3"}})[0] == 403


def test_bad_requests_get_one_line(arena):
    base, car = arena
    status, answer = call(base, "/api/arena/predict", {"position": 1000, "pilots": both(car)})
    assert status == 400 and answer["error"] == "no frame 1000 (index) — give a position from 0 to 999"
    status, answer = call(base, "/api/arena/predict", {"position": 0, "pilots": both(car) * 3})
    assert status == 400 and answer["error"].startswith("choose 1 to 4 pilots")
    status, answer = call(base, "/api/arena/drive", {"pilot": both(car)[0], "laps": 0})
    assert status == 400 and answer["error"].startswith("laps 0 is not from 1 to 20")


@pytest.mark.slow
def test_a_drive_in_the_simulator_gives_its_report_and_path_plot(arena):
    base, car = arena
    status, job = call(base, "/api/arena/drive", {"pilot": both(car)[0], "laps": 1,
                                                  "track": "oval"})
    assert status == 200 and job["kind"] == "drive", job
    job = wait_for(base, job, timeout=300)
    assert job["state"] == "done", job
    report = job["report"]
    assert report["laps_target"] == 1 and report["track"] == "oval"
    assert {"laps_completed", "off_track_events", "mean_abs_cte", "mean_speed"} <= set(report)
    kind, png = fetch(base, f"/api/arena/jobs/{job['id']}/plot.png")
    assert kind == "image/png" and png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_donkey_trained_pilot_runs_with_the_type_chosen(tmp_path):
    """Donkey 5.4's .tflite (80x80 frames, no .json) on a small 80x80 tub of the frames it
    was tested on: listed without a type, refused without one, run with one."""
    from tests.ui.arena.conftest import DONKEY

    from burro import pilots
    from burro.tub import Tub
    from burro.tub.images import load_image

    car = tmp_path / "donkeycar"
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
                    "--root", str(tmp_path)) as base:
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
