"""/wsDrive and POST /drive against a real server: Donkey's messages and pushes, burro's
validation, the flood limit, one driver at a time and the dead-man."""

import json
import time

import pytest
from tests.web.webkit import (
    connect,
    fetch,
    http_url,
    opened,
    receive,
    receive_until,
    run,
    send,
    serving,
    settle,
    tick,
)


def test_a_socket_gets_the_state_on_open_and_donkeys_message_drives(tmp_path):
    with serving(tmp_path, mode="local_angle") as part:
        async def client():
            ws = await connect(part)
            assert await receive(ws) == {"driveMode": "local_angle"}
            assert await receive(ws) == {"recording": False}
            assert await receive(ws) == {"driver": {"you": False, "who": None}}
            await send(ws, {"angle": 0.5, "throttle": 0.25, "drive_mode": "user",
                            "recording": True, "buttons": {"w2": True}})
            driver = await receive_until(ws, "driver")
            assert driver["driver"]["you"] is True
            assert driver["driver"]["who"].startswith("browser #")
            await settle()
            angle, throttle, mode, recording, stop, buttons = tick(part, "local_angle", False)
            assert (angle, throttle, mode, recording, stop) == (0.5, 0.25, "user", True, False)
            assert buttons == {"w2": True}
            # the next ticks: the latches are spent, memory's values are defaults again
            assert tick(part, "user", True)[5] == {"w2": False}
            assert tick(part, "user", True)[5] == {}
            ws.close()

        run(client())


def test_changes_of_mode_and_recording_in_memory_are_pushed(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            ws = await opened(part)
            tick(part, "local", True, num_records=7)  # e.g. a joystick changed them
            assert await receive_until(ws, "driveMode") == {"driveMode": "local"}
            assert await receive_until(ws, "recording") == {"recording": True}
            assert await receive_until(ws, "num_records") == {"num_records": 7}
            assert tick(part, None, None)[2:4] == ("local", True)  # adopted, kept
            ws.close()

        run(client())


def test_num_records_is_pushed_at_most_4_times_a_second(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            ws = await opened(part)
            started = time.monotonic()
            for n in range(1, 31):  # 30 new counts in ~0.6 s
                tick(part, "user", True, num_records=n)
                await settle(0.02)
            counts = []
            while (left := started + 1.0 - time.monotonic()) > 0:
                try:
                    message = await receive(ws, left)
                except TimeoutError:
                    break
                if "num_records" in message:
                    counts.append(message["num_records"])
            assert 2 <= len(counts) <= 4
            assert counts == sorted(counts) and counts[-1] == 30  # the newest arrives
            ws.close()

        run(client())


@pytest.mark.parametrize("bad, reason", [
    ('{"angle": 2}', "angle must be in [-1, 1]"),
    ('{"throttle": NaN}', "NaN is not a finite number"),
    ('{"drive_mode": "turbo"}', "drive_mode must be one of"),
    ("[]", "a message is a JSON object"),
    ("hello", "not JSON"),
    ('{"angle": 0.1, "pad": "' + "x" * 5000 + '"}', "bytes refused"),
])
def test_a_bad_message_is_answered_counted_and_changes_nothing(tmp_path, bad, reason):
    with serving(tmp_path) as part:
        async def client():
            ws = await opened(part)
            await send(ws, {"angle": 0.3, "throttle": 0.2})
            await send(ws, bad)
            message = await receive_until(ws, "error")
            assert reason in message["error"]
            await settle()
            assert tick(part, "user", False)[:2] == (0.3, 0.2)
            assert part.app.bad_messages == 1
            ws.close()

        run(client())


def test_unknown_keys_are_ignored_and_counted(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            ws = await opened(part)
            await send(ws, {"angle": -0.5, "colour": "red", "speed": 3})
            await settle(0.1)
            assert tick(part, "user", False)[0] == -0.5
            assert part.app.ignored_keys == 2 and part.app.bad_messages == 0
            telemetry = await connect(part, "/wsTelemetry")
            await receive_until(telemetry, "hello")
            counts = (await receive_until(telemetry, "telemetry"))["telemetry"]
            assert (counts["ignored_keys"], counts["bad_messages"]) == (2, 0)
            ws.close()
            telemetry.close()

        run(client())


def test_a_flood_of_bad_messages_closes_the_socket_1008_and_the_part_keeps_serving(tmp_path):
    with serving(tmp_path, max_bad_messages=5) as part:
        async def client():
            ws = await opened(part)
            for _ in range(1000):
                await send(ws, "{not json")
                if ws.close_code is not None:
                    break
            while await receive(ws) is not None:
                pass
            assert ws.close_code == 1008 and "too many bad messages" in ws.close_reason
            assert part.app.bad_messages >= 5
            other = await opened(part)  # the server still serves
            await send(other, {"angle": 0.7})
            await settle()
            assert tick(part, "user", False)[0] == 0.7
            other.close()

        run(client())


def test_one_driver_at_a_time_a_watcher_may_stop_or_take_over_a_quiet_slot(tmp_path):
    with serving(tmp_path, timeout=0.3) as part:
        async def client():
            driver, watcher = await opened(part), await opened(part)
            await send(driver, {"hello": {"client": "Phone"}})
            await send(driver, {"throttle": 0.4})
            assert (await receive_until(watcher, "driver"))["driver"] == {
                "you": False, "who": part.state.driver.name}
            assert part.state.driver.name.startswith("Phone #")
            await send(watcher, {"throttle": 1.0, "angle": 1.0})
            refused = await receive_until(watcher, "error")
            assert refused["error"].startswith("another browser drives: Phone #")
            await settle()
            assert tick(part, "user", False)[:2] == (0.0, 0.4)
            await send(watcher, {"stop": True})  # Stop Car works from anyone
            assert (await receive_until(driver, "stopped"))["stopped"].startswith("Stop Car from")
            await settle()
            angle, throttle, mode, recording, stop, _ = tick(part, "local", True)
            assert (angle, throttle, mode, recording, stop) == (0.0, 0.0, "user", False, True)
            assert tick(part, "user", False)[4] is False  # user/stop: one tick
            await settle(0.4)  # the driver is quiet now
            await send(watcher, {"take_control": True, "throttle": 0.1})
            await receive_until(watcher, "driver", value=lambda driver: driver["you"])
            await settle()
            assert tick(part, "user", False)[1] == 0.1
            driver.close()
            watcher.close()

        run(client())


def test_take_control_hands_an_active_drivers_car_over_at_throttle_zero(tmp_path):
    with serving(tmp_path, timeout=5.0) as part:
        async def client():
            driver, watcher = await opened(part), await opened(part)
            await send(driver, {"hello": {"client": "Phone"}})
            await send(driver, {"angle": 0.5, "throttle": 0.4})
            await settle()
            assert tick(part, "user", False)[:2] == (0.5, 0.4)
            await send(watcher, {"hello": {"client": "Laptop"}})
            await send(watcher, {"take_control": True})
            await receive_until(watcher, "driver", value=lambda driver: driver["you"])
            told = await receive_until(driver, "stopped")
            assert told["stopped"].startswith("Laptop #") and "took control from Phone #" \
                in told["stopped"]
            await receive_until(driver, "driver", value=lambda driver: not driver["you"])
            await settle()
            assert tick(part, "user", False)[:2] == (0.0, 0.0)  # the hand-over stops the car
            await send(driver, {"throttle": 0.9})  # the old driver now only watches
            assert "another browser drives: Laptop #" in \
                (await receive_until(driver, "error"))["error"]
            await send(watcher, {"throttle": 0.2})
            await settle()
            assert tick(part, "user", False)[1] == 0.2
            driver.close()
            watcher.close()

        run(client())


def test_dead_man_throttle_zero_and_local_falls_back_to_user(tmp_path):
    with serving(tmp_path, timeout=0.2) as part:
        async def client():
            ws = await opened(part)
            await send(ws, {"angle": 0.2, "throttle": 0.5, "drive_mode": "local"})
            await settle()
            assert tick(part, "user", False)[:3] == (0.2, 0.5, "local")
            for _ in range(3):  # heartbeats keep it going
                await settle(0.1)
                await send(ws, {"throttle": 0.5})
            await settle(0.05)
            assert tick(part, "local", False)[1] == 0.5
            stopped = await receive_until(ws, "stopped", timeout=1.0)
            assert stopped["stopped"].startswith("dead-man: nothing from browser #")
            angle, throttle, mode, *_ = tick(part, "local", False)
            assert (throttle, mode) == (0.0, "user")
            assert part.state.driver is None
            ws.close()

        run(client())


def test_the_drivers_socket_closing_is_stop_car(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            watcher = await opened(part)
            ws = await opened(part)
            await send(ws, {"angle": 0.3, "throttle": 0.6, "recording": True})
            await receive_until(watcher, "driver")
            ws.close()
            stopped = await receive_until(watcher, "stopped")
            assert stopped["stopped"].startswith("the driver's connection closed")
            angle, throttle, mode, recording, stop, _ = tick(part, "user", True)
            assert (angle, throttle, mode, recording, stop) == (0.0, 0.0, "user", False, True)
            watcher.close()

        run(client())


def test_user_stop_from_another_controller_zeroes_the_throttle_until_a_new_one(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            ws = await opened(part)
            await send(ws, {"angle": 0.3, "throttle": 0.6})
            await settle()
            assert tick(part, "user", False, stop=True)[:2] == (0.3, 0.0)
            assert tick(part, "user", False)[1] == 0.0  # held
            assert (await receive_until(ws, "stopped"))["stopped"].startswith("user/stop")
            await send(ws, {"throttle": 0.2})
            await settle()
            assert tick(part, "user", False)[1] == 0.2
            ws.close()

        run(client())


def test_post_drive_is_donkeys_api_with_the_driver_rules(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            url = http_url(part, "/drive")
            reply = await fetch(url, method="POST",
                                body=json.dumps({"angle": -0.4, "throttle": 0.3,
                                                 "drive_mode": "local_angle"}))
            assert reply.code == 200 and json.loads(reply.body) == {"ok": True, "driver": True}
            assert tick(part, "user", False)[:3] == (-0.4, 0.3, "local_angle")
            bad = await fetch(url, method="POST", body='{"throttle": Infinity}')
            assert bad.code == 400 and "Infinity" in json.loads(bad.body)["error"]
            ws = await opened(part)  # a browser comes: it watches while the script drives
            await send(ws, {"throttle": 1.0})
            assert "another browser drives: a script at" in (
                await receive_until(ws, "error"))["error"]
            ws.close()

        run(client())


def test_erase_last_calls_the_hook_in_a_worker_thread_and_answers(tmp_path):
    with serving(tmp_path) as part:
        calls = []

        def erase():
            calls.append(True)
            return [7, 8, 9]

        part.erase_last_n = erase

        async def client():
            ws = await opened(part)
            await send(ws, {"erase_last": True})
            assert (await receive_until(ws, "erased")) == {"erased": 3}
            assert calls == [True]
            ws.close()

        run(client())


def test_behavior_switches_the_behaviour_part(tmp_path):
    class Behaviour:
        labels = ["Left_Lane", "Right_Lane"]
        state = 0

        def set_state(self, index):
            self.state = index
            return True

    with serving(tmp_path) as part:
        part.behavior = Behaviour()

        async def client():
            ws = await opened(part)
            await send(ws, {"behavior": 1})
            await send(ws, {"behavior": 2})
            assert "not a behaviour: use 0..1" in (await receive_until(ws, "error"))["error"]
            assert part.behavior.state == 1
            ws.close()

        run(client())


def test_a_heartbeat_of_the_old_state_does_not_undo_a_stop_a_new_input_does(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            driver, watcher = await opened(part), await opened(part)
            state = {"angle": 0.1, "throttle": 0.5, "drive_mode": "local_angle",
                     "recording": True}
            await send(driver, state)
            await receive_until(watcher, "driver")
            await send(watcher, {"stop": True})
            await receive_until(driver, "stopped")
            for _ in range(3):  # a page that kept its state sends it again
                await send(driver, state)
            await settle()
            assert tick(part, None, None)[:4] == (0.1, 0.0, "user", False)
            await send(driver, {**state, "throttle": 0.45})  # the user moves the stick
            await settle()
            assert tick(part, None, None)[:4] == (0.1, 0.45, "user", False)
            await send(driver, {**state, "throttle": 0.45, "drive_mode": "local"})
            await settle()
            assert tick(part, None, None)[2] == "local"
            driver.close()
            watcher.close()

        run(client())
