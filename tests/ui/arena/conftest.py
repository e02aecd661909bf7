"""The arena's test car: a car folder with a copy of the real tub and two small pilots in its
models/ — one linear model trained a few epochs on 100 frames, exported as .tflite, then
trained two more and exported as .onnx (so the two predict differently). Built once per
session: training is the slow part."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import SHARED_TUB

DONKEY = Path(__file__).resolve().parents[2] / "data" / "donkey" / "5.4.0"  # Donkey-trained


@pytest.fixture(scope="session")
def arena_pilots(tmp_path_factory) -> dict[str, Path]:
    import numpy as np
    from tests.pilots.conftest import read_frames

    from burro.config import default_config
    from burro.models import get_model_type
    from burro.models.export import export_onnx, export_tflite
    from burro.models.metadata import model_metadata, write_metadata

    frames, columns = read_frames(SHARED_TUB, 100)
    cfg = default_config()
    model_type = get_model_type("linear")
    model = model_type.build(cfg)
    model_type.compile(model, cfg)
    folder = tmp_path_factory.mktemp("arena-pilots")
    pilots = {}
    for name, epochs, export in (("early.tflite", 3, export_tflite), ("later.onnx", 3, export_onnx)):
        model.fit(frames.astype(np.float32), model_type.targets(columns, cfg), batch_size=20,
                  epochs=epochs, verbose=0)
        path = folder / name
        export(model, path)
        write_metadata(path, model_metadata("linear", cfg))
        pilots[name] = path
    return pilots


def make_car(root: Path, pilots: dict[str, Path]) -> Path:
    """A car folder (burro createcar) with a copy of the real tub (1000 records) as
    data/tub_1 and the pilots (with their .json) in models/."""
    car = root / "mycar"
    result = subprocess.run([sys.executable, "-m", "burro", "createcar", "--path", str(car)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shutil.copytree(SHARED_TUB, car / "data" / "tub_1")
    for path in pilots.values():
        shutil.copy2(path, car / "models" / path.name)
        shutil.copy2(path.with_suffix(".json"), car / "models" / path.with_suffix(".json").name)
    return car


DOCS_SHOTS = "BURRO_UI_SHOTS"  # a folder: the browser tests save their screenshots there too




def screenshot(page, folder: Path, name: str) -> Path:
    """The page as PNG in `folder`; also, quantised small, in $BURRO_UI_SHOTS when set
    (how docs/images/ui-arena-*.png are made)."""
    import os

    from PIL import Image

    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    docs = os.environ.get(DOCS_SHOTS)
    if docs:
        Image.open(path).convert("RGB").quantize(96).save(Path(docs) / f"{name}.png",
                                                          optimize=True)
    return path
