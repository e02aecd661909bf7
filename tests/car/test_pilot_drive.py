"""The seed's flow in the simulator, through the real command line: createcar (sim) → record
with the expert through manage.py drive → manage.py train (= burro train) → manage.py drive
--model in local mode; and a corrupt pilot swapped in while it drives."""

import pytest
from tests.car.carkit import add_user_parts, create_car, manage, recorded, sim_figure

pytestmark = pytest.mark.slow  # trains a pilot (TensorFlow) once for the module



@pytest.fixture(scope="module")
def trained_car(tmp_path_factory):
    car = create_car(tmp_path_factory.mktemp("car"))
    drive = manage(car, "drive", "--set", "MAX_LOOPS=400")
    assert drive.returncode == 0, drive.stderr
    count, tub = recorded(drive.stdout)
    assert count == 400
    train = manage(car, "train", "--tub", str(tub), "--model", "models/pilot.keras",
                   "--set", "MAX_EPOCHS=1", "--set", "CREATE_ONNX=False", "--set", "SHOW_PLOT=False",
                   "--set", "VERBOSE_TRAIN=False", "--set", "PRINT_MODEL_SUMMARY=False",
                   timeout=600)
    assert train.returncode == 0, train.stderr
    assert (car / "models" / "pilot.tflite").is_file()
    return car


def test_the_trained_pilot_drives_the_simulated_car_in_local_mode(trained_car):
    result = manage(trained_car, "drive", "--model", "models/pilot.tflite",
                    "--set", "MAX_LOOPS=200")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "pilot: " in out and "pilot.tflite (type linear" in out and "input 160x120x3" in out
    assert "controls: LocalWebController, mode local (WEB_INIT_MODE): the pilot drives" in out
    assert "loop: 200 ticks" in out
    assert "PilotPart when run_pilot" in out
    assert sim_figure(out, "mean speed") > 0.03  # the car moved (a 1-epoch pilot drives slowly)
    assert "simulator: track oval, 200 steps" in out
    assert recorded(out)[0] == 0  # the pilot drives: nothing recorded (RECORD_DURING_AI off)


def test_a_corrupt_model_swapped_in_while_driving_keeps_the_pilot(trained_car, tmp_path):
    car = trained_car
    (car / "models" / "swap.tflite").write_bytes((car / "models" / "pilot.tflite").read_bytes())
    (car / "models" / "swap.json").write_bytes((car / "models" / "pilot.json").read_bytes())
    add_user_parts(car, "return car.start()", [
        "from myparts import ModelSwapper",
        'V.add(ModelSwapper("models/swap.tflite", at_tick=40), inputs=["loop/tick"])'])
    result = manage(car, "drive", "--model", "models/swap.tflite",
                    "--set", "MAX_LOOPS=300")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("pilot reload failed, keeping the running pilot") == 1
    assert "loop: 300 ticks" in result.stdout
    assert sim_figure(result.stdout, "mean speed") > 0.03  # it kept driving
