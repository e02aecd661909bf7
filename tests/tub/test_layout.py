"""A tub burro writes follows Donkey's layout and byte conventions (compared with the real tub)."""

import json
import re

import numpy as np
from tests.tub.tubkit import frame

from burro.tub import Tub


def _files(path):
    """File names, without hidden ones (the real tub carries a macOS `._` resource file)."""
    return sorted(p.name for p in path.iterdir() if not p.name.startswith("."))


def test_layout_matches_the_real_donkey_tub(shared_tub_path, tmp_path):
    real = Tub(shared_tub_path)
    path = tmp_path / "ours"
    with Tub(path, real.inputs, real.types) as tub:
        for record in list(real)[:3]:
            tub.write_record({"cam/image_array": record.image("cam/image_array"),
                              "user/angle": record["user/angle"],
                              "user/throttle": record["user/throttle"],
                              "user/mode": record["user/mode"], "timestamp": None})
    assert _files(path) == _files(shared_tub_path)
    assert sorted(p.name for p in (path / "images").iterdir()) == [
        "0_cam_image_array_.jpg", "1_cam_image_array_.jpg", "2_cam_image_array_.jpg"]
    for tub_path in (shared_tub_path, path):
        manifest = (tub_path / "manifest.json").read_text().splitlines()
        assert len(manifest) == 5
        assert all(line == json.dumps(json.loads(line)) for line in manifest)
        catalog_lines = (tub_path / "catalog_0.catalog").read_text().splitlines(keepends=True)
        for line in catalog_lines:
            assert line == json.dumps(json.loads(line), sort_keys=True, allow_nan=False) + "\n"
        index_text = (tub_path / "catalog_0.catalog_manifest").read_text()
        index = json.loads(index_text)
        assert index_text == json.dumps(index, sort_keys=True) + "\n"
        assert sorted(index) == ["created_at", "line_lengths", "path", "start_index"]
        assert index["path"] == "catalog_0.catalog_manifest" and index["start_index"] == 0
        assert index["line_lengths"] == [len(line) for line in catalog_lines]
    ours = json.loads((path / "catalog_0.catalog").read_text().splitlines()[1])
    theirs = json.loads((shared_tub_path / "catalog_0.catalog").read_text().splitlines()[1])
    assert set(ours) == set(theirs) | {"_session_id"}
    assert {k: ours[k] for k in ("cam/image_array", "user/angle", "user/mode")} == {
        k: theirs[k] for k in ("cam/image_array", "user/angle", "user/mode")}
    assert re.fullmatch(r"\d\d-\d\d-\d\d_0", ours["_session_id"])


def test_manifest_lines_match_donkeys_verified_example(tmp_path):
    path = tmp_path / "tub"
    with Tub(path, ["cam/image_array", "user/angle"], ["image_array", "float"],
             metadata=["location:garage", "bad:entry:ignored"], max_catalog_len=3) as tub:
        for i in range(7):
            tub.write_record({"cam/image_array": frame(i), "user/angle": np.float32(0.1)})
        tub.delete_records([2, 3])
    lines = (path / "manifest.json").read_text().splitlines()
    assert lines[0] == '["cam/image_array", "user/angle"]'
    assert lines[1] == '["image_array", "float"]'
    assert lines[2] == '{"location": "garage"}'
    session = json.loads(lines[3])["sessions"]["last_full_id"]
    assert re.fullmatch(r'\{"created_at": [0-9.]+, "sessions": \{"all_full_ids": \["'
                        + session + r'"\], "last_id": 0, "last_full_id": "' + session + r'"\}\}',
                        lines[3])
    assert lines[4] == ('{"paths": ["catalog_0.catalog", "catalog_1.catalog", '
                        '"catalog_2.catalog"], "current_index": 7, "max_len": 3, '
                        '"deleted_indexes": [2, 3]}')
    last_catalog = json.loads((path / "catalog_2.catalog_manifest").read_text())
    assert last_catalog["start_index"] == 6 and len(last_catalog["line_lengths"]) == 1
    record = json.loads((path / "catalog_1.catalog").read_text().splitlines()[0])
    assert record["_index"] == 3 and record["user/angle"] == 0.10000000149011612
    assert record["cam/image_array"] == "3_cam_image_array_.jpg"
