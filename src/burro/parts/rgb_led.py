"""RgbLed: an RGB status LED on three Raspberry Pi GPIO pins (Donkey's RGB_LED), driven with
gpiozero's RGBLED (software PWM; lgpio on a Pi 4 and a Pi 5).

The colour and blink rate come from `LedStatus` (led_status.py), which holds Donkey's
status logic; this part only lights the pins.
"""

from __future__ import annotations

import logging
import time
import warnings
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.config.types import ValueType
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts._values import finite

log = logging.getLogger("burro.parts.rgb_led")

Color = tuple[float, float, float]  # percent of full brightness (Donkey's duty cycle)

CLOCK_ROUNDING = 1e-9  # 0.35 - 0.25 < 0.1 in floats; a toggle due exactly on a tick happens

PIN = ValueType("int (BOARD pin number) or gpiozero pin name such as 'BOARD12' or 'GPIO18'",
                lambda v: (isinstance(v, int) and not isinstance(v, bool) and v > 0)
                or (isinstance(v, str) and bool(v.strip())))


def pin_name(pin: int | str) -> str:
    """Donkey numbers the LED pins by the header (RPi.GPIO BOARD mode): 12 -> "BOARD12"."""
    return f"BOARD{pin}" if isinstance(pin, int) else pin.strip()


def duty(color: Any) -> Color:
    """(r, g, b) percent, clamped to 0..100, as gpiozero's 0..1 values."""
    return tuple(min(max(float(c), 0.0), 100.0) / 100.0 if finite(c) else 0.0
                 for c in color)  # type: ignore[return-value]


@PARTS.register("RgbLed", aliases=("RGB_LED",))
class RgbLed:
    """Inputs `led/color` ((r, g, b) percent), `led/blink_rate`, `loop/time`; no outputs.

    Blink rate as in Donkey: 0 (or None) off, < 0 solid, > 0 toggles on/off every that many
    seconds (of `loop/time`; the wall clock when it is None). `invert` is for a common-anode
    LED (LED_INVERT: a pin low lights its colour). `pin_factory` is gpiozero's (tests give
    its MockFactory); None picks the board's (lgpio on a Pi 4 or 5).
    """

    keys = (
        Key("HAVE_RGB_LED", t.BOOL, False, "Drive an RGB status LED on three GPIO pins (RgbLed)."),
        Key("LED_INVERT", t.BOOL, False, "The RGB LED is common anode (a pin low lights it)."),
        Key("LED_PIN_R", PIN, 12, "RGB LED red pin: header (BOARD) number as Donkey, or a gpiozero name."),
        Key("LED_PIN_G", PIN, 10, "RGB LED green pin: header (BOARD) number as Donkey, or a gpiozero name."),
        Key("LED_PIN_B", PIN, 16, "RGB LED blue pin: header (BOARD) number as Donkey, or a gpiozero name."),
    )

    def __init__(self, pin_r: int | str = 12, pin_g: int | str = 10, pin_b: int | str = 16,
                 invert: bool = False, pin_factory: Any = None):
        self.pins = tuple(pin_name(pin) for pin in (pin_r, pin_g, pin_b))
        self.led = _open_led(self.pins, invert, pin_factory)
        self.lit = False
        self._color: Color = (0.0, 0.0, 0.0)
        self._toggled_at: float | None = None

    @classmethod
    def from_config(cls, cfg, pin_factory: Any = None) -> RgbLed:
        return cls(cfg.LED_PIN_R, cfg.LED_PIN_G, cfg.LED_PIN_B, cfg.LED_INVERT, pin_factory)

    def run(self, color: Any, blink_rate: Any, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._color = duty(color) if isinstance(color, list | tuple) and len(color) == 3 \
            else (0.0, 0.0, 0.0)
        if not finite(blink_rate) or blink_rate == 0:
            self._light(False)
        elif blink_rate < 0:
            self._light(True)
        elif self._toggled_at is None or now - self._toggled_at >= blink_rate - CLOCK_ROUNDING:
            self._light(not self.lit)
            self._toggled_at = now

    def _light(self, on: bool) -> None:
        self.lit = on
        self.led.value = self._color if on else (0.0, 0.0, 0.0)

    def shutdown(self) -> None:
        try:
            self.led.off()
        finally:
            self.led.close()


def _open_led(pins: tuple[str, str, str], invert: bool, pin_factory: Any) -> Any:
    from gpiozero import RGBLED, GPIOZeroError

    try:
        with warnings.catch_warnings():  # gpiozero warns for each pin library it falls back from
            warnings.simplefilter("ignore")
            return RGBLED(*pins, active_high=not invert, pwm=True, pin_factory=pin_factory)
    except (GPIOZeroError, ValueError) as error:
        raise BurroError(f"cannot drive the RGB LED on {', '.join(pins)} ({error})",
                         "HAVE_RGB_LED / LED_PIN_R, LED_PIN_G, LED_PIN_B",
                         "on a Raspberry Pi install lgpio (python3-lgpio) and check the pins; "
                         "elsewhere set HAVE_RGB_LED = False") from None
