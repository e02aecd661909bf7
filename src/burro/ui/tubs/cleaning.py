"""Soft delete and restore of a range of records, through burro.tub's own API (the manifest's
`deleted_indexes`, under the tub's lock), and undo of the last changes, per tub."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from burro.errors import BurroError
from burro.tub.tub import Tub
from burro.ui.tubs.loaded import LoadedTub

UNDO_DEPTH = 100


@dataclass(frozen=True)
class Change:
    action: str  # "delete" or "restore"
    indexes: tuple[int, ...]  # the records it really changed


class Cleaner:
    def __init__(self) -> None:
        self._undo: dict[str, list[Change]] = {}
        self._lock = threading.Lock()

    def apply(self, loaded: LoadedTub, action: str, first: int, last: int) -> Change:
        """Delete or restore the records with `first <= _index <= last` (marks in any order)."""
        if action not in ("delete", "restore"):
            raise BurroError(f"unknown action '{action}'", "action", "send delete or restore")
        low, high = sorted((first, last))
        indexes = [i for i in loaded.indexes if low <= i <= high]
        if not indexes:
            raise BurroError(f"no records between {low} and {high}", str(loaded.path),
                             "set the marks on records of this tub")
        change = self._write(loaded, action, indexes)
        with self._lock:
            stack = self._undo.setdefault(str(loaded.path), [])
            if change.indexes:
                stack.append(change)
                del stack[:-UNDO_DEPTH]
        return change

    def undo(self, loaded: LoadedTub) -> Change:
        """Take back the tub's last delete or restore."""
        with self._lock:
            stack = self._undo.get(str(loaded.path), [])
            if not stack:
                raise BurroError("nothing to undo", str(loaded.path), "delete or restore first")
            change = stack.pop()
        opposite = "restore" if change.action == "delete" else "delete"
        return self._write(loaded, opposite, list(change.indexes))

    def depth(self, loaded: LoadedTub) -> int:
        with self._lock:
            return len(self._undo.get(str(loaded.path), []))

    @staticmethod
    def _write(loaded: LoadedTub, action: str, indexes: list[int]) -> Change:
        tub = Tub(loaded.path, check_images=False)
        write = tub.delete_records if action == "delete" else tub.restore_records
        changed = write(indexes)
        loaded.deleted = set(tub.deleted_indexes)
        return Change(action, tuple(changed))
