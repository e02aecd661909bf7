"""Make a car folder with the real command line and run its manage.py in a subprocess."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
FAST_SIM = """
SIM_REALTIME = False
SIM_TRACK = "oval"
AUTO_CREATE_NEW_TUB = True
WEB_CONTROL_PORT = 0
"""


def burro(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "burro", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def create_car(tmp_path: Path, template: str = "sim", settings: str = FAST_SIM) -> Path:
    car = tmp_path / "mycar"
    result = burro("createcar", "--path", str(car), "--template", template)
    assert result.returncode == 0, result.stderr
    with open(car / "myconfig.py", "a", encoding="utf-8") as myconfig:
        myconfig.write(settings)
    return car


def manage(car: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python manage.py ARGS` in the car folder (sys.executable: PYTHONPATH applies)."""
    return subprocess.run([sys.executable, str(car / "manage.py"), *args], cwd=car,
                          capture_output=True, text=True, timeout=timeout)


def add_user_parts(car: Path, before: str, lines: list[str]) -> None:
    """Copy the Donkey-style parts in as myparts.py and add `lines` to manage.py's drive()
    just before the stage call `before` (e.g. "car.add_user()")."""
    shutil.copyfile(HERE / "user_parts.py", car / "myparts.py")
    manage_py = car / "manage.py"
    text = manage_py.read_text(encoding="utf-8")
    marker = f"    {before}"
    assert text.count(marker) == 1, before
    added = "".join(f"    {line}\n" for line in lines)
    manage_py.write_text(text.replace(marker, added + marker), encoding="utf-8")


def recorded(output: str) -> tuple[int, Path]:
    """The records the run reported and its tub."""
    match = re.search(r"^recorded (\d+) records into (\S+)", output, re.M)
    assert match, output
    return int(match[1]), Path(match[2])


def sim_figure(output: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)}\s+([-\d.]+)", output, re.M)
    assert match, output
    return float(match[1])
