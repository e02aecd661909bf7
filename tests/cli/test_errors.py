"""Every user error is ONE line on stderr and exit code 2, whatever the command (issue 12).

Each case runs the real CLI in a subprocess (C-level output and argparse's usage block are
invisible to capsys). Add a row to CASES with every new command or error: the area, the
arguments, and a short phrase of the message that should stay stable (the wording around it
may change). In the arguments `{ws}` is a scratch folder (also the working directory) with
the files that WORKSPACE_FILES lists, and `{tub}` a copy of the shared real tub.
"""

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import SHARED_TUB

EXIT_USER_ERROR = 2

METADATA = {"burro_version": "0.1.0", "type": "linear", "input_shape": [120, 160, 3],
            "input_name": "img_in", "input_range": [0, 255], "transformations": [],
            "outputs": ["n_outputs0", "n_outputs1"],
            "control_ranges": {"angle": [-1.0, 1.0], "throttle": [-1.0, 1.0]}, "config": {}}

WORKSPACE_FILES = {
    "exit/myconfig.py": "import sys\nBATCH_SIZE = 8\nsys.exit(3)\n",
    "exit0/myconfig.py": "exit()\n",
    "syntax/myconfig.py": "X = (\n",
    "wrongtype/myconfig.py": 'BATCH_SIZE = "many"\n',
    "raises/myconfig.py": "import os\nBATCH_SIZE = int(os.environ['BURRO_TEST_UNSET_VAR'])\n",
    "unreadable/myconfig.py": b"X = '\xff\xfe'\n",
    "db/models/database.json": "{broken",
    "dblist/models/database.json": '{"not": "a list"}',
    "corrupt.tflite": "not a flatbuffer",
    "corrupt.json": json.dumps(METADATA),
    "corruptonnx.onnx": "not a protobuf",
    "corruptonnx.json": json.dumps(METADATA),
    "nometa.tflite": "no json beside it",
    "thin.tflite": "metadata without outputs",
    "thin.json": json.dumps({"type": "linear", "input_shape": [120, 160, 3]}),
    "corruptkeras.keras": "not a zip",
    "corruptkeras.json": json.dumps(METADATA),
}


@dataclass(frozen=True)
class Case:
    area: str
    args: tuple[str, ...]
    phrase: str
    slow: bool = False  # loads TensorFlow (seconds)


def case(area: str, line: str, phrase: str, slow: bool = False) -> Case:
    return Case(area, tuple(line.split()), phrase, slow)


CASES = [
    # the command line itself
    case("cli", "nonsense", "invalid choice: 'nonsense'"),
    case("cli", "--bogus", "unrecognized arguments: --bogus"),
    case("cli", "sim record --tub {ws}/t --bogus", "see burro sim record --help"),
    # sim: numbers checked like config values, names and files before the slow part
    case("sim", "sim drive --model {ws}/corrupt.tflite --latency -50",
         "argument --latency: expected float >= 0, got '-50'"),
    case("sim", "sim drive --model {ws}/corrupt.tflite --latency nan",
         "argument --latency: expected float >= 0, got 'nan'"),
    case("sim", "sim record --tub {ws}/t --laps 0", "argument --laps: expected int >= 1"),
    case("sim", "sim record --tub {ws}/t --laps many", "argument --laps: expected int >= 1"),
    case("sim", "sim record --tub {ws}/t --max-steps -3", "argument --max-steps: expected int"),
    case("sim", "sim record --tub {ws}/t --seed 1.5", "argument --seed: expected int"),
    case("sim", "sim view --frames -1", "argument --frames: expected int >= 1"),
    case("sim", "sim record", "the following arguments are required: --tub"),
    case("sim", "sim record --tub {ws}/t --lane up", "invalid choice: 'up'"),
    case("sim", "sim record --tub {ws}/t --track moon", "unknown track 'moon'"),
    case("sim", "sim record --tub {ws}/t --set IMAGE_DEPTH=1", "the simulator renders RGB"),
    case("sim", "sim view --track oval --lane left", "has one lane"),
    case("sim", "sim view --out {ws}/view.xyz", "cannot write an image named view.xyz"),
    case("sim", "sim view --out {ws}/missing/view.png", "folder does not exist"),
    case("sim", "sim drive --model {ws}/missing.tflite", "pilot file not found"),
    case("sim", "sim drive --model {ws}/pilot.txt", "unknown pilot format '.txt'"),
    case("sim", "sim drive --model {ws}/nometa.tflite", "needs --type"),
    case("sim", "sim drive --model {ws}/nometa.tflite --type tflite_linear", "cannot open the pilot"),
    case("sim", "sim drive --model {ws}/thin.tflite", "model metadata lacks"),
    case("sim", "sim drive --model {ws}/corrupt.tflite", "cannot open the pilot"),
    case("sim", "sim drive --model {ws}/corruptonnx.onnx", "cannot open the pilot"),
    case("sim", "sim drive --model {ws}/corrupt.tflite --video {ws}/missing/drive.mp4",
         "folder does not exist"),
    case("sim", "sim drive --model {ws}/corrupt.tflite --plot {ws}/drive.xyz",
         "cannot write a plot named drive.xyz"),
    case("sim", "sim drive --model {ws}/corrupt.tflite --video {ws}/drive.webm",
         "cannot write a video named drive.webm"),
    case("sim", "sim drive --model {ws}/corruptkeras.keras", "cannot load the Keras model",
         slow=True),
    # config: the files a car keeps, and the options that pick them
    case("config", "config", "the following arguments are required: ACTION"),
    case("config", "config show --car {ws}/missing", "car folder not found"),
    case("config", "config check --config {ws}/missing/config.py", "config file not found"),
    case("config", "config check --myconfig {ws}/missing.py", "config file not found"),
    case("config", "config check --car {ws}/exit", "the config file calls sys.exit(3)"),
    case("config", "config check --car {ws}/exit0", "the config file calls sys.exit()"),
    case("config", "config check --car {ws}/syntax", "syntax error"),
    case("config", "config check --car {ws}/wrongtype", "BATCH_SIZE must be int"),
    case("config", "config check --car {ws}/raises", "KeyError: 'BURRO_TEST_UNSET_VAR'"),
    case("config", "config check --car {ws}/unreadable", "cannot read config file"),
    case("config", "config check --set nonsense", "bad --set value"),
    case("config", "config check --set BATCH_SIZE=-4", "BATCH_SIZE must be int >= 1"),
    case("config", "config show NO_SUCH_KEY", "unknown config key"),
    # models
    case("models", "models nonsense", "invalid choice: 'nonsense'"),
    case("models", "models ls --car {ws}/db", "cannot read the model database"),
    case("models", "models ls --car {ws}/dblist", "the model database is not a JSON list"),
    # train: what is checked before TensorFlow loads
    case("train", "train", "the following arguments are required: --tub"),
    case("train", "train --tub {ws}/missing", "not found"),
    case("train", "train --tub {tub} --type nonsense", "unknown model type 'nonsense'"),
    case("train", "train --tub {tub} --set DEFAULT_AI_FRAMEWORK='pytorch'",
         "framework 'pytorch' is not supported"),
    case("train", "train --tub {tub} --framework pytorch", "invalid choice: 'pytorch'"),
    case("train", "train --tub {tub} --set AUGMENTATIONS=['HUE_SATURATION'] --set IMAGE_DEPTH=1",
         "HUE_SATURATION needs colour frames"),
    case("train", "train --tub {tub} --set AUGMENTATIONS=['SPARKLE']", "unknown augmentation"),
    case("train", "train --tub {tub} --set TRANSFORMATIONS=['NOPE']", "unknown transformation"),
    case("train", "train --tub {tub} --transfer {ws}/corruptkeras.keras",
         "cannot transfer from this file"),
    case("train", "train --tub {tub} --model {ws}/pilot.txt", ".keras or .h5"),
    case("train", "train --tub {tub} --set TRAIN_TEST_SPLIT=0.9999", "TRAIN_TEST_SPLIT"),
    # tub
    case("tub", "tub check", "the following arguments are required"),
    case("tub", "tub info {ws}/missing", "not found"),
    case("tub", "tub ls {tub} --limit many", "argument --limit"),
    case("tub", "tub rm {tub} --range 5", "--range"),
    case("tub", "tub rm {tub} --index 99999", "99999"),
    case("tub", "tub convert {tub} {ws}/converted", "v2 tub"),
    case("tub", "tub rm {tub} --last -5", "argument --last: expected int >= 1"),
    case("tub", "tub rm {tub} --range 5:2", "--range"),
    case("tub", "tub ls {tub} --limit -1", "argument --limit: expected int"),
    case("tub", "tub hist {tub} --out {ws}/hist.xyz", "cannot write a plot named hist.xyz"),
    case("tub", "tub hist {tub} --out {ws}/missing/hist.png", "folder does not exist"),
]


def test_the_table_covers_enough_error_classes():
    fast = [c for c in CASES if not c.slow]
    assert len({c.phrase for c in fast}) >= 25
    assert {c.area for c in CASES} >= {"tub", "train", "models", "sim", "config"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("errors")
    for name, content in WORKSPACE_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    shutil.copytree(SHARED_TUB, folder / "tub", copy_function=shutil.copyfile)
    return folder


def run_case(c: Case, workspace: Path) -> subprocess.CompletedProcess:
    args = [arg.format(ws=workspace, tub=workspace / "tub") for arg in c.args]
    return subprocess.run([sys.executable, "-m", "burro", *args], capture_output=True,
                          text=True, cwd=workspace, timeout=120)


@pytest.fixture(scope="module")
def results(workspace) -> dict[Case, subprocess.CompletedProcess]:
    """The fast cases, run side by side (each is a fresh Python process)."""
    fast = [c for c in CASES if not c.slow]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(fast, pool.map(lambda c: run_case(c, workspace), fast)))


def assert_one_line_error(c: Case, result: subprocess.CompletedProcess) -> None:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"{' '.join(c.args)}: stderr is not one line:\n{result.stderr}"
    assert lines[0].startswith("burro: error: "), lines[0]
    assert c.phrase in lines[0], lines[0]
    assert result.returncode == EXIT_USER_ERROR, (result.returncode, lines[0])


@pytest.mark.parametrize("c", [c for c in CASES if not c.slow],
                         ids=lambda c: f"{c.area}: {' '.join(c.args)}")
def test_user_error_is_one_line_and_exit_2(c, results):
    assert_one_line_error(c, results[c])


@pytest.mark.slow
@pytest.mark.parametrize("c", [c for c in CASES if c.slow],
                         ids=lambda c: f"{c.area}: {' '.join(c.args)}")
def test_user_error_after_tensorflow_loads_is_one_line(c, workspace):
    assert_one_line_error(c, run_case(c, workspace))


BROKEN_COMMAND = """
import sys
import burro.cli.cmd_config as cmd
def broken(args):
    raise RuntimeError("first line of the message\\nsecond line, for --debug only")
cmd.check_config = broken
from burro.cli.main import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_internal_error_is_its_first_line_and_debug_gives_the_rest(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-c", BROKEN_COMMAND, *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)

    plain = run("config", "check")
    assert plain.returncode == 1
    assert plain.stderr.splitlines() == [
        "burro: internal error: RuntimeError: first line of the message — rerun with --debug "
        "for the details and report it"]
    debug = run("config", "check", "--debug")
    assert "Traceback" in debug.stderr and "second line, for --debug only" in debug.stderr


def test_multi_line_library_text_in_a_user_error_stays_one_line():
    from burro.errors import BurroError, first_line

    error = BurroError("cannot open the pilot (bad\nfile)", "a\nb.tflite", "re-export\n it")
    assert error.line() == "cannot open the pilot (bad file) (a b.tflite) — re-export it"
    assert first_line("in user code:\n\n  File x\n  ValueError: grey frames") == (
        "in user code: … ValueError: grey frames")
