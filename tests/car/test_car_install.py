"""`pip install '.[car,sim]'` in a fresh Python 3.13 venv: no TensorFlow, and `manage.py drive`
runs a Donkey-trained and a burro-trained `.tflite` pilot in the simulator for 300 ticks.

Everything in the venv runs without PYTHONPATH, so it uses the installed package, not src/.
"""

import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.car.carkit import sim_figure

pytestmark = pytest.mark.slow  # builds a venv and installs the extras (pip cache) once

REPO = Path(__file__).parents[2]
DONKEY_PILOT = REPO / "tests" / "data" / "donkey" / "5.4.0" / "linear.tflite"
TICKS = 300
FAST_SIM = 'SIM_REALTIME = False\nSIM_TRACK = "oval"\nWEB_CONTROL_PORT = 0\n'
NO_TENSORFLOW = """
import runpy, sys
import numpy as np
from burro.pilots import load

for argv in {drives!r}:
    sys.argv = argv
    try:
        runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as stop:
        assert not stop.code, stop.code
for path, model_type, shape in {pilots!r}:
    angle, throttle = load(path, model_type).run(np.zeros(shape, np.uint8))
    assert -1 <= angle <= 1 and -1 <= throttle <= 1, (angle, throttle)
heavy = sorted(name for name in sys.modules if name.split(".")[0] in ("tensorflow", "keras"))
print("heavy modules:", heavy)
"""


def python_3_13() -> Path:
    roots = [os.environ.get("PYENV_ROOT"), str(Path.home() / ".pyenv")]
    if shutil.which("pyenv"):
        roots.insert(0, subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip())
    for root in filter(None, roots):
        found = sorted(glob.glob(f"{root}/versions/3.13*/bin/python"))
        if found:
            return Path(found[-1])
    pytest.fail("no Python 3.13 found under pyenv's versions/ (PYENV_ROOT, `pyenv root`, ~/.pyenv)"
                " — install it with `pyenv install 3.13` (CI machines have it)")


def clean_env(venv: Path) -> dict[str, str]:
    """The venv's own environment: nothing from the worktree's src or the main venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_in(venv: Path, *args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=clean_env(venv),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh Python 3.13 venv with the repository installed (not editable) with car,sim."""
    folder = tmp_path_factory.mktemp("install")
    # A copy of the package's sources: pip's in-tree build leaves build/ and *.egg-info behind,
    # and a stale build/lib would put deleted modules into the wheel.
    source = folder / "burro"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    venv = folder / "venv"
    subprocess.run([str(python_3_13()), "-m", "venv", str(venv)], check=True, timeout=120)
    started = time.monotonic()
    install = run_in(venv, "python", "-m", "pip", "install", "--quiet", f"{source}[car,sim]",
                     cwd=folder, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    print(f"pip install .[car,sim] on Python 3.13: {time.monotonic() - started:.1f} s")
    return venv


@pytest.fixture(scope="module")
def burro_pilot(tmp_path_factory) -> Path:
    """A pilot burro trained (the main venv, with TensorFlow): 2 expert laps, 1 epoch, ~15 s."""
    folder = tmp_path_factory.mktemp("trained")
    main = [sys.executable, "-m", "burro"]
    record = subprocess.run([*main, "sim", "record", "--track", "oval", "--laps", "2",
                             "--tub", str(folder / "tub")], capture_output=True, text=True,
                            timeout=120, cwd=folder)
    assert record.returncode == 0, record.stderr
    model = folder / "models" / "pilot.keras"
    train = subprocess.run([*main, "train", "--tub", str(folder / "tub"), "--model", str(model),
                            "--set", "MAX_EPOCHS=1", "--set", "CREATE_ONNX=False",
                            "--set", "SHOW_PLOT=False", "--set", "VERBOSE_TRAIN=False",
                            "--set", "PRINT_MODEL_SUMMARY=False"],
                           capture_output=True, text=True, timeout=600, cwd=folder)
    assert train.returncode == 0, train.stderr
    return model.with_suffix(".tflite")


@pytest.fixture(scope="module")
def car(venv, burro_pilot, tmp_path_factory) -> Path:
    """`burro createcar --template sim` with the venv's burro, both pilots in models/."""
    car = tmp_path_factory.mktemp("car") / "mycar"
    result = run_in(venv, "burro", "createcar", "--path", str(car), "--template", "sim", cwd=car.parent)
    assert result.returncode == 0, result.stderr
    with open(car / "myconfig.py", "a", encoding="utf-8") as myconfig:
        myconfig.write(FAST_SIM)
    (car / "donkey.py").write_text(FAST_SIM + "IMAGE_W = 80\nIMAGE_H = 80\n"
                                   "TRANSFORMATIONS = ['CROP']\nROI_CROP_TOP = 20\n")
    shutil.copyfile(DONKEY_PILOT, car / "models" / "donkey.tflite")
    for suffix in (".tflite", ".json"):
        shutil.copyfile(burro_pilot.with_suffix(suffix), car / "models" / f"pilot{suffix}")
    return car


def test_the_install_has_no_tensorflow(venv, tmp_path):
    for package in ("tensorflow", "tensorflow-cpu", "keras"):
        show = run_in(venv, "python", "-m", "pip", "show", package, cwd=tmp_path)
        assert show.returncode != 0 and "not found" in show.stderr, show.stdout
    imported = run_in(venv, "python", "-c", "import tensorflow", cwd=tmp_path)
    assert imported.returncode != 0 and "No module named 'tensorflow'" in imported.stderr
    version = run_in(venv, "python", "-c", "import sys, burro; print(sys.version_info[:2], burro.__file__)",
                     cwd=tmp_path)
    assert version.stdout.startswith("(3, 13)"), version
    assert str(venv) in version.stdout  # the installed package, not the repository's src/


def drive(venv: Path, car: Path, *args: str) -> str:
    result = run_in(venv, "python", str(car / "manage.py"), "drive", *args,
                    "--set", f"MAX_LOOPS={TICKS}", cwd=car)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"loop: {TICKS} ticks" in out
    assert "runtime LiteRT" in out
    assert sim_figure(out, "mean speed") > 0.1  # the car moved
    return out


def test_a_donkey_trained_pilot_drives_on_python_3_13(venv, car):
    out = drive(venv, car, "--myconfig", "donkey.py", "--model", "models/donkey.tflite",
                "--type", "tflite_linear")
    assert "input 80x80x3, trained by Donkey" in out


def test_a_burro_trained_pilot_drives_on_python_3_13(venv, car):
    out = drive(venv, car, "--model", "models/pilot.tflite")
    assert "pilot.tflite (type linear, runtime LiteRT, input 160x120x3)" in out


def test_driving_imports_no_tensorflow(venv, car):
    manage = str(car / "manage.py")
    drives = [[manage, "drive", "--model", "models/pilot.tflite", "--set", "MAX_LOOPS=20"],
              [manage, "drive", "--myconfig", "donkey.py", "--model", "models/donkey.tflite",
               "--type", "tflite_linear", "--set", "MAX_LOOPS=20"]]
    pilots = [["models/pilot.tflite", None, (120, 160, 3)],
              ["models/donkey.tflite", "tflite_linear", (80, 80, 3)]]
    script = NO_TENSORFLOW.format(drives=drives, pilots=pilots)
    result = run_in(venv, "python", "-c", script, cwd=car)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("loop: 20 ticks") == 2
    assert "heavy modules: []" in result.stdout
