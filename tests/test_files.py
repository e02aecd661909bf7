import argparse

import pytest

from burro.cli.arguments import typed
from burro.config.types import NON_NEGATIVE_FLOAT, POSITIVE_INT
from burro.errors import BurroError
from burro.files import atomic_output


def test_atomic_output_keeps_the_old_file_when_the_writer_fails(tmp_path):
    target = tmp_path / "pilot.keras"
    target.write_text("old pilot")
    with pytest.raises(RuntimeError), atomic_output(target) as temporary:
        temporary.write_text("half a pilot")
        raise RuntimeError("writer failed")
    assert target.read_text() == "old pilot"
    assert [p.name for p in tmp_path.iterdir()] == ["pilot.keras"]


def test_atomic_output_renames_a_complete_file_keeping_the_suffix(tmp_path):
    target = tmp_path / "plot.png"
    with atomic_output(target) as temporary:
        assert temporary.suffix == ".png" and temporary.parent == tmp_path
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]


def test_atomic_output_turns_os_errors_into_one_line(tmp_path):
    target = tmp_path / "missing-folder" / "report.json"
    expected = "cannot write report.json.*free space / check permissions"
    with pytest.raises(BurroError, match=expected), atomic_output(target) as temporary:
        temporary.write_text("x")


def test_typed_arguments_use_config_value_types():
    parser = argparse.ArgumentParser()
    parser.add_argument("--last", type=typed(POSITIVE_INT))
    parser.add_argument("--latency", type=typed(NON_NEGATIVE_FLOAT))
    assert parser.parse_args(["--last", "5", "--latency", "3"]).latency == 3.0
    for bad in (["--last", "-5"], ["--last", "1.5"], ["--latency", "nan"], ["--latency", "-50"],
                ["--latency", "fast"]):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)
