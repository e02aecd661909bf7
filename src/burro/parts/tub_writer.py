"""TubWriterPart: records the drive into a tub on the ticks where `recording` is True."""

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts._values import finite

if TYPE_CHECKING:  # burro.tub loads numpy and PIL: not when a config scans the parts
    from burro.tub import Tub

log = logging.getLogger("burro.parts.tub_writer")

RECORDED = (("cam/image_array", "image_array"), ("user/angle", "float"),
            ("user/throttle", "float"), ("user/mode", "str"))
"""What Donkey's complete template records (key, tub type), in its order."""
RECORDED_DURING_AI = (("pilot/angle", "float"), ("pilot/throttle", "float"))
"""Added with RECORD_DURING_AI."""


def recorded_keys(record_during_ai: bool) -> tuple[list[str], list[str]]:
    """The tub's inputs and types for the complete template."""
    pairs = RECORDED + (RECORDED_DURING_AI if record_during_ai else ())
    return [key for key, _ in pairs], [kind for _, kind in pairs]


def checked_meta(meta: Sequence[str]) -> list[str]:
    """`--meta key:value` strings, each with exactly one colon (the tub skips any other)."""
    for entry in meta:
        if str(entry).count(":") != 1 or not all(str(entry).split(":")):
            raise BurroError(f"bad --meta value {entry!r}", "--meta",
                             "write key:value with one colon, e.g. --meta track:garage")
    return [str(entry) for entry in meta]


@PARTS.register("TubWriter", aliases=("TubWriterPart",))
class TubWriterPart:
    """Inputs `recording, loop/time` and then the tub's keys (`self.inputs` lists all:
    `cam/image_array, user/angle, user/throttle, user/mode` [+ `pilot/angle, pilot/throttle`
    with RECORD_DURING_AI]); output `tub/num_records`.

    Writes one record per tick where `recording` is True (None values are left out, as in
    Donkey) and always returns the tub's record count (Donkey's `current_index`: deleted
    records still count). Its `_timestamp_ms` is `loop/time` in ms, shifted once so that the
    first tick is the wall-clock time at that tick: records are stamped by the loop's clock
    (50 ms apart at 20 Hz, also when the simulator runs faster than real time) and look like
    Donkey's epoch milliseconds.

    `erase_last_n()` soft-deletes the newest ERASE_LAST_N_RECORDS records; controllers call
    it from their own threads. A write that fails for the disk (full, read-only, removed) is
    logged once and ends recording for this drive; a record with a value the tub cannot store
    (NaN, a wrong-shaped image) is skipped, logged the first time and counted.

    Threaded (`threaded = True`, as the template adds it): `run_threaded()` only queues the
    tick's values (images copied) and `update()` writes them in its own thread, so JPEG
    encoding, the once-a-second manifest flush and the fsync at a catalog roll-over never
    delay the loop. Records are written in tick order; `erase_last_n()` goes through the same
    queue, so it erases the newest records including queued ones; `shutdown()` writes what is
    still queued before it closes the tub. A crash loses the few records still queued
    (normally none or one), never a written one. `run()` writes at once, in the caller's thread.
    """

    threaded = True

    def __init__(self, tub: "Tub", erase_last_n_records: int = 100,
                 wall_clock: Callable[[], float] = time.time):
        self.tub = tub
        self.erase_last_n_records = erase_last_n_records
        self.inputs = ["recording", "loop/time", *tub.inputs]
        self.outputs = ["tub/num_records"]
        self.failure: BurroError | None = None
        self.skipped = 0
        self.written = 0
        self._wall_clock = wall_clock
        self._offset: float | None = None  # wall-clock seconds minus loop/time
        self._lock = threading.Lock()
        self._num_records = tub.end_index
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._worker_running = False
        self._worker_done = threading.Event()

    @classmethod
    def from_config(cls, cfg, meta: Sequence[str] = (), inputs: list[str] | None = None,
                    types: list[str] | None = None) -> "TubWriterPart":
        """A writer on the tub the config says (DATA_PATH, AUTO_CREATE_NEW_TUB, METADATA, ...),
        `meta` (`--meta`) added to the manifest; inputs/types default to `recorded_keys`."""
        from burro.tub.recording import recording_tub

        if inputs is None:
            inputs, types = recorded_keys(cfg.RECORD_DURING_AI)
        tub = recording_tub(cfg, inputs, types, metadata=checked_meta(meta))
        return cls(tub, cfg.ERASE_LAST_N_RECORDS)

    @property
    def recording_failed(self) -> bool:
        return self.failure is not None

    def run(self, recording, loop_time, *values) -> int:
        timestamp_ms = self._timestamp_ms(loop_time)
        if recording and self.failure is None:
            with self._lock:
                self._write(dict(zip(self.tub.inputs, values)), timestamp_ms)
        return self._num_records

    def run_threaded(self, recording, loop_time, *values) -> int:
        timestamp_ms = self._timestamp_ms(loop_time)
        if recording and self.failure is None:
            self._queue.put((_WRITE, ([_copied(value) for value in values], timestamp_ms)))
        return self._num_records + self._queue.qsize()

    def update(self) -> None:
        """The writer thread: writes queued records (and erases) in order until shutdown."""
        self._worker_running = True
        try:
            while True:
                command, argument = self._queue.get()
                if command is _STOP:
                    return
                self._do(command, argument)
        finally:
            self._worker_done.set()

    def _do(self, command, argument):
        if command is _WRITE:
            values, timestamp_ms = argument
            with self._lock:
                if self.failure is None:
                    self._write(dict(zip(self.tub.inputs, values)), timestamp_ms)
        else:  # an erase: (count, a holder for the result, an event to set)
            count, result, done = argument
            result.append(self._erase(count))
            done.set()

    def erase_last_n(self, count: int | None = None) -> list[int]:
        """Soft-delete the newest `count` (default ERASE_LAST_N_RECORDS) records; returns
        their indexes. Safe to call from a controller's thread: with the writer thread
        running it waits until the records queued before it are written."""
        count = self.erase_last_n_records if count is None else count
        if not self._worker_running or self._worker_done.is_set():
            return self._erase(count)
        result: list = []
        done = threading.Event()
        self._queue.put((_ERASE, (count, result, done)))
        done.wait()
        return result[0]

    def _erase(self, count: int) -> list[int]:
        with self._lock:
            if not self.tub.writable or self.failure is not None:
                log.warning("cannot erase records: the tub %s is not being written",
                            self.tub.path)
                return []
            try:
                deleted = self.tub.delete_last_n_records(count)
            except (BurroError, OSError) as error:  # must not end a controller's thread
                log.error("erasing records failed: %s", error)
                return []
        log.info("erased %d records from %s", len(deleted), self.tub.path)
        return deleted

    def shutdown(self) -> None:
        if self._worker_running and not self._worker_done.is_set():
            self._queue.put((_STOP, None))
            if not self._worker_done.wait(SHUTDOWN_WRITE_SECONDS):
                log.error("the tub writer thread did not finish within %d s; closing the tub",
                          SHUTDOWN_WRITE_SECONDS)
        self._write_queued()
        with self._lock:
            try:
                self.tub.close()
            except (BurroError, OSError) as error:
                log.error("closing the tub %s failed: %s", self.tub.path, error)
        skipped = f", {self.skipped} skipped (bad values)" if self.skipped else ""
        log.debug("recorded %d records into %s%s", self.written, self.tub.path, skipped)

    def _write_queued(self) -> None:
        """Without (or after) the writer thread: write what is still queued, in order."""
        while True:
            try:
                command, argument = self._queue.get_nowait()
            except queue.Empty:
                return
            if command is not _STOP:
                self._do(command, argument)

    def _timestamp_ms(self, loop_time) -> int | None:
        if not finite(loop_time):
            return None  # the tub stamps the wall clock
        if self._offset is None:
            self._offset = self._wall_clock() - loop_time
        return round((loop_time + self._offset) * 1000)

    def _write(self, record: dict, timestamp_ms: int | None) -> None:
        try:
            self.tub.write_record(record, timestamp_ms=timestamp_ms)
        except OSError as error:
            self._stop(BurroError(f"cannot write the tub: {error.strerror or error}",
                                  str(self.tub.path), "check free disk space"))
        except BurroError as error:
            from burro.tub.problems import TubError

            if isinstance(error, TubError):  # the tub's files, not this record's values
                self._stop(error)
            else:
                self._skip(error)
        else:
            self.written += 1
        self._num_records = self.tub.end_index

    def _stop(self, error: BurroError) -> None:
        self.failure = error
        log.error("recording stopped for this drive: %s", error)

    def _skip(self, error: BurroError) -> None:
        self.skipped += 1
        if self.skipped == 1:
            log.warning("record skipped (later ones are only counted): %s", error)


_WRITE, _ERASE, _STOP = "write", "erase", "stop"
SHUTDOWN_WRITE_SECONDS = 10


def _copied(value):
    """An image array copied (a camera may reuse its buffer); other values as they are."""
    return value.copy() if hasattr(value, "__array_interface__") else value
