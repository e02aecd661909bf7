"""Train/validation split that keeps neighbouring frames on one side.

Frames recorded 50 ms apart are near copies; a random record split (Donkey's) puts such
twins on both sides, so validation loss mostly measures memory. burro's default split
(`session`) gives whole drive sessions to validation when there are enough sessions to
reach the wanted fraction; otherwise it cuts every session into short contiguous blocks of
time and spreads the validation blocks evenly, so only the frames at block edges neighbour
the other side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from burro.errors import BurroError

SPLIT_MODES = ("session", "random")
BLOCKS_PER_DATASET = 20
MAX_BLOCK_RECORDS = 50  # 2.5 s at 20 Hz
SESSION_FRACTION_TOLERANCE = 0.5  # accept whole sessions within +/-50% of the wanted val share


@dataclass(frozen=True)
class Split:
    is_train: np.ndarray
    method: str  # "sessions", "time blocks" or "random records"

    @property
    def train_rows(self) -> np.ndarray:
        return np.flatnonzero(self.is_train)

    @property
    def val_rows(self) -> np.ndarray:
        return np.flatnonzero(~self.is_train)


def split_records(groups: np.ndarray, train_fraction: float, mode: str = "session",
                  seed: int = 0) -> Split:
    """Boolean train mask for records whose session ids are `groups` (time-ordered within)."""
    if mode not in SPLIT_MODES:
        raise BurroError(f"unknown split {mode!r}", "--split / TRAIN_SPLIT",
                         f"use one of: {', '.join(SPLIT_MODES)}")
    count = len(groups)
    want_val = count - int(count * train_fraction)
    if want_val < 1 or want_val >= count:
        raise BurroError(f"TRAIN_TEST_SPLIT = {train_fraction} leaves no "
                         f"{'validation' if want_val < 1 else 'training'} records "
                         f"out of {count}", "TRAIN_TEST_SPLIT",
                         "use a value like 0.8, and at least a few dozen records")
    rng = np.random.default_rng(seed)
    if mode == "random":
        is_train = np.zeros(count, dtype=bool)
        is_train[rng.permutation(count)[: count - want_val]] = True
        return Split(is_train, "random records")
    by_session = _session_split(groups, want_val, rng)
    if by_session is not None:
        return Split(by_session, "sessions")
    return Split(_block_split(groups, want_val), "time blocks")


def _session_split(groups: np.ndarray, want_val: int, rng: np.random.Generator) -> np.ndarray | None:
    sessions, sizes = np.unique(groups, return_counts=True)
    if len(sessions) < 2:
        return None
    val_sessions, val_count = [], 0
    for position in rng.permutation(len(sessions)):
        if abs(val_count + sizes[position] - want_val) < abs(val_count - want_val):
            val_sessions.append(sessions[position])
            val_count += sizes[position]
    off_by = abs(val_count - want_val) / want_val
    if not val_sessions or val_count == len(groups) or off_by > SESSION_FRACTION_TOLERANCE:
        return None
    return ~np.isin(groups, val_sessions)


def _block_split(groups: np.ndarray, want_val: int) -> np.ndarray:
    """Cut each session into blocks of consecutive records; every k-th block validates."""
    count = len(groups)
    block_length = int(np.clip(count // BLOCKS_PER_DATASET, 1, MAX_BLOCK_RECORDS))
    position_in_group = _position_in_group(groups)
    starts_block = (position_in_group % block_length == 0)
    block_of_row = np.cumsum(starts_block) - 1
    block_count = int(block_of_row[-1]) + 1
    val_share = want_val / count
    numbers = np.arange(block_count)
    is_val_block = np.floor((numbers + 1) * val_share) > np.floor(numbers * val_share)
    return ~is_val_block[block_of_row]


def _position_in_group(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal group ids (records arrive grouped)."""
    positions = np.zeros(len(groups), dtype=np.int64)
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        positions[rows] = np.arange(len(rows))
    return positions
