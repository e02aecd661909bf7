"""One Debian chromium per test module (Playwright drives it; never `playwright install`), a
simulated car per test, and a small pilot trained once for the Local Pilot test.

Not one chromium for the whole session: Playwright's sync API keeps its asyncio loop marked
as running in the main thread while it is open, so every later test that calls asyncio.run
(tests/web) would fail; per module, it is closed before the next module runs."""

from pathlib import Path

import pytest
from tests.web.browser.pagekit import LAPTOP, open_page, start_car

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    "(bash scripts/test installs it; or: sudo apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need the Python package playwright (the dev extra: "
                    "pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


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
