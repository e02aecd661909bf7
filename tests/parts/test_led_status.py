"""LedStatus (Donkey's status logic) over ticks, and RgbLed lighting gpiozero mock PWM pins."""

import subprocess
import sys
from pathlib import Path

import pytest

from burro.config import default_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.led_status import LedStatus
from burro.parts.rgb_led import RgbLed

BLUE = (0, 0, 1)


def status(**changes) -> LedStatus:
    cfg = default_config()
    for key, value in changes.items():
        setattr(cfg, key, value)
    return LedStatus.from_config(cfg)


def test_each_mode_blinks_at_its_rate_and_recording_is_solid():
    led = status()
    assert led.run("user", False) == (BLUE, 1.0)
    assert led.run("local_angle", False) == (BLUE, 0.5)
    assert led.run("local", False) == (BLUE, 0.1)
    assert led.run("user", True) == (BLUE, -1.0)
    assert led.run(None, None) == (BLUE, 0.0)
    assert led.run("reverse", False) == (BLUE, 0.0)


def test_the_behaviour_colour_is_solid_and_wins_over_recording():
    led = status()
    assert led.run("user", True, 0) == ((0, 10, 0), -1.0)
    assert led.run("local", False, 1) == ((10, 0, 0), -1.0)
    assert led.run("local", False, 5) == (BLUE, 0.1)  # not a state with a colour


def test_a_record_count_alert_lasts_count_over_alert_times_cycles_ticks():
    led = status()
    shown = [led.run("user", True, None, n) for n in range(995, 1000)]
    assert shown == [(BLUE, -1.0)] * 5
    alert = [led.run("user", True, None, 1000) for _ in range(20)]
    assert alert[:15] == [((1, 1, 1), 0.4)] * 15
    assert alert[15:] == [(BLUE, -1.0)] * 5
    led.run("user", True, None, 2999)
    third = [led.run("user", True, None, 3000) for _ in range(50)]
    assert third.count(((5, 5, 5), 0.4)) == 45 and third[45:] == [(BLUE, -1.0)] * 5


def test_the_alert_uses_the_configured_colours_every_and_cycles():
    led = status(REC_COUNT_ALERT=10, REC_COUNT_ALERT_CYC=2, REC_COUNT_ALERT_BLINK_RATE=0.2,
                 RECORD_ALERT_COLOR_ARR=[(0, (9, 9, 9)), (20, (0, 50, 0))])
    assert [led.run("user", False, None, 10) for _ in range(3)] == [
        ((9, 9, 9), 0.2), ((9, 9, 9), 0.2), (BLUE, 1.0)]
    assert [led.run("user", False, None, 20) for _ in range(5)][:4] == [((0, 50, 0), 0.2)] * 4


def test_a_pilot_reload_flashes_the_reloaded_colour_for_a_second_of_ticks():
    reloads = [0]
    cfg = default_config()
    led = LedStatus.from_config(cfg, reloads=lambda: reloads[0])
    assert led.run("local", False, 1) == ((10, 0, 0), -1.0)
    reloads[0] = 1
    flashes = [led.run("local", False, 1, 1000) for _ in range(25)]
    assert flashes[:20] == [((100, 0, 0), 0.1)] * 20
    # the record alert's ticks passed under the flash, as Donkey's RecordTracker counts on
    assert flashes[20:] == [((10, 0, 0), -1.0)] * 5


# ----- RgbLed on mock pins ---------------------------------------------------------------------

@pytest.fixture
def factory():
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    pins = MockFactory(pin_class=MockPWMPin)
    yield pins
    pins.close()


def states(factory) -> tuple:
    # Donkey's default pins 12, 10, 16 are header numbers: GPIO18, GPIO15, GPIO23
    return tuple(round(factory.pin(gpio).state, 6) for gpio in (18, 15, 23))


def test_board_pin_numbers_and_solid_colour_in_percent(factory):
    led = RgbLed.from_config(default_config(), pin_factory=factory)
    led.run((0, 10, 0), -1, 0.0)
    assert states(factory) == (0.0, 0.1, 0.0)
    led.run((100, 50, 250), -1, 0.05)  # above 100 % is full
    assert states(factory) == (1.0, 0.5, 1.0)
    led.run((100, 50, 250), 0, 0.1)
    assert states(factory) == (0.0, 0.0, 0.0)
    led.run(None, None, 0.15)
    assert states(factory) == (0.0, 0.0, 0.0)


def test_blinking_follows_loop_time(factory):
    led = RgbLed(pin_factory=factory)
    seen = []
    for tick in range(50):  # 2.5 s at 20 Hz, user mode: toggles every 1 s
        led.run((0, 0, 100), 1.0, tick * 0.05)
        seen.append(states(factory)[2])
    assert seen[:20] == [1.0] * 20 and seen[20:40] == [0.0] * 20 and seen[40:] == [1.0] * 10


def test_inverted_led_drives_the_pins_low_to_light(factory):
    cfg = default_config()
    cfg.LED_INVERT = True
    cfg.LED_PIN_R, cfg.LED_PIN_G, cfg.LED_PIN_B = "GPIO18", "GPIO15", "BOARD16"
    led = RgbLed.from_config(cfg, pin_factory=factory)
    led.run((100, 0, 10), -1, 0.0)
    assert states(factory) == (0.0, 1.0, 0.9)
    led.shutdown()
    assert all(factory.pin(gpio).state in (0, 1) for gpio in (18, 15, 23))


def test_status_logic_drives_the_led_over_ticks(factory):
    logic = PARTS.get("LedStatus").from_config(default_config())
    led = PARTS.get("RgbLed")(pin_factory=factory)
    lit = []
    for tick in range(40):  # local mode blinks every 0.1 s: on 2 ticks, off 2 ticks
        led.run(*logic.run("local", False, None, tick + 1), tick * 0.05)
        lit.append(states(factory)[2] > 0)
    assert lit[:8] == [True, True, False, False, True, True, False, False]
    assert sum(lit) == 20


def test_pins_without_pwm_are_a_one_line_error():
    with pytest.raises(BurroError, match=r"cannot drive the RGB LED on BOARD12, BOARD10, BOARD16"):
        from gpiozero.pins.mock import MockFactory

        RgbLed(pin_factory=MockFactory())  # plain mock pins have no PWM


def test_importing_the_led_parts_loads_no_gpio_library():
    code = ("import sys\nimport burro.parts.rgb_led, burro.parts.led_status, "
            "burro.parts.behavior\nprint('gpiozero' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.skipif(Path("/proc/device-tree/model").exists(), reason="a board with GPIO")
def test_off_a_pi_the_led_is_a_one_line_error_naming_the_key(monkeypatch):
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    with pytest.raises(BurroError, match="HAVE_RGB_LED.*HAVE_RGB_LED = False") as error:
        RgbLed()
    assert "\n" not in error.value.line()
