"""burro.training.progress: the JSON-lines file a run appends to, read as it grows."""

import json
import math

from burro.training.progress import ProgressFile, read_progress


def test_events_are_read_as_they_are_appended(tmp_path):
    path = tmp_path / "run.jsonl"
    progress = ProgressFile(path)
    assert read_progress(path) == ([], 0)  # no file yet
    progress.write("plan", records=100, max_epochs=2)
    events, offset = read_progress(path)
    assert [(e["event"], e["records"]) for e in events] == [("plan", 100)]
    progress.write("epoch", epoch=1, loss=0.5, val_loss=math.nan)
    more, end = read_progress(path, offset)
    assert [(e["event"], e["epoch"], e["val_loss"]) for e in more] == [("epoch", 1, None)]
    assert read_progress(path, end) == ([], end)


def test_a_line_still_being_written_waits_for_the_next_read(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text(json.dumps({"event": "fit"}) + "\n" + '{"event": "st')
    events, offset = read_progress(path)
    assert [e["event"] for e in events] == ["fit"]
    with open(path, "a") as file:
        file.write('ep"}\nnot json\n')
    events, _ = read_progress(path, offset)
    assert [e["event"] for e in events] == ["step"]  # a foreign line is skipped


def test_no_file_named_writes_nothing(tmp_path):
    ProgressFile(None).write("plan", records=1)
    assert list(tmp_path.iterdir()) == []
