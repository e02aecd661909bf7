"""`burro tub ...` commands on real tubs."""

import json
import subprocess
import sys

import pytest
from tests.tub.defects import IMAGE, catalog_lines, set_catalog
from tests.tub.test_v1 import make_v1_tub

from burro.cli.main import main
from burro.tub import Tub


def run(capsys, *argv):
    code = main(["tub", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_info_shows_counts_sessions_keys_and_stats(capsys, shared_tub_path):
    code, out, _ = run(capsys, "info", shared_tub_path)
    assert code == 0
    assert "records   1,000 (deleted 0, bad 0)" in out and "problems" not in out
    assert "duration  3.3 s in 1 session\n" in out and "legacy_0         1000 records" in out
    assert "user/angle     min -0.857  max +1.000  mean +0.160  std 0.400" in out
    code, out, _ = run(capsys, "info", "--json", shared_tub_path)
    info, = json.loads(out)
    assert info["records"] == 1000 and info["keys"]["user/throttle"] == "float"


def test_rm_restore_and_ls(capsys, write_tub, tmp_path):
    path = write_tub(30)
    assert run(capsys, "rm", path, "--range", "10:20")[1].startswith(
        "deleted 10 records: 10-19; 20 remain")
    assert run(capsys, "rm", path, "--index", "0", "25")[1].startswith("deleted 2 records: 0, 25")
    assert run(capsys, "rm", path, "--last", "2")[1].startswith("deleted 2 records: 28-29")
    (tmp_path / "car").mkdir()
    (tmp_path / "car" / "myconfig.py").write_text("ERASE_LAST_N_RECORDS = 3\n")
    assert run(capsys, "rm", path, "--last", "--car", tmp_path / "car")[1].startswith(
        "deleted 3 records: 24, 26-27")
    assert run(capsys, "ls", path, "--deleted")[1].split() == [
        "0", *map(str, range(10, 20)), *map(str, range(24, 30))]
    assert run(capsys, "restore", path, "--range", "10:12")[1].startswith(
        "restored 2 records: 10-11")
    assert run(capsys, "restore", path, "--all")[1].startswith("restored 15 records")
    lines = run(capsys, "ls", path, "--limit", "2")[1].splitlines()
    assert len(lines) == 2 and lines[1].split()[0] == "1" and '"user/angle": -0.49' in lines[1]


def test_rm_last_seconds(capsys, write_tub):
    path = write_tub(5)
    code, out, _ = run(capsys, "rm", path, "--last-seconds", "3600")
    assert code == 0 and out.startswith("deleted 5 records: 0-4; 0 remain")


def test_errors_are_one_line(capsys, tmp_path, write_tub):
    code, _, err = run(capsys, "rm", tmp_path / "nothing", "--index", "1")
    assert code == 2 and err.startswith("burro: error: not a tub: manifest.json is missing")
    code, _, err = run(capsys, "rm", write_tub(2), "--range", "5-9")
    assert code == 2 and "a range is written A:B" in err and len(err.splitlines()) == 1


def test_check_exit_codes_and_repair(capsys, real_tub):
    assert run(capsys, "check", real_tub)[0] == 0
    (real_tub / "images" / "5_cam_image_array_.jpg").unlink()
    code, out, err = run(capsys, "check", real_tub)
    assert code == 1 and out.splitlines() == [f"{real_tub}: 1 record has no image: index 5",
                                              f"{real_tub}: 999 good records, 1 problem"]
    assert "no image" not in err  # listed once, not logged again
    code, out, _ = run(capsys, "check", "--repair", real_tub)
    assert code == 0 and out.splitlines() == [
        f"{real_tub}: repaired: soft-deleted 1 bad records (undo with `burro tub restore`): 5",
        f"{real_tub}: after repair: 999 good records, 0 problems"]
    assert Tub(real_tub).deleted_indexes == {5}


def test_convert(capsys, tmp_path):
    old = make_v1_tub(tmp_path / "v1", [1, 2, 4])
    code, out, _ = run(capsys, "convert", old, tmp_path / "v2")
    assert code == 0 and "3 records, 0 skipped" in out
    assert [r.index for r in Tub(tmp_path / "v2")] == [0, 1, 3]


def test_hist_writes_a_png(capsys, shared_tub_path, tmp_path):
    out_file = tmp_path / "angle.png"
    code, _out, _ = run(capsys, "hist", shared_tub_path, "--record", "user/angle", "--out",
                       out_file)
    assert code == 0 and out_file.read_bytes().startswith(b"\x89PNG")
    code, _, err = run(capsys, "hist", shared_tub_path, "--record", "user/mode")
    assert code == 2 and "'user/mode' is not a numeric field" in err
    donkey_style = tmp_path / "all.png"
    assert main(["tubhist", "--tub", str(shared_tub_path), "--out", str(donkey_style)]) == 0
    assert donkey_style.read_bytes().startswith(b"\x89PNG")


def test_counts_are_the_records_the_reader_yields(capsys, write_tub):
    path = write_tub(20, max_catalog_len=10)
    for index in (3, 4, 15):
        (path / IMAGE.format(index)).unlink()
    lines = catalog_lines(path, 1)
    set_catalog(path, 1, [*lines[:2], b"garbage\n", *lines[2:]])
    code, out, err = run(capsys, "check", path)
    assert out.splitlines()[-1] == f"{path}: 17 good records, 2 problems"  # len(tub): 20
    assert run(capsys, "rm", path, "--index", "0")[1].startswith("deleted 1 records: 0; 16 remain")
    assert run(capsys, "restore", path, "--all")[1].startswith("restored 1 records: 0; 17 records")
    code, out, _ = run(capsys, "info", path)
    assert "records   17 (deleted 0, bad 4)" in out
    assert out.count("  problems  ") == 1 and "3 records have no image: indexes 3-4, 15" in out


def test_null_values_are_missing_in_info_and_hist(capsys, write_tub, tmp_path):
    path = write_tub(4)
    lines = catalog_lines(path, 0)
    lines[1] = lines[1].replace(b'"user/angle": -0.49', b'"user/angle": null')
    set_catalog(path, 0, lines)
    code, out, _ = run(capsys, "info", "--json", path)
    info, = json.loads(out)
    assert code == 0 and info["records"] == 4 and info["stats"]["user/angle"]["min"] == -0.5
    code, out, _ = run(capsys, "hist", path, "--record", "user/angle", "--out",
                       tmp_path / "a.png")
    assert code == 0 and (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("argv, option", [
    (["rm", "{tub}", "--last", "-5"], "--last"),
    (["rm", "{tub}", "--last", "0"], "--last"),
    (["rm", "{tub}", "--index", "-1"], "--index"),
    (["rm", "{tub}", "--last-seconds", "nan"], "--last-seconds"),
    (["ls", "{tub}", "--limit", "-1"], "--limit"),
    (["convert", "{tub}", "{tub}2", "--max-catalog-len", "0"], "--max-catalog-len"),
])
def test_numeric_options_are_checked_with_the_config_value_types(write_tub, argv, option):
    path = write_tub(3)
    done = subprocess.run([sys.executable, "-m", "burro", "tub",
                           *(arg.format(tub=path) for arg in argv)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"argument {option}: expected " in done.stderr
    assert Tub(path).deleted_indexes == set()


@pytest.mark.parametrize("text, message", [
    ("5:2", "the range is empty: A must be below B (A to B-1) (--range 5:2) — e.g. --range 2:6"),
    ("-3:2", "a range is written A:B with indexes A >= 0"),
    ("5-9", "a range is written A:B"),
])
def test_a_bad_range_is_one_line(write_tub, text, message):
    path = write_tub(3)
    done = subprocess.run([sys.executable, "-m", "burro", "tub", "rm", str(path),
                           f"--range={text}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"burro: error: {message}")
    assert Tub(path).deleted_indexes == set()
