"""The Pilot Arena's API on a real `burro ui` (a subprocess on a free port) with two real
pilots (.tflite and .onnx, trained for the test) and a copy of the real tub."""

import json
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest
from tests.ui.arena.conftest import make_car
from tests.ui.uikit import call, running_ui

pytestmark = pytest.mark.slow  # the module's pilots are trained first (about 20 s on 2 cores)


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


def post(base, path, body):
    """POST with a long timeout (the first augmentation imports TensorFlow in the server)."""
    request = urllib.request.Request(base.rstrip("/") + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


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


def test_pilots_can_drive_on_the_augmented_frame(arena):
    base, car = arena
    plain = post(base, "/api/arena/predict", {"position": 3, "pilots": both(car)})
    darker = {"augmentations": ["MULTIPLY"], "settings": {"AUG_MULTIPLY_RANGE": [0.3, 0.31]}}
    dark = post(base, "/api/arena/predict", {"position": 3, "pilots": both(car), "view": darker})
    assert dark["record"] == plain["record"]
    for before, after in zip(plain["predictions"], dark["predictions"]):
        assert abs(after["angle"] - before["angle"]) + abs(after["throttle"] - before["throttle"]) > 1e-3


def test_the_server_answers_while_a_range_runs_and_a_range_can_be_cancelled(arena):
    base, car = arena
    status, job = call(base, "/api/arena/range", {"pilots": both(car)})
    assert status == 200 and job["total"] == 1000
    started = time.monotonic()
    assert call(base, "/api/state")[0] == 200
    assert time.monotonic() - started < 2
    status, job = call(base, f"/api/arena/jobs/{job['id']}", method="DELETE")
    assert status == 200
    job = wait_for(base, job)
    assert job["state"] == "cancelled" and job["done"] < 1000 and job["result"] is None


def test_bad_requests_get_one_line(arena):
    base, car = arena
    status, answer = call(base, "/api/arena/predict", {"position": 1000, "pilots": both(car)})
    assert status == 400 and answer["error"] == "no frame 1000 (index) — give a position from 0 to 999"
    status, answer = call(base, "/api/arena/predict", {"position": 0, "pilots": both(car) * 3})
    assert status == 400 and answer["error"].startswith("choose 1 to 4 pilots")
    status, answer = call(base, "/api/arena/drive", {"pilot": both(car)[0], "laps": 0})
    assert status == 400 and answer["error"].startswith("laps 0 is not from 1 to 20")


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
