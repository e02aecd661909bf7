from tests.tub.tubkit import BASIC_INPUTS, BASIC_TYPES, basic_record

from burro.config import load_config
from burro.tub import Tub
from burro.tub.recording import new_tub_path, recording_tub


def test_recording_tub_follows_the_car_config(tmp_path):
    (tmp_path / "myconfig.py").write_text(
        "AUTO_CREATE_NEW_TUB = True\nMAX_CATALOG_LEN = 2\nJPEG_QUALITY = 30\n"
        "METADATA = ['track:garage']\n")
    cfg = load_config(tmp_path)
    (tmp_path / "data" / "tub_7_24-01-01").mkdir(parents=True)
    with recording_tub(cfg, BASIC_INPUTS, BASIC_TYPES, metadata=["driver:ann"]) as tub:
        for i in range(3):
            tub.write_record(basic_record(i))
    assert tub.path.name.startswith("tub_8_") and tub.path.parent == tmp_path / "data"
    written = Tub(tub.path)
    assert written.metadata == {"track": "garage", "driver": "ann"}
    assert written.manifest.paths == ["catalog_0.catalog", "catalog_1.catalog"]
    low_quality = (tub.path / "images" / "0_cam_image_array_.jpg").stat().st_size
    with Tub(tmp_path / "q75", BASIC_INPUTS, BASIC_TYPES) as default:
        default.write_record(basic_record(0))
    assert low_quality < (tmp_path / "q75" / "images" / "0_cam_image_array_.jpg").stat().st_size


def test_new_tub_path_starts_at_one(tmp_path):
    assert new_tub_path(tmp_path).name.startswith("tub_1_")
