"""A simulated car per test, the drive page on it, and a small pilot trained once for the Local
Pilot test (the `browser` fixture, one chromium per module, is in tests/conftest.py)."""

from pathlib import Path

import pytest
from tests.web.browser.pagekit import LAPTOP, open_page, start_car


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a test saves its screenshots (one per state it reaches)."""
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return folder


@pytest.fixture
def car(tmp_path):
    """A simulated car driving in real time, web controller in user mode, nobody driving."""
    running = start_car(tmp_path)
    yield running
    running.stop()


@pytest.fixture
def page(browser, car, shots):
    """The drive page on a laptop-sized screen, connected."""
    drive = open_page(browser, car, shots, **LAPTOP)
    yield drive.ready()
    assert drive.errors == [], drive.errors  # no JavaScript error on the way
    drive.page.context.close()


@pytest.fixture(scope="session")
def small_pilot(tmp_path_factory) -> Path:
    """A linear pilot trained a few epochs on 100 frames of the real tub, as .tflite (the car
    runs it with LiteRT, without TensorFlow)."""
    import numpy as np
    from tests.conftest import SHARED_TUB
    from tests.pilots.conftest import read_frames

    from burro.config import default_config
    from burro.models import get_model_type
    from burro.models.export import export_tflite
    from burro.models.metadata import model_metadata, write_metadata

    frames, columns = read_frames(SHARED_TUB, 100)
    cfg = default_config()
    model_type = get_model_type("linear")
    model = model_type.build(cfg)
    model_type.compile(model, cfg)
    model.fit(frames.astype(np.float32), model_type.targets(columns, cfg), batch_size=20,
              epochs=4, verbose=0)
    path = tmp_path_factory.mktemp("pilot") / "pilot.tflite"
    export_tflite(model, path)
    write_metadata(path, model_metadata("linear", cfg))
    return path
