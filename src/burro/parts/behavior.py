"""Behavior: the active behaviour state (which lane to hold, ...) that a behavior pilot and
the tub read; the controllers switch it (a pad's L1, the web page)."""

from __future__ import annotations

import logging
import threading

from burro.errors import BurroError
from burro.parts import PARTS

log = logging.getLogger("burro.parts.behavior")

OUTPUTS = ("behavior/state", "behavior/label", "behavior/one_hot_state_array")


@PARTS.register("Behavior", aliases=("BehaviorPart",))
class Behavior:
    """No inputs; outputs `behavior/state` (int), `behavior/label` (str),
    `behavior/one_hot_state_array` (floats, 1.0 at the state), Donkey's BehaviorPart keys.

    `labels` is BEHAVIOR_LIST; the state starts at 0. `set_state`, `next_state` and
    `previous_state` may be called from any thread (controller callbacks, the web server);
    `next_state`/`previous_state` wrap round as Donkey's increment/decrement do. Each change
    logs `behaviour state: <label>`. The car adds it with TRAIN_BEHAVIORS, also when
    recording without a model (Donkey then records no behaviour keys).
    """

    inputs: tuple[str, ...] = ()
    outputs = OUTPUTS

    def __init__(self, labels: list[str] | tuple[str, ...], state: int = 0):
        labels = list(labels)
        if not labels or not all(isinstance(label, str) and label for label in labels):
            raise BurroError(f"BEHAVIOR_LIST must name at least one state, got {labels!r}",
                             "BEHAVIOR_LIST", "list the states, e.g. ['Left_Lane', 'Right_Lane']")
        if len(set(labels)) != len(labels):
            raise BurroError(f"BEHAVIOR_LIST names a state twice: {labels!r}", "BEHAVIOR_LIST",
                             "give each state once")
        if not 0 <= state < len(labels):
            raise BurroError(f"behaviour state {state} is not in BEHAVIOR_LIST ({len(labels)} "
                             "states)", "BEHAVIOR_LIST", f"use 0 to {len(labels) - 1}")
        self._labels = tuple(labels)
        self._state = state
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, cfg) -> Behavior:
        return cls(cfg.BEHAVIOR_LIST)

    # ----- what the controllers call ---------------------------------------------------------
    def set_state(self, state: int) -> bool:
        """Make `state` (an index into the labels) active; False (and nothing changes) for
        anything that is not a valid index."""
        if isinstance(state, bool) or not isinstance(state, int) \
                or not 0 <= state < len(self._labels):
            return False
        self._change(lambda _: state)
        return True

    def next_state(self) -> int:
        return self._change(lambda current: (current + 1) % len(self._labels))

    def previous_state(self) -> int:
        return self._change(lambda current: (current - 1) % len(self._labels))

    def _change(self, new_state) -> int:
        with self._lock:
            before = self._state
            self._state = new_state(before)
            state = self._state
        if state != before:
            log.info("behaviour state: %s", self._labels[state])
        return state

    # ----- what they read ----------------------------------------------------------------------
    @property
    def state(self) -> int:
        return self._state

    @property
    def label(self) -> str:
        return self._labels[self._state]

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def one_hot(self, state: int) -> list[float]:
        return [1.0 if index == state else 0.0 for index in range(len(self._labels))]

    # ----- the part protocol -------------------------------------------------------------------
    def run(self) -> tuple[int, str, list[float]]:
        state = self._state  # one read: the three outputs always agree
        return state, self._labels[state], self.one_hot(state)
