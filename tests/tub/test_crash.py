"""Crash safety for real: a child process records at full speed and is SIGKILLed at random
moments; every record it finished must read back, with its image, and recording goes on."""

import json
import os
import random
import select
import signal
import time

import pytest
from tests.tub.tubkit import BASIC_INPUTS, BASIC_TYPES, frame

from burro.tub import Tub

KILLS = 60
CATALOG_LEN = 50  # small, so that kills also land around catalog roll-overs
FRAMES = [frame(seed) for seed in range(8)]


def _record_until_killed(path, pipe: int) -> None:
    with Tub(path, BASIC_INPUTS, BASIC_TYPES, max_catalog_len=CATALOG_LEN) as tub:
        os.write(pipe, b"open\n")
        while True:
            index = tub.end_index
            tub.write_record({"cam/image_array": FRAMES[index % len(FRAMES)],
                              "user/angle": 0.5, "user/throttle": float(index),
                              "user/mode": "user"})
            os.write(pipe, b"%d\n" % index)


def _run_and_kill(path, rng: random.Random) -> list[int]:
    """One recording child, killed after a random delay; returns the indexes it finished."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            _record_until_killed(path, write_end)
        finally:
            os._exit(1)
    os.close(write_end)
    if rng.random() > 0.1:  # now and then kill it while it is still opening the tub
        select.select([read_end], [], [], 10)
    time.sleep(rng.uniform(0, 0.06))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    output = b""
    while chunk := os.read(read_end, 65536):
        output += chunk
    os.close(read_end)
    return [int(line) for line in output.split()[1:] if line.isdigit()]


@pytest.mark.slow
def test_sigkill_while_recording_loses_no_completed_record(tmp_path):
    path, rng = tmp_path / "tub", random.Random(1234)
    with Tub(tmp_path / "warm-up", BASIC_INPUTS, BASIC_TYPES) as tub:  # PIL loads its plugins
        tub.write_record({"cam/image_array": FRAMES[0]})  # here, not in every child
    completed: list[int] = []
    previous = 0  # records present before the current child started
    for _ in range(KILLS):
        finished = _run_and_kill(path, rng)
        completed += finished
        if not (path / "manifest.json").exists():
            assert not completed  # killed before the tub was even created
            continue
        tub = Tub(path)
        records = {record.index: record for record in tub}
        assert not [p for p in tub.problems.problems if p.record_skipped]
        assert set(completed) <= set(records)
        assert sorted(records) == list(range(len(records)))  # no index lost or reused
        unreported = set(range(previous, len(records))) - set(finished)
        assert unreported <= {len(records) - 1}  # at most the record being written at the kill
        previous = len(records)
        for index in finished:
            assert records[index]["user/throttle"] == index
            assert records[index].image("cam/image_array").shape == (120, 160, 3)
    assert len(completed) > 2 * KILLS  # the child really recorded between kills
    _assert_consistent_after_reopening(path, len(records))


def _assert_consistent_after_reopening(path, count: int) -> None:
    Tub(path, BASIC_INPUTS, BASIC_TYPES).close()
    manifest = (path / "manifest.json").read_text().splitlines()
    catalogs = json.loads(manifest[4])
    assert catalogs["current_index"] == count and catalogs["deleted_indexes"] == []
    start = 0
    for name in catalogs["paths"]:
        lines = (path / name).read_text().splitlines(keepends=True)
        index = json.loads((path / name).with_suffix(".catalog_manifest").read_text())
        assert index["line_lengths"] == [len(line) for line in lines]
        assert index["start_index"] == start
        assert [json.loads(line)["_index"] for line in lines] == list(range(start,
                                                                           start + len(lines)))
        start += len(lines)
    assert start == count
    sessions = [rec.session_id for rec in Tub(path)]
    ids = json.loads(manifest[3])["sessions"]["all_full_ids"]
    assert len(ids) == len(set(ids))
    changes = [s for i, s in enumerate(sessions) if i == 0 or s != sessions[i - 1]]
    assert len(changes) == len(set(changes))  # a session id is never reused after a crash
