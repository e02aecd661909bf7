"""`python manage.py drive` and `burro drive` in the simulator, through the real command line:
recording with the expert as the user, the start-up and shutdown prints, the faults."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.car.carkit import (
    FAST_SIM,
    add_user_parts,
    burro,
    create_car,
    manage,
    recorded,
    sim_figure,
)

from burro.tub import Tub

LOG_THROTTLE = 'V.add(ThrottleLog(), inputs=["loop/tick", "throttle"])'


def throttles(car) -> dict[int, float]:
    return {int(tick): value for tick, value in
            json.loads((car / "throttle_log.json").read_text()).items()}


def test_the_expert_records_a_tub_through_manage_py(tmp_path):
    car = create_car(tmp_path)
    result = manage(car, "drive", "--set", "MAX_LOOPS=400")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "parts, in order:" in out and " 1. SimCamera" in out and "11. TubWriterPart" in out
    assert " 2. LocalWebController (threaded)" in out and "web controller: http://" in out
    assert "controls: SimExpert" in out and "pilot: none" in out
    assert "tub: " in out and "data/tub_1_" in out
    assert "loop: 400 ticks, 20.00 Hz achieved" in out
    assert "(whole tick)" in out and "p99" in out  # the timing table
    assert sim_figure(out, "laps completed") >= 1 and sim_figure(out, "off-track events") == 0
    count, path = recorded(out)
    assert count == 400 and path.parent == car / "data"
    tub = Tub(path)
    assert len(tub) == 400
    assert {"pos/cte", "user/angle", "cam/image_array"} <= set(tub.inputs)


def test_burro_drive_runs_the_car_folders_manage_py(tmp_path):
    car = create_car(tmp_path)
    add_user_parts(car, "return car.start()", ["from myparts import ThrottleLog",
                                                LOG_THROTTLE])
    result = burro("drive", "--car", str(car), "--set", "MAX_LOOPS=30", "--meta", "track:oval")
    assert result.returncode == 0, result.stderr
    assert "ThrottleLog: loop/tick, throttle -> -" in result.stdout  # the user's part ran
    assert len(throttles(car)) == 30
    _, path = recorded(result.stdout)
    assert Tub(path).metadata.get("track") == "oval"


def test_js_with_an_unknown_controller_type_is_a_one_line_error(tmp_path):
    car = create_car(tmp_path, settings=FAST_SIM + 'CONTROLLER_TYPE = "gamecube"\n')
    result = manage(car, "drive", "--js")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "CONTROLLER_TYPE" in result.stderr and "gamecube" in result.stderr


def test_a_missing_model_is_a_one_line_error(tmp_path):
    car = create_car(tmp_path)
    result = manage(car, "drive", "--model", "models/nothing.tflite")
    assert result.returncode == 2 and "model file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_sigterm_mid_recording_loses_no_completed_record(tmp_path):
    car = create_car(tmp_path)
    process = subprocess.Popen([sys.executable, str(car / "manage.py"), "drive"], cwd=car,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(car.glob("data/tub_*/images/*_cam_image_array_.jpg"))[50:]:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped: SIGTERM" in out
    count, path = recorded(out)
    assert count > 50
    assert len(Tub(path)) == count


def test_a_pilot_that_raises_is_logged_once_and_the_throttle_is_0(tmp_path):
    car = create_car(tmp_path, settings='SIM_REALTIME = False\nSIM_TRACK = "oval"\n'
                                        'SIM_EXPERT_AS_USER = False\nWEB_INIT_MODE = "local"\n')
    add_user_parts(car, "car.add_drive_mode()", [
        "from myparts import FlakyPilot, ThrottleLog",
        'V.add(FlakyPilot(fail_at=40), inputs=["loop/tick", "cam/frame_time"],',
        '      outputs=["pilot/angle", "pilot/throttle", "pilot/frame_time"], '
        'run_condition="run_pilot")'])
    add_user_parts(car, "car.add_recording()", [LOG_THROTTLE])
    result = manage(car, "drive", "--set", "MAX_LOOPS=120")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("part FlakyPilot raised RuntimeError: the pilot broke") == 1
    assert "no pilot output in mode local" in result.stderr
    log = throttles(car)
    assert all(log[tick] == 0.4 for tick in range(1, 40))
    assert all(log[tick] == 0.0 for tick in range(40, 120))
    assert len(log) == 120


def test_a_stalled_camera_holds_the_throttle_at_0_until_frames_return(tmp_path):
    car = create_car(tmp_path)
    add_user_parts(car, "car.add_user()", [
        "from myparts import StallingCamera, ThrottleLog",
        'V.add(StallingCamera(100, 160), inputs=["loop/tick", "cam/image_array", '
        '"cam/frame_time"],',
        '      outputs=["cam/image_array", "cam/frame_time"])'])
    add_user_parts(car, "car.add_recording()", [LOG_THROTTLE])
    result = manage(car, "drive", "--set", "MAX_LOOPS=220")
    assert result.returncode == 0, result.stderr
    assert "camera stale: no new frame for" in result.stderr
    assert "fresh data, throttle released" in result.stderr
    log = throttles(car)
    assert all(log[tick] > 0 for tick in range(50, 100))  # the expert drives
    assert all(log[tick] > 0 for tick in range(100, 110))  # within CAMERA_TIMEOUT (0.5 s)
    assert all(log[tick] == 0.0 for tick in range(112, 160))  # stale: held at 0
    assert all(log[tick] > 0 for tick in range(160, 220))  # frames are back


def test_myconfig_option_picks_another_settings_file(tmp_path):
    car = create_car(tmp_path)
    (car / "short.py").write_text("MAX_LOOPS = 7\nDRIVE_LOOP_HZ = 10\n")
    result = manage(car, "drive", "--myconfig", "short.py")
    assert result.returncode == 0, result.stderr
    assert "loop: 10 Hz" in result.stdout and "stops after 7 ticks (MAX_LOOPS)" in result.stdout
    assert "loop: 7 ticks" in result.stdout
    assert "SIM_REALTIME False" not in result.stdout  # myconfig.py was not read: real time


def test_burro_drive_without_a_car_folder_is_one_line(tmp_path):
    result = burro("drive", "--car", str(tmp_path))
    assert result.returncode == 2
    assert "no manage.py in the car folder" in result.stderr and "burro createcar" in result.stderr


def test_a_donkey_trained_pilot_drives_with_the_car_configs_transformations(tmp_path):
    donkey_pilot = Path(__file__).parents[1] / "data" / "donkey" / "5.4.0" / "linear.tflite"
    car = create_car(tmp_path, settings=FAST_SIM + "IMAGE_W = 80\nIMAGE_H = 80\n"
                     "TRANSFORMATIONS = ['CROP']\nROI_CROP_TOP = 20\n")
    shutil.copyfile(donkey_pilot, car / "models" / "donkey.tflite")
    result = manage(car, "drive", "--model", "models/donkey.tflite", "--type", "tflite_linear",
                    "--set", "MAX_LOOPS=100")
    assert result.returncode == 0, result.stderr
    assert "input 80x80x3, trained by Donkey" in result.stdout
    assert "Transformations when run_pilot: cam/image_array -> cam/image_array_trans" in result.stdout
    assert "PilotPart when run_pilot: cam/image_array_trans" in result.stdout
    assert sim_figure(result.stdout, "mean speed") > 0.1
    without_type = manage(car, "drive", "--model", "models/donkey.tflite", "--set", "MAX_LOOPS=5")
    assert without_type.returncode == 2 and "needs --type" in without_type.stderr
    assert without_type.stdout.count("simulator:") == 0 and without_type.stderr.count("\n") == 1


def test_sim_laps_ends_the_drive_and_writes_the_report_and_plot(tmp_path):
    car = create_car(tmp_path, settings=FAST_SIM + "SIM_LAPS = 1\nSIM_REPORT = 'report.json'\n"
                     "SIM_PLOT = 'drive.png'\n")
    result = manage(car, "drive")
    assert result.returncode == 0, result.stderr
    assert "stopped: SIM_LAPS reached (1 laps)" in result.stdout
    report = json.loads((car / "report.json").read_text())
    assert report["laps_completed"] == 1 and report["off_track_events"] == 0
    assert 0.9 < report["speed_ratio"] < 1.1  # the expert drove: its own speed
    assert (car / "drive.png").stat().st_size > 10_000
    assert recorded(result.stdout)[0] == report["steps"]
