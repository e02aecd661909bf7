import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import SHARED_TUB
from tests.tub.tubkit import write_tub  # noqa: F401 (fixture)


@pytest.fixture(scope="session")
def pristine_real_tub(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("real") / "tub"
    shutil.copytree(SHARED_TUB, target)
    return target


@pytest.fixture
def real_tub(pristine_real_tub, tmp_path) -> Path:
    """A fast private copy of the real tub: files copied, images hard-linked to one session
    copy. Replace an image with `tubkit.replace_file`, never by writing into it."""
    target = tmp_path / "tub"
    (target / "images").mkdir(parents=True)
    for path in pristine_real_tub.iterdir():
        if path.is_file():
            shutil.copyfile(path, target / path.name)  # writable, unlike the shared original
    for image in (pristine_real_tub / "images").iterdir():
        os.link(image, target / "images" / image.name)
    return target
