import shutil
from pathlib import Path

import pytest

SHARED_TUB = Path(__file__).resolve().parents[2] / "shared" / "data" / "donkey-test-tub"


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
    shutil.copytree(shared_tub_path, target)
    return target
