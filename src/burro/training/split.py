"""Train/validation split that keeps neighbouring frames on one side.

Frames recorded 50 ms apart are near copies; a random record split (Donkey's) puts such
twins on both sides, so validation loss mostly measures memory. burro's default split
(`session`) is chosen from the data alone, never from the seed, so every run on the same
records validates on the same frames:

- **sessions**: the set of whole drive sessions whose record count is closest to the wanted
  validation count validates, when that count is within ±50% of the wanted one;
- **time blocks** otherwise (one session, or sessions too uneven): every session is cut into
  short contiguous blocks of time and the validation blocks are spread evenly, so only the
  frames at block edges neighbour the other side.
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
    reason: str = ""  # one line: why this method, with the figures that decided it

    @property
    def train_rows(self) -> np.ndarray:
        return np.flatnonzero(self.is_train)

    @property
    def val_rows(self) -> np.ndarray:
        return np.flatnonzero(~self.is_train)


def split_records(groups: np.ndarray, train_fraction: float, mode: str = "session",
                  seed: int = 0) -> Split:
    """Boolean train mask for records whose session ids are `groups` (time-ordered within).

    Only `mode="random"` uses `seed`; the session split depends on `groups` alone.
    """
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
    return _chosen_split(groups, want_val, mode, seed)


def _chosen_split(groups: np.ndarray, want_val: int, mode: str, seed: int) -> Split:
    count = len(groups)
    if mode == "random":
        is_train = np.zeros(count, dtype=bool)
        is_train[np.random.default_rng(seed).permutation(count)[: count - want_val]] = True
        return Split(is_train, "random records",
                     f"random records (seed {seed}), {want_val} of {count} validate")
    sessions, sizes = np.unique(groups, return_counts=True)
    chosen = _closest_session_set(sizes, want_val) if len(sessions) > 1 else []
    val_count = int(sizes[chosen].sum())
    off_by = abs(val_count - want_val) / want_val
    if chosen and val_count < count and off_by <= SESSION_FRACTION_TOLERANCE:
        return Split(~np.isin(groups, sessions[chosen]), "sessions",
                     f"sessions, {len(chosen)} of {len(sessions)} whole sessions validate "
                     f"({val_count} of {count} records, {val_count / count:.0%}; "
                     f"wanted {want_val / count:.0%})")
    is_train, block_length = _block_split(groups, want_val)
    if len(sessions) < 2:
        why = "one session"
    else:
        why = (f"no set of whole sessions of the {len(sessions)} comes within "
               f"{SESSION_FRACTION_TOLERANCE:.0%} of the wanted {want_val / count:.0%} "
               f"(closest {val_count / count:.0%})")
    return Split(is_train, "time blocks",
                 f"time blocks of {block_length} records, {int((~is_train).sum())} of {count} "
                 f"validate ({why})")


def _closest_session_set(sizes: np.ndarray, want: int) -> list[int]:
    """Positions of the sessions whose sizes add up closest to `want` (exact subset sum).

    `first_by[total]` is the session that first made `total` reachable, so walking back from
    the best total through `total - sizes[first_by[total]]` recovers one set that sums to it.
    Sums above 2 * want are never the closest, so they are not tracked.
    """
    limit = 2 * want
    reachable = np.zeros(limit + 1, dtype=bool)
    reachable[0] = True
    first_by = np.full(limit + 1, -1, dtype=np.int64)
    for position, size in enumerate(sizes):
        if size > limit:
            continue
        newly = np.zeros_like(reachable)
        newly[size:] = reachable[: limit + 1 - size] & ~reachable[size:]
        first_by[newly] = position
        reachable |= newly
    totals = np.flatnonzero(reachable[1:]) + 1
    if not len(totals):
        return []
    total = int(totals[np.argmin(np.abs(totals - want))])  # ties: the smaller total
    chosen = []
    while total:
        position = int(first_by[total])
        chosen.append(position)
        total -= int(sizes[position])
    return sorted(chosen)


def _block_split(groups: np.ndarray, want_val: int) -> tuple[np.ndarray, int]:
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
    return ~is_val_block[block_of_row], block_length


def _position_in_group(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal group ids (records arrive grouped)."""
    positions = np.zeros(len(groups), dtype=np.int64)
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        positions[rows] = np.arange(len(rows))
    return positions
