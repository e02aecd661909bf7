import logging
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from burro.config import load_config
from burro.errors import BurroError
from burro.parts import PARTS
from burro.parts.tub_writer import TubWriterPart, recorded_keys
from burro.tub import Tub

EPOCH = 1_700_000_000.0


def frame(seed: int, size: tuple[int, int] = (120, 160)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (*size, 3), dtype=np.uint8)


def values(i: int, mode: str = "user") -> list:
    """cam/image_array, user/angle, user/throttle, user/mode for tick i."""
    return [frame(i, (12, 16)), round(i / 10 - 0.5, 2), 0.3, mode]


def writer_in(path, **kwargs) -> TubWriterPart:
    inputs, types = recorded_keys(False)
    return TubWriterPart(Tub(path, inputs, types), wall_clock=lambda: EPOCH, **kwargs)


def test_writes_only_ticks_where_recording_is_true(tmp_path):
    writer = writer_in(tmp_path / "tub")
    assert writer.inputs == ["recording", "loop/time", "cam/image_array", "user/angle",
                             "user/throttle", "user/mode"]
    counts = [writer.run(i % 3 != 0, 5.0 + i * 0.05, *values(i)) for i in range(9)]
    writer.shutdown()
    assert counts == [0, 1, 2, 2, 3, 4, 4, 5, 6]
    records = list(Tub(tmp_path / "tub"))
    assert [r["user/angle"] for r in records] == [-0.4, -0.3, -0.1, 0.0, 0.2, 0.3]
    assert {r["user/mode"] for r in records} == {"user"}
    assert np.array_equal(records[0].image("cam/image_array").shape, (12, 16, 3))


def test_timestamps_follow_loop_time_anchored_at_the_first_tick(tmp_path):
    writer = writer_in(tmp_path / "tub")
    writer.run(False, 100.0, *values(0))  # the anchor: wall clock EPOCH at loop time 100 s
    for i in (1, 2, 3):
        writer.run(True, 100.0 + i * 0.05, *values(i))
    writer.shutdown()
    stamps = [r.timestamp_ms for r in Tub(tmp_path / "tub")]
    assert stamps == [round(EPOCH * 1000) + 50 * i for i in (1, 2, 3)]


def test_none_values_are_left_out_of_the_record(tmp_path):
    inputs, types = recorded_keys(True)
    writer = TubWriterPart(Tub(tmp_path / "tub", inputs, types))
    writer.run(True, 0.0, *values(0), None, None)  # user mode: the pilot did not run
    writer.run(True, 0.05, *values(1, "local"), 0.25, 0.5)
    writer.shutdown()
    first, second = Tub(tmp_path / "tub")
    assert "pilot/angle" not in first and (second["pilot/angle"], second["pilot/throttle"]) == \
        (0.25, 0.5)


def make_car(tmp_path, myconfig: str = ""):
    (tmp_path / "myconfig.py").write_text(myconfig)
    return load_config(tmp_path)


def test_from_config_writes_data_path_with_metadata_and_donkeys_keys(tmp_path):
    cfg = make_car(tmp_path, "METADATA = ['car:red']\n")
    writer = PARTS.get("TubWriter").from_config(cfg, meta=["track:garage", "driver:ann"])
    writer.run(True, 0.0, *values(0))
    writer.shutdown()
    tub = Tub(tmp_path / "data")
    assert tub.inputs == ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
    assert tub.types == ["image_array", "float", "float", "str"]
    assert tub.metadata == {"car": "red", "track": "garage", "driver": "ann"}


def test_record_during_ai_adds_the_pilot_keys(tmp_path):
    writer = TubWriterPart.from_config(make_car(tmp_path, "RECORD_DURING_AI = True\n"))
    writer.shutdown()
    assert Tub(tmp_path / "data").inputs[-2:] == ["pilot/angle", "pilot/throttle"]


def test_auto_create_new_tub_takes_the_next_free_number(tmp_path):
    cfg = make_car(tmp_path, "AUTO_CREATE_NEW_TUB = True\n")
    (tmp_path / "data" / "tub_4_24-01-01").mkdir(parents=True)
    paths = []
    for _ in range(2):
        writer = TubWriterPart.from_config(cfg)
        paths.append(writer.tub.path)
        writer.shutdown()
    today = time.strftime("%y-%m-%d")
    assert [p.name for p in paths] == [f"tub_5_{today}", f"tub_6_{today}"]


def test_each_start_is_a_new_session_in_the_same_tub(tmp_path):
    cfg = make_car(tmp_path)
    for _ in range(2):
        writer = TubWriterPart.from_config(cfg)
        for i in range(3):
            writer.run(True, i * 0.05, *values(i))
        writer.shutdown()
    records = list(Tub(tmp_path / "data"))
    assert len(records) == 6 and len({r.session_id for r in records}) == 2
    assert records[0].session_id != records[3].session_id


@pytest.mark.parametrize("meta", ["track", "url:http://x", ":x"])
def test_bad_meta_is_a_one_line_error(tmp_path, meta):
    with pytest.raises(BurroError, match="--meta"):
        TubWriterPart.from_config(make_car(tmp_path), meta=[meta])


def test_erase_last_n_soft_deletes_the_configured_count(tmp_path):
    writer = TubWriterPart.from_config(make_car(tmp_path, "ERASE_LAST_N_RECORDS = 3\n"))
    for i in range(5):
        writer.run(True, i * 0.05, *values(i))
    assert writer.erase_last_n() == [2, 3, 4]
    assert writer.run(True, 1.0, *values(9)) == 6  # Donkey's count: deleted records still count
    writer.shutdown()
    assert [r.index for r in Tub(tmp_path / "data")] == [0, 1, 5]


def test_erase_from_a_controller_thread_while_recording(tmp_path):
    writer = TubWriterPart.from_config(make_car(tmp_path, "ERASE_LAST_N_RECORDS = 2\n"))
    erased = []

    def erase_now_and_then():
        for _ in range(20):
            erased.extend(writer.erase_last_n())
            time.sleep(0.001)

    eraser = threading.Thread(target=erase_now_and_then)
    for i in range(10):
        writer.run(True, i * 0.05, *values(i))
    eraser.start()
    for i in range(10, 60):
        writer.run(True, i * 0.05, *values(i))
    eraser.join()
    writer.shutdown()
    kept = [r.index for r in Tub(tmp_path / "data")]
    assert erased and len(erased) == len(set(erased))  # each erased once
    assert sorted(kept + erased) == list(range(60))  # none lost, none both kept and erased


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a 256 KiB tmpfs (as root), else a folder without write permission."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        yield folder, lambda: folder.joinpath("tub", "images").chmod(0o555)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("needs a tmpfs mount (root with CAP_SYS_ADMIN) or a non-root user")
    try:
        yield folder, lambda: None
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_stops_recording_once_without_losing_written_records(full_disk, caplog):
    folder, make_unwritable = full_disk
    inputs, types = recorded_keys(False)
    writer = TubWriterPart(Tub(folder / "tub", inputs, types))
    writer.run(True, 0.0, frame(0), 0.0, 0.3, "user")
    make_unwritable()
    with caplog.at_level(logging.ERROR, "burro.parts.tub_writer"):
        for i in range(1, 200):  # noise frames of ~10 KB fill 256 KiB
            writer.run(True, i * 0.05, frame(i), 0.0, 0.3, "user")
        writer.shutdown()
    assert writer.recording_failed and 1 <= writer.written < 199
    stopped = [r for r in caplog.records if "recording stopped" in r.getMessage()]
    assert len(stopped) == 1 and "tub" in stopped[0].getMessage()
    assert len(list(Tub(folder / "tub"))) == writer.written


def test_a_record_with_a_bad_value_is_skipped_and_recording_goes_on(tmp_path, caplog):
    writer = writer_in(tmp_path / "tub")
    with caplog.at_level(logging.WARNING, "burro.parts.tub_writer"):
        writer.run(True, 0.0, *values(0))
        for i in range(1, 4):
            writer.run(True, i * 0.05, frame(i), float("nan"), 0.3, "user")
        writer.run(True, 1.0, *values(5))
    writer.shutdown()
    assert (writer.written, writer.skipped, writer.recording_failed) == (2, 3, False)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([r for r in warnings if "skipped" in r.getMessage()]) == 1
    assert len(list(Tub(tmp_path / "tub"))) == 2


def test_the_control_part_modules_load_no_heavy_library():
    # a config load scans every part module; these must not pull in numpy/PIL (the tub does)
    modules = ["ai_launch", "drive_mode", "neutral_user", "recording_control",
               "throttle_filter", "tub_writer"]
    code = ("import sys; import " + ", ".join(f"burro.parts.{name}" for name in modules) + "; "
            "print(sorted({'PIL', 'numpy', 'cv2', 'tensorflow', 'burro.tub'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_threaded_writing_keeps_tick_order_erases_queued_records_and_drains_at_shutdown(tmp_path):
    import threading

    writer = writer_in(tmp_path / "tub", erase_last_n_records=3)
    thread = threading.Thread(target=writer.update)
    thread.start()
    buffer = frame(0, (12, 16))
    for i in range(10):
        buffer[:] = frame(i, (12, 16))  # a camera that reuses its buffer: the queue copies
        writer.run_threaded(True, i * 0.05, buffer, i / 10, 0.3, "user")
    assert writer.erase_last_n() == [7, 8, 9]  # waits for the 10 queued records first
    for i in range(10, 15):
        writer.run_threaded(True, i * 0.05, frame(i, (12, 16)), i / 10, 0.3, "user")
    writer.shutdown()  # writes what is still queued, then closes the tub
    thread.join(5)
    assert not thread.is_alive()
    records = list(Tub(tmp_path / "tub"))
    assert [r.index for r in records] == [0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14]
    assert [r["user/angle"] for r in records][:3] == [0.0, 0.1, 0.2]
    stored = records[1].image("cam/image_array").astype(int)  # JPEG: close to its own frame
    assert np.abs(stored - frame(1, (12, 16))).mean() < np.abs(stored - buffer).mean()
