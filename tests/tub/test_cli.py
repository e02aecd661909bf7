"""`burro tub ...` commands on real tubs."""

import json

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
    assert "records   1000 (deleted 0, bad 0)" in out
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
    assert code == 1 and "image file is missing (images/5_cam_image_array_.jpg, record 5)" in out
    assert "image file is missing" not in err  # listed once, not logged again
    code, out, _ = run(capsys, "check", "--repair", real_tub)
    assert code == 0 and "repaired: soft-deleted 1 bad records" in out
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
