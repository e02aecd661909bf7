"""One real `burro ui` per test module (a car folder under a module temp dir); each test opens
its own copy of the real tub in it, so what one test deletes no other test sees."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import SHARED_TUB
from tests.ui.uikit import call, running_ui

_numbers = itertools.count()


@pytest.fixture(scope="module")
def car_dir(tmp_path_factory) -> Path:
    car = tmp_path_factory.mktemp("uitubs") / "mycar"
    result = subprocess.run([sys.executable, "-m", "burro", "createcar", "--path", str(car)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return car


@pytest.fixture(scope="module")
def server(car_dir) -> str:
    with running_ui("--car", str(car_dir), "--root", str(car_dir)) as base:
        yield base


@pytest.fixture
def tub(car_dir, server) -> Path:
    """A fresh copy of the real tub, opened (the only opened tub)."""
    path = car_dir / "data" / f"tub_{next(_numbers)}"
    shutil.copytree(SHARED_TUB, path, copy_function=shutil.copyfile)
    status, answer = call(server, "/api/tubs", {"paths": [str(path)]})
    assert status == 200, answer
    return path


def deleted_in_manifest(tub: Path) -> list[int]:
    return json.loads((tub / "manifest.json").read_text().splitlines()[4])["deleted_indexes"]


def catalog_lines(tub: Path) -> list[dict]:
    return [json.loads(line) for line in (tub / "catalog_0.catalog").read_text().splitlines()]
