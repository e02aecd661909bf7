"""`burro createjs` in a subprocess: the test is the user (stdin) and the pad (a FIFO)."""

import json
import os
import queue
import subprocess
import sys
import threading

import pytest
from tests.parts.joystick.padkit import FakePad, fifo_in, running, tick

from burro.config import load_config
from burro.parts.joystick import JoystickController
from burro.parts.joystick.device import axis_event, button_event

STEER, THROTTLE, HAT_Y = 3, 1, 7  # event numbers of this made-up pad
BUTTONS = {"toggle_mode": 4, "toggle_recording": 0, "erase_records": 1, "emergency_stop": 2,
           "increase_max_throttle": "hat-", "decrease_max_throttle": "hat+",
           "toggle_constant_throttle": 6, "ai_launch": None, "behavior_next": 5}


class CreateJs:
    def __init__(self, tmp_path, *args):
        self.fifo = fifo_in(tmp_path)
        self.output = tmp_path / "pad.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "burro", "createjs", "--device", str(self.fifo),
             "--output", str(self.output), *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=tmp_path)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._collect, daemon=True).start()
        self.pad = FakePad(self.fifo, None, axis_codes=[0], button_codes=[0])
        self.pad.connect(timeout=30)
        self.seen: list[str] = []

    def _collect(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, text: str) -> str:
        while True:
            line = self.lines.get(timeout=30)
            assert line is not None, f"createjs ended before {text!r}: {self.seen}"
            self.seen.append(line)
            if text in line:
                return line

    def answer(self, *records: bytes, line: str = "") -> None:
        os.write(self.pad.fd, b"".join(records))
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, str]:
        self.proc.stdin.close()
        code = self.proc.wait(timeout=30)
        return code, self.proc.stderr.read()


def sweep(number: int) -> list[bytes]:
    return [axis_event(number, position) for position in (0.0, -0.7, -1.0, 0.4, 1.0, 0.0)]


def press(control) -> list[bytes]:
    if control is None:
        return []
    if isinstance(control, str):  # the d-pad: an axis to one end and back
        end = -1.0 if control.endswith("-") else 1.0
        return [axis_event(HAT_Y, end), axis_event(HAT_Y, 0.0)]
    return [button_event(control, True), button_event(control, False)]


def map_a_pad(run: CreateJs) -> None:
    run.expect("Reading")
    run.expect("STEERING stick all the way")
    run.answer(*sweep(STEER))
    run.expect("Hold the STEERING stick fully RIGHT")
    run.answer(axis_event(STEER, -1.0))  # this pad reports right as -1: inverted
    run.expect("THROTTLE stick all the way")
    run.answer(*sweep(THROTTLE))
    run.expect("Hold the THROTTLE stick fully FORWARD")
    run.answer(axis_event(THROTTLE, -1.0))
    for action in BUTTONS:
        run.expect("Press the button for")
        run.answer(*press(BUTTONS[action]))


def test_createjs_writes_a_map_the_car_drives_with(tmp_path):
    run = CreateJs(tmp_path)
    map_a_pad(run)
    assert "Drive with it" in run.expect("Written")
    code, stderr = run.finish()
    assert code == 0, stderr
    data = json.loads(run.output.read_text())
    assert data["steering"] == {"axis": "axis_3", "inverted": True}
    assert data["throttle"] == {"axis": "axis_1", "inverted": False}
    assert data["actions"] == {"button_4": "toggle_mode", "button_0": "toggle_recording",
                               "button_1": "erase_records", "button_2": "emergency_stop",
                               "axis_7-": "increase_max_throttle",
                               "axis_7+": "decrease_max_throttle",
                               "button_6": "toggle_constant_throttle",
                               "button_5": "behavior_next"}
    assert not list(tmp_path.glob("*.tmp"))

    cfg = load_config(tmp_path)
    cfg.set("CONTROLLER_TYPE", "custom", "test")
    cfg.set("JOYSTICK_CUSTOM_MAP", "pad.json", "test")
    cfg.set("JOYSTICK_DEVICE_FILE", str(run.fifo), "test")
    cfg.set("AUTO_RECORD_ON_THROTTLE", False, "test")
    controller = JoystickController.from_config(cfg)
    controller.retry_seconds = 0.05
    erased = []
    controller.erase_last_n = lambda: erased.append(1)
    with running(controller):
        pad = FakePad(run.fifo, controller.map)
        pad.connect()
        pad.send(controller, axis_event(STEER, -0.5), axis_event(THROTTLE, -1.0))
        out = tick(controller)
        assert out["angle"] == pytest.approx(0.5, abs=1e-3) and out["throttle"] == 0.5
        pad.send(controller, *press(4), *press(0), *press(1), *press("hat-"))
        out = tick(controller)
        assert (out["mode"], out["recording"], erased) == ("local_angle", True, [1])
        assert controller.pad.throttle_scale == pytest.approx(0.51)
        pad.send(controller, *press(2))
        assert tick(controller)["stop"] is True
    assert "axis_3" in "\n".join(controller.controls_lines())


def test_createjs_quits_or_runs_out_of_answers_without_writing(tmp_path):
    run = CreateJs(tmp_path)
    run.expect("STEERING stick all the way")
    run.answer(line="q")
    assert run.expect("Stopped") == "Stopped: nothing written."
    assert run.finish()[0] == 0 and not run.output.exists()

    (tmp_path / "js0").unlink()
    run = CreateJs(tmp_path)
    run.expect("STEERING stick all the way")
    code, stderr = run.finish()  # stdin ends
    assert code == 2 and not run.output.exists()
    assert stderr.count("\n") == 1 and "burro: error: no answer" in stderr


def test_createjs_without_the_device_is_a_one_line_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "burro", "createjs", "--device",
                             str(tmp_path / "js9")], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr == (f"burro: error: joystick device not found ({tmp_path / 'js9'}) — "
                             "pair or plug in the pad (docs/joystick.md), or pass --device "
                             "PATH\n")
