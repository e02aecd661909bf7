"""The Trainer's API on a real `burro ui` server: the checks answer before any training
starts, a small pilot trains to completion in a `burro train` subprocess, cancel keeps the
best epoch, and the model database is edited and pilots deleted (softly) and restored."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ui.trainer.trainkit import request

from burro.models import model_types


def test_the_options_offer_every_model_type_and_the_config_keys(ui, car_and_tub):
    car, tub = car_and_tub
    options = ui.ok("GET", "/api/trainer/options")
    assert options["types"] == model_types()
    assert options["default_type"] == "linear"
    assert options["tubs"] == [str(tub)]
    keys = {key["name"]: key for key in options["keys"]}
    assert keys["MAX_EPOCHS"]["type"] == "int >= 1"
    assert keys["CREATE_ONNX"]["current"] == "False"  # the car's myconfig.py
    assert options["keys"][0]["section"] == "training"


@pytest.mark.parametrize("change, status, error", [
    ({"overrides": [{"key": "MAX_EPOCHS", "value": "0"}]}, 400,
     "MAX_EPOCHS must be int >= 1, got 0"),
    ({"overrides": [{"key": "MAX_EPOCH", "value": "2"}]}, 400, "unknown config key MAX_EPOCH"),
    ({"overrides": [{"key": "TRAIN_TEST_SPLIT", "value": "1.0"}]}, 400,
     "TRAIN_TEST_SPLIT = 1.0 leaves no validation records out of 100"),
    ({"type": "bogus"}, 400, "bogus"),
    ({"tubs": []}, 400, "no tub chosen"),
    ({"tubs": ["/etc"]}, 403, "path outside the folders"),
    ({"transfer": "../../../../../../etc/hostname"}, 403, "path outside the folders"),
    ({"transfer": "models/none.keras"}, 400, "no such file"),
    ({"comment": "two\nlines"}, 400, "one line"),
])
def test_a_bad_request_is_refused_before_training_starts(ui, car_and_tub, change, status,
                                                         error):
    car, tub = car_and_tub
    for path in ("/api/trainer/check", "/api/trainer/train"):
        code, answer = ui.call("POST", path, request(tub, **change))
        assert (code, error in answer["error"]) == (status, True), answer
    assert ui.ok("GET", "/api/trainer/job") is None  # nothing was started


def test_a_transfer_file_that_is_no_model_is_refused(ui, car_and_tub):
    car, tub = car_and_tub
    fake = car / "models" / "fake.keras"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text("not a zip")
    code, answer = ui.call("POST", "/api/trainer/check", request(tub, transfer=str(fake)))
    assert code == 400 and "cannot transfer from this file" in answer["error"], answer
    fake.unlink()


def test_a_good_request_is_checked_with_what_the_run_will_do(ui, car_and_tub):
    car, tub = car_and_tub
    check = ui.ok("POST", "/api/trainer/check", request(tub))
    assert check["records"] == 100 and check["max_epochs"] == 2
    assert check["model"].startswith(str(car / "models" / "pilot_"))
    assert "frames 160x120" in check["frame_size"]
    assert not (car / "models").exists() or not list((car / "models").glob("*.keras"))


def test_the_checks_load_no_tensorflow(car_and_tub):
    car, tub = car_and_tub
    probe = f"""
import sys
from burro.ui.trainer.request import TrainRequest, check_request
check = check_request(TrainRequest({str(car)!r}, [{str(tub)!r}], "linear"))
print(check["records"], "tensorflow" in sys.modules, "keras" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["100", "False", "False"]


def test_a_donkey_row_is_listed_edited_deleted_and_restored(ui, car_and_tub):
    car, tub = car_and_tub
    models = car / "models"
    models.mkdir(exist_ok=True)
    (models / "donkey_pilot.h5").write_bytes(b"\x89HDF\r\n\x1a\n....")
    (models / "donkey_pilot.png").write_bytes(b"png")
    NaN = "NaN"  # written as JSON's (Python's) NaN below
    row = {"Number": 41, "Name": "donkey_pilot", "Type": "linear", "Tubs": ["data/tub_3"],
           "Time": 1700000000.0, "History": {"loss": [0.5, 0.3], "val_loss": [0.6, NaN]},
           "Transfer": None, "Comment": "old", "Config": {"MAX_EPOCHS": 2}}
    (models / "database.json").write_text(json.dumps([row]).replace('"NaN"', "NaN"))
    rows = ui.ok("GET", "/api/trainer/models")["rows"]
    assert [(r["Name"], r["Tubs"], r["missing"]) for r in rows] == [
        ("donkey_pilot", ["data/tub_3"], False)]
    detail = ui.ok("GET", "/api/trainer/models/41")
    assert detail["config"] == {"MAX_EPOCHS": 2} and len(detail["files"]) == 2
    assert detail["row"]["History"]["val_loss"] == [0.6, None]  # Donkey wrote NaN

    ui.ok("PUT", "/api/trainer/models/41", {"comment": "new words"})
    stored = json.loads((models / "database.json").read_text())
    assert stored[0]["Comment"] == "new words" and stored[0]["Config"] == {"MAX_EPOCHS": 2}

    code, answer = ui.call("DELETE", "/api/trainer/models/41", {})
    assert code == 400 and "confirmation" in answer["error"]
    deleted = ui.ok("DELETE", "/api/trainer/models/41", {"confirm": "donkey_pilot"})
    assert json.loads((models / "database.json").read_text()) == []
    assert not (models / "donkey_pilot.h5").exists()
    trash = Path(deleted["trash"])
    assert trash.parent == models / ".deleted"
    assert sorted(p.name for p in trash.iterdir()) == [
        "donkey_pilot.h5", "donkey_pilot.png", "moved.json", "row.json"]
    ui.ok("POST", "/api/trainer/restore", {"trash": deleted["trash"]})
    assert (models / "donkey_pilot.h5").read_bytes().startswith(b"\x89HDF")
    assert json.loads((models / "database.json").read_text())[0]["Comment"] == "new words"
    code, _ = ui.call("POST", "/api/trainer/restore", {"trash": str(car)})
    assert code == 400
    ui.ok("DELETE", "/api/trainer/models/41", {"confirm": "donkey_pilot"})  # out of the way


def test_cancel_before_an_epoch_ended_saves_nothing(ui, car_and_tub):
    car, tub = car_and_tub
    before = sorted((car / "models").glob("*.keras")) if (car / "models").exists() else []
    ui.ok("POST", "/api/trainer/train", request(tub))
    cancelled = ui.ok("POST", "/api/trainer/job/cancel")  # still starting Python
    assert cancelled["cancelled"] is True
    job = ui.wait_job(lambda job: job["state"] != "running", timeout=60)
    assert job["state"] == "cancelled" and job["epochs"] == [] and job["result"] is None
    assert job["error"] is None
    after = sorted((car / "models").glob("*.keras")) if (car / "models").exists() else []
    assert after == before


@pytest.mark.slow
def test_a_small_pilot_trains_to_completion_in_the_background(ui, car_and_tub):
    car, tub = car_and_tub
    body = request(tub, comment="first try", save_to_myconfig=True,
                   overrides=[{"key": "MAX_EPOCHS", "value": "2"},
                              {"key": "USE_EARLY_STOP", "value": "False"}])
    started = ui.ok("POST", "/api/trainer/train", body)
    assert started["saved"] == ["MAX_EPOCHS", "USE_EARLY_STOP"]
    myconfig = (car / "myconfig.py").read_text()
    assert "MAX_EPOCHS = 2\n" in myconfig and "# the test car" in myconfig
    assert started["job"]["state"] == "running"
    code, answer = ui.call("POST", "/api/trainer/train", body)  # one at a time
    assert code == 400 and "already running" in answer["error"]

    job = ui.wait_job(lambda job: job["state"] != "running")
    assert job["state"] == "finished", job["log"]
    assert [e["epoch"] for e in job["epochs"]] == [1, 2]
    assert all(e["loss"] > 0 and e["val_loss"] > 0 for e in job["epochs"])
    assert job["result"]["epochs"] == 2 and not job["result"]["interrupted"]
    model = job["result"]["model"]
    assert model == started["check"]["model"] and (car / "models").joinpath(
        model.rsplit("/", 1)[1]).is_file()

    row = next(r for r in ui.ok("GET", "/api/trainer/models")["rows"] if r["Pilot"] == model)
    assert row["Comment"] == "first try" and row["Tubs"] == [str(tub)]
    detail = ui.ok("GET", f"/api/trainer/models/{row['Number']}")
    assert detail["config"]["MAX_EPOCHS"] == 2 and len(detail["row"]["History"]["loss"]) == 2
    transfers = ui.ok("GET", "/api/trainer/options")["transfers"]
    assert model in [choice["path"] for choice in transfers]

    deleted = ui.ok("DELETE", f"/api/trainer/models/{row['Number']}", {"confirm": row["Name"]})
    assert {m["from"] for m in deleted["moved"]} == set(row["files"])
    assert all(not Path(f).exists() for f in row["files"])
    ui.ok("POST", "/api/trainer/restore", {"trash": deleted["trash"]})
    assert [r["Number"] for r in ui.ok("GET", "/api/trainer/models")["rows"]] == [row["Number"]]


@pytest.mark.slow
def test_cancel_keeps_the_best_epoch(ui, car_and_tub):
    car, tub = car_and_tub
    long = request(tub, overrides=[{"key": "MAX_EPOCHS", "value": "500"},
                                   {"key": "EARLY_STOP_PATIENCE", "value": "500"}])
    ui.ok("POST", "/api/trainer/train", long)
    running = ui.wait_job(lambda job: len(job["epochs"]) >= 1 or job["state"] != "running")
    assert running["state"] == "running" and running["time_left_s"] > 0, running["log"]
    cancelled = ui.ok("POST", "/api/trainer/job/cancel")
    assert cancelled["cancelled"] is True
    job = ui.wait_job(lambda job: job["state"] != "running")
    assert job["state"] == "saved_best", job["log"]
    assert job["exit_code"] == 130 and job["result"]["interrupted"] is True
    best = job["result"]["best_epoch"]
    assert 1 <= best <= len(job["epochs"]) < 500
    rows = ui.ok("GET", "/api/trainer/models")["rows"]
    row = next(r for r in rows if r["Pilot"] == job["result"]["model"])
    assert row["Interrupted"] is True and not row["missing"]
    code, answer = ui.call("POST", "/api/trainer/job/cancel")
    assert code == 400 and "already ended" in answer["error"]
