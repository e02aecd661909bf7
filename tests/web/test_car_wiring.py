"""The Car adds the web controller as the user (USE_WEB_CONTROLLER) and sets its hooks;
without it NeutralUser stays; the telemetry provider reads the running car."""

from burro.car.car import Car
from burro.car.report import startup_lines
from burro.config import default_config


def config(tmp_path, **values):
    cfg = default_config()
    settings = {"CAR_PATH": str(tmp_path), "CAMERA_TYPE": "MOCK", "DRIVE_TRAIN_TYPE": "MOCK",
                "WEB_CONTROL_PORT": 0, "WEB_BIND_ADDRESS": "127.0.0.1", "DRIVE_LOOP_HZ": 100,
                **values}
    for name, value in settings.items():
        cfg.set(name, value, "test")
    return cfg


def names(car):
    return [entry.name for entry in car.vehicle.parts]


def test_the_web_controller_is_the_user_with_its_hooks_set(tmp_path):
    car = Car(config(tmp_path, WEB_TOKEN="tok", USE_JOYSTICK_AS_DEFAULT=False))
    car.build()
    try:
        assert names(car)[:3] == ["MockCamera", "LocalWebController", "ThrottleFilter"]
        web = car.web
        assert car.user is web
        entry = car.vehicle.parts[1]
        assert entry.threaded and entry.outputs == web.outputs
        assert web.erase_last_n == car.tub_writer.erase_last_n
        assert web.drivetrain is car.vehicle.parts[names(car).index("MockDrivetrain")].part
        lines = startup_lines(car)
        assert f"web controller: http://127.0.0.1:{web.port}/drive?token=tok (the Mode & Pilot " \
               f"menu; calibrate: http://127.0.0.1:{web.port}/calibrate?token=tok)" in lines
        assert "controls: LocalWebController, mode user (WEB_INIT_MODE): the user drives" \
            in "\n".join(lines)
    finally:
        car.abandon()


def test_without_the_web_controller_neutral_user_as_before(tmp_path):
    car = Car(config(tmp_path, USE_WEB_CONTROLLER=False, USE_JOYSTICK_AS_DEFAULT=False,
                     WEB_INIT_MODE="local"))
    car.build()
    try:
        assert car.web is None and names(car)[1] == "NeutralUser"
        assert not any(line.startswith("web controller") for line in startup_lines(car))
    finally:
        car.abandon()


def test_the_telemetry_provider_reads_the_running_car(tmp_path):
    car = Car(config(tmp_path, MAX_LOOPS=30))
    car.build()
    car.vehicle.start(rate_hz=100, max_loop_count=30)
    status = car.web.telemetry()
    assert status["loop"]["ticks"] == 30 and status["loop"]["late"] >= 0
    assert status["tub"] == {"path": str(car.tub_writer.tub.path), "num_records": None}
    assert "sim" not in status and "pilot_latency_ms" not in status
