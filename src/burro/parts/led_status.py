"""LedStatus: what the status LED shows, Donkey's LedConditionLogic and RecordTracker as one
pure part (no GPIO); `RgbLed` (rgb_led.py) lights the pins from its outputs.

Priority, first match wins (Donkey's complete template):
1. the pilot was reloaded: MODEL_RELOADED_LED_R/G/B blinking every 0.1 s, for
   RELOAD_FLASH_TICKS ticks;
2. a record-count alert: every REC_COUNT_ALERT records, for (records // REC_COUNT_ALERT) x
   REC_COUNT_ALERT_CYC ticks, the colour of the highest RECORD_ALERT_COLOR_ARR threshold
   reached, blinking every REC_COUNT_ALERT_BLINK_RATE s;
3. a behaviour state (the car gives `behavior/state` with TRAIN_BEHAVIORS): its
   BEHAVIOR_LED_COLORS colour, solid;
4. recording: LED_R/G/B solid;
5. the mode, LED_R/G/B blinking: `user` every 1 s, `local_angle` 0.5 s, `local` 0.1 s;
   anything else: off.
Colours are (r, g, b) in percent of full brightness (Donkey's PWM duty cycle).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from burro.config import types as t
from burro.config.defaults import Key
from burro.config.types import ValueType
from burro.parts import PARTS
from burro.values import is_int

Color = tuple[int, int, int]

MODE_BLINK_S = {"user": 1.0, "local_angle": 0.5, "local": 0.1}
SOLID = -1.0
OFF = 0.0
RELOAD_BLINK_S = 0.1
DEFAULT_ALERT_COLORS = [(0, (1, 1, 1)), (3000, (5, 5, 5)), (5000, (5, 2, 0)),
                        (10000, (0, 5, 0)), (15000, (0, 5, 5)), (20000, (0, 0, 5))]


def _is_percent_color(value: Any) -> bool:
    return (isinstance(value, list | tuple) and len(value) == 3
            and all(is_int(c) and 0 <= c <= 100 for c in value))


def _is_alert_row(value: Any) -> bool:
    return (isinstance(value, list | tuple) and len(value) == 2 and is_int(value[0])
            and value[0] >= 0 and _is_percent_color(value[1]))


ALERT_COLORS = ValueType("list of (record count, (r, g, b) percent)",
                         lambda v: isinstance(v, list | tuple) and all(map(_is_alert_row, v)),
                         list)
PERCENT = t.int_between(0, 100)


@PARTS.register("LedStatus", aliases=("LedConditionLogic",))
class LedStatus:
    """Inputs `user/mode, recording, behavior/state, tub/num_records` (None for any of them
    is fine); outputs `led/color` ((r, g, b) percent) and `led/blink_rate` (s; -1 solid,
    0 off) for `RgbLed`. `reloads` returns the pilot part's reload count (`PilotPart.reloads`);
    a rise starts the reload flash. See the module docstring for what shows when.
    """

    inputs = ("user/mode", "recording", "behavior/state", "tub/num_records")
    outputs = ("led/color", "led/blink_rate")
    RELOAD_FLASH_TICKS = 20  # 1 s at 20 Hz

    keys = (
        Key("LED_R", PERCENT, 0, "Status LED red, percent (recording and the mode blink)."),
        Key("LED_G", PERCENT, 0, "Status LED green, percent (recording and the mode blink)."),
        Key("LED_B", PERCENT, 1, "Status LED blue, percent (recording and the mode blink)."),
        Key("REC_COUNT_ALERT", t.POSITIVE_INT, 1000, "Flash the status LED every this many records."),
        Key("REC_COUNT_ALERT_CYC", t.NON_NEGATIVE_INT, 15,
            "Ticks of the record alert per REC_COUNT_ALERT records reached."),
        Key("REC_COUNT_ALERT_BLINK_RATE", t.POSITIVE_FLOAT, 0.4, "Blink period in s of the record alert."),
        Key("RECORD_ALERT_COLOR_ARR", ALERT_COLORS, DEFAULT_ALERT_COLORS,
            "Record alert colour per record count reached: (count, (r, g, b) percent)."),
        Key("MODEL_RELOADED_LED_R", PERCENT, 100, "Status LED red, percent, when the pilot was reloaded."),
        Key("MODEL_RELOADED_LED_G", PERCENT, 0, "Status LED green, percent, when the pilot was reloaded."),
        Key("MODEL_RELOADED_LED_B", PERCENT, 0, "Status LED blue, percent, when the pilot was reloaded."),
    )

    def __init__(self, color: Color = (0, 0, 1),
                 behavior_colors: list[Color] | None = None,
                 alert_every: int = 1000, alert_cycles: int = 15, alert_blink_s: float = 0.4,
                 alert_colors: list[tuple[int, Color]] | None = None,
                 reloaded_color: Color = (100, 0, 0),
                 reloads: Callable[[], int] | None = None):
        self.color = tuple(color)
        self.behavior_colors = [tuple(c) for c in (behavior_colors or [])]
        self.alert = RecordAlert(alert_every, alert_cycles,
                                 DEFAULT_ALERT_COLORS if alert_colors is None else alert_colors)
        self.alert_blink_s = alert_blink_s
        self.reloaded_color = tuple(reloaded_color)
        self.reloads = reloads
        self._reloads_seen = reloads() if reloads else 0
        self._flash_ticks = 0

    @classmethod
    def from_config(cls, cfg, reloads: Callable[[], int] | None = None) -> LedStatus:
        return cls((cfg.LED_R, cfg.LED_G, cfg.LED_B), cfg.BEHAVIOR_LED_COLORS,
                   cfg.REC_COUNT_ALERT, cfg.REC_COUNT_ALERT_CYC, cfg.REC_COUNT_ALERT_BLINK_RATE,
                   cfg.RECORD_ALERT_COLOR_ARR,
                   (cfg.MODEL_RELOADED_LED_R, cfg.MODEL_RELOADED_LED_G, cfg.MODEL_RELOADED_LED_B),
                   reloads)

    def run(self, mode: Any, recording: Any, behavior_state: Any = None,
            num_records: Any = None) -> tuple[tuple, float]:
        reloaded = self._reloaded()
        alert = self.alert.run(num_records)
        if reloaded:
            return self.reloaded_color, RELOAD_BLINK_S
        if alert is not None:
            return alert, self.alert_blink_s
        if is_int(behavior_state) and 0 <= behavior_state < len(self.behavior_colors):
            return self.behavior_colors[behavior_state], SOLID
        if recording is True:
            return self.color, SOLID
        blink = MODE_BLINK_S.get(mode, OFF) if isinstance(mode, str) else OFF
        return self.color, blink

    def _reloaded(self) -> bool:
        if self.reloads is not None:
            count = self.reloads()
            if count != self._reloads_seen:
                self._reloads_seen = count
                self._flash_ticks = self.RELOAD_FLASH_TICKS
        if self._flash_ticks > 0:
            self._flash_ticks -= 1
            return True
        return False


class RecordAlert:
    """Donkey's RecordTracker: when the record count reaches a multiple of `every`, an alert
    of (count // every) x `cycles` ticks in the colour of the highest threshold reached."""

    def __init__(self, every: int, cycles: int, colors: list[tuple[int, Color]]):
        self.every, self.cycles = every, cycles
        self.colors = sorted(((int(count), tuple(color)) for count, color in colors),
                             key=lambda row: row[0])
        self._last_count: int | None = None
        self._ticks_left = 0

    def run(self, num_records: Any) -> tuple | None:
        """The alert colour on a tick of an alert, else None."""
        if not is_int(num_records):
            return None
        if num_records != self._last_count:
            self._last_count = num_records
            if num_records % self.every == 0:
                self._ticks_left = num_records // self.every * self.cycles
        if self._ticks_left <= 0:
            return None
        self._ticks_left -= 1
        return self.color_for(num_records)

    def color_for(self, num_records: int) -> tuple:
        found: tuple = (0, 0, 0)
        for count, color in self.colors:
            if num_records >= count:
                found = color
        return found
