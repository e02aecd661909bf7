"""/wsCalibrate: pulses set live on a real PWM_STEERING_THROTTLE drivetrain (on the fake
SMBus of tests/parts), checked like the config, driven in user mode, saved into myconfig.py."""

import sys
from pathlib import Path

from tests.web.webkit import connect, receive, receive_until, run, send, serving, settle, tick

from burro.config import default_config, load_config
from burro.parts.drivetrains import DRIVETRAINS

sys.path.insert(0, str(Path(__file__).parents[1] / "parts"))
from test_pca9685 import FakeSMBus  # noqa: E402

STEERING, THROTTLE = 0x0A, 0x06  # the LED registers of channels 1 and 0

MYCONFIG = '''# my car
DRIVE_TRAIN_TYPE = "PWM_STEERING_THROTTLE"
PWM_STEERING_THROTTLE = {
    "PWM_STEERING_PIN": "PCA9685.1:40.1",  # the servo
    "STEERING_LEFT_PWM": 460,
}
# the end
'''


def pulse(register, counts):
    return ("block", 0x40, register, [0, 0, counts & 0xFF, counts >> 8])


def car_folder(tmp_path: Path, myconfig: str = MYCONFIG) -> Path:
    car = tmp_path / "car"
    car.mkdir()
    (car / "config.py").write_text("# config\n")
    (car / "myconfig.py").write_text(myconfig)
    return car


def drivetrain(cfg):
    buses = []

    def factory(bus):
        buses.append(FakeSMBus(bus))
        return buses[-1]

    return DRIVETRAINS.get(cfg.DRIVE_TRAIN_TYPE)(cfg, bus_factory=factory), buses[0]


def test_pulses_set_live_drive_in_user_mode_and_save_into_myconfig(tmp_path):
    cfg = load_config(car_folder(tmp_path))
    train, bus = drivetrain(cfg)
    with serving(tmp_path, cfg=cfg, mode="local") as part:
        part.drivetrain = train

        async def client():
            ws = await connect(part, "/wsCalibrate")
            assert await receive(ws) == {
                "config": {"STEERING_LEFT_PWM": 460, "STEERING_RIGHT_PWM": 290,
                           "THROTTLE_FORWARD_PWM": 500, "THROTTLE_STOPPED_PWM": 370,
                           "THROTTLE_REVERSE_PWM": 220},
                "drivetrain": "PWM_STEERING_THROTTLE", "live": True}
            await send(ws, {"config": {"STEERING_LEFT_PWM": 440, "THROTTLE_FORWARD_PWM": 480}})
            state = await receive_until(ws, "config")
            assert state["config"]["STEERING_LEFT_PWM"] == 440 and state["live"] is True
            bus.writes.clear()
            train.run(-1.0, 1.0)  # the loop's next tick
            assert bus.writes == [pulse(STEERING, 440), pulse(THROTTLE, 480)]

            await send(ws, {"throttle": 0.5, "angle": -0.5})
            await settle()
            angle, throttle, mode, *_ = tick(part, "local", False)
            assert (angle, throttle, mode) == (-0.5, 0.5, "user")

            await send(ws, {"config": {"STEERING_RIGHT_PWM": 440}})  # = left: cannot steer
            refused = await receive_until(ws, "error")
            assert "STEERING_LEFT_PWM and STEERING_RIGHT_PWM are both 440" in refused["error"]
            assert part.app.calibrator.pulses["STEERING_RIGHT_PWM"] == 290
            await send(ws, {"config": {"STEERING_LEFT_PWM": 4000}})
            assert "outside 123..614" in (await receive_until(ws, "error"))["error"]

            await send(ws, {"save": True})
            saved = await receive_until(ws, "saved")
            assert saved == {"saved": str(tmp_path / "car" / "myconfig.py")}
            ws.close()

        run(client())
    text = (tmp_path / "car" / "myconfig.py").read_text()
    assert text.startswith("# my car\n") and text.endswith("# the end\n")
    assert '"PWM_STEERING_PIN": "PCA9685.1:40.1",  # the servo' in text
    reloaded = load_config(tmp_path / "car").PWM_STEERING_THROTTLE
    assert reloaded["STEERING_LEFT_PWM"] == 440 and reloaded["THROTTLE_FORWARD_PWM"] == 480
    assert reloaded["STEERING_RIGHT_PWM"] == 290


def test_donkeys_older_keys_are_saved_as_top_level_keys(tmp_path):
    cfg = load_config(car_folder(tmp_path, 'DRIVE_TRAIN_TYPE = "SERVO_ESC"\n'
                                           "THROTTLE_STOPPED_PWM = 380\n"))
    train, bus = drivetrain(cfg)
    with serving(tmp_path, cfg=cfg) as part:
        part.drivetrain = train

        async def client():
            ws = await connect(part, "/wsCalibrate")
            state = await receive(ws)
            assert state["config"]["THROTTLE_STOPPED_PWM"] == 380
            assert (state["drivetrain"], state["live"]) == ("SERVO_ESC", True)
            await send(ws, {"config": {"THROTTLE_STOPPED_PWM": 375}, "save": True})
            await receive_until(ws, "saved")
            bus.writes.clear()
            train.run(0.0, 0.0)
            assert bus.writes == [pulse(THROTTLE, 375)]
            ws.close()

        run(client())
    assert load_config(tmp_path / "car").THROTTLE_STOPPED_PWM == 375


def test_without_a_pca9685_drivetrain_nothing_is_live(tmp_path):
    cfg = default_config()
    cfg.set("CAR_PATH", str(tmp_path), "test")
    with serving(tmp_path, cfg=cfg) as part:
        async def client():
            ws = await connect(part, "/wsCalibrate")
            state = await receive(ws)
            assert state["live"] is False
            await send(ws, {"config": {"STEERING_LEFT_PWM": 450}})
            assert (await receive_until(ws, "config"))["config"]["STEERING_LEFT_PWM"] == 450
            await send(ws, {"save": True})  # tmp_path is no car folder
            assert "not a car folder" in (await receive_until(ws, "error"))["error"]
            ws.close()

        run(client())
