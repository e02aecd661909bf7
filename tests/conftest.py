import os
import shutil
from pathlib import Path

import pytest


def _find_shared_tub() -> Path:
    """shared/ sits beside the repository (CI clones next to it); BURRO_SHARED overrides."""
    candidates = [Path(os.environ["BURRO_SHARED"])] if "BURRO_SHARED" in os.environ else []
    candidates += [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
    for shared in candidates:
        if (shared / "data" / "donkey-test-tub").is_dir():
            return shared / "data" / "donkey-test-tub"
    return candidates[0] / "data" / "donkey-test-tub"


SHARED_TUB = _find_shared_tub()


@pytest.fixture
def shared_tub_path() -> Path:
    """The real Donkey tub, read-only. Copy it (see `tub_copy`) before writing."""
    if not SHARED_TUB.is_dir():
        pytest.fail(f"the shared real tub is missing: {SHARED_TUB}")
    return SHARED_TUB


@pytest.fixture
def tub_copy(shared_tub_path: Path, tmp_path: Path) -> Path:
    """A writable copy of the real Donkey tub."""
    target = tmp_path / "tub"
    shutil.copytree(shared_tub_path, target, copy_function=shutil.copyfile)  # drop the 0444 modes
    return target


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """One Debian chromium per test MODULE, driven by Playwright (never `playwright install`).

    Not one for the whole session: Playwright's sync API keeps its asyncio loop marked as
    running in the main thread while it is open, so every later test that calls asyncio.run
    would fail; per module, it is closed before the next module runs."""
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
