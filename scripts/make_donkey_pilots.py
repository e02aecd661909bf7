"""Make small pilot files with a real Donkey Car install, and Donkey's own predictions for them.

    python scripts/make_donkey_pilots.py --version 5.3.0 [--venv DIR] [--out DIR]
    python scripts/make_donkey_pilots.py --version 5.4.0 --python ~/.pyenv/versions/3.12.1/bin/python

tests/data/donkey/ was made with (--keep: the committed files, < 4 MB together):
    python scripts/make_donkey_pilots.py --version 5.3.0 --venv /tmp/burro-donkey-bench/venv \
        --keep linear.h5,linear.tflite
    python scripts/make_donkey_pilots.py --version 5.4.0 --venv /tmp/burro-donkey54/venv \
        --keep linear.tflite,categorical.tflite,categorical.keras

Donkey is installed into a venv under /tmp on the first run (5.3.0 needs Python 3.11, 5.4.0
Python 3.12); nothing of it enters this repository. In a car made by `donkey createcar`, with
`IMAGE_W = IMAGE_H = 80` (Donkey's networks accept it; at 160x120 the files are 3-10 MB each)
and `MAX_EPOCHS = 1`, `donkey train` trains linear, categorical and inferred pilots on a copy of
the shared tub and writes `.h5` + `.tflite` (`.keras` too for 5.4.0). The .h5/.keras files are
then saved again by Donkey's Keras without the optimizer state (a third of the size, same model).
Finally, in Donkey's venv, `donkeycar.utils.load_image` reads a few tub frames and each pilot,
loaded the way `manage.py drive --type T` does (`get_model_by_type(T, cfg).load(path)`),
predicts them with `pilot.run(frame)`. `--out` gets the pilot files, `frames.npz` (the frames
as Donkey gave them to its pilot) and `expected.json` (Donkey's (angle, throttle) per frame).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TUB = next((folder / "shared" / "data" / "donkey-test-tub" for folder in REPO.parents
                    if (folder / "shared" / "data" / "donkey-test-tub").is_dir()), None)
TYPES = ("linear", "categorical", "inferred")
FRAMES = 4
MYCONFIG = """
IMAGE_W = 80
IMAGE_H = 80
MAX_EPOCHS = 1
SHOW_PLOT = False
CREATE_TF_LITE = True
BATCH_SIZE = 64
"""


def run(command: list[str], **kwargs) -> None:
    print("$", " ".join(map(str, command)), flush=True)
    subprocess.run(command, check=True, **kwargs)


def install(venv: Path, python: str, version: str) -> None:
    if (venv / "bin" / "donkey").exists():
        return
    run([python, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "pip"), "install", "-q", f"donkeycar[pc]=={version}"])


def make(args: argparse.Namespace) -> None:
    work = Path(f"/tmp/burro-donkey-pilots-{args.version}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    install(args.venv, args.python, args.version)
    donkey = str(args.venv / "bin" / "donkey")
    car = work / "car"
    run([donkey, "createcar", "--path", str(car)])
    with open(car / "myconfig.py", "a", encoding="utf-8") as myconfig:
        myconfig.write(MYCONFIG)
    tub = work / "tub"
    shutil.copytree(args.tub, tub)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    for model_type in TYPES:
        run([donkey, "train", "--tub", str(tub), "--model", f"models/{model_type}.h5",
             "--type", model_type], cwd=car, env=env)
    run([str(args.venv / "bin" / "python"), "-P", __file__, "predict", "--car", str(car),
         "--tub", str(tub), "--out", str(args.out), "--version", args.version,
         "--keep", ",".join(args.keep)], env=env)


def predict(args: argparse.Namespace) -> None:
    """Runs inside Donkey's venv: re-save without optimizer, load as Donkey drives, predict."""
    import numpy as np
    from donkeycar.config import load_config
    from donkeycar.utils import get_model_by_type, load_image
    from tensorflow import keras

    cfg = load_config(str(args.car / "config.py"))
    models = args.car / "models"
    files = {}
    for model_type in TYPES:
        h5 = models / f"{model_type}.h5"
        model = keras.models.load_model(h5, compile=False)
        model.save(h5, include_optimizer=False)
        files[h5] = model_type
        if args.version >= "5.4":
            model.save(models / f"{model_type}.keras", include_optimizer=False)
            files[models / f"{model_type}.keras"] = model_type
        files[models / f"{model_type}.tflite"] = f"tflite_{model_type}"
    with open(args.tub / "catalog_0.catalog", encoding="utf-8") as catalog:
        names = [json.loads(next(catalog))["cam/image_array"] for _ in range(FRAMES)]
    frames = np.stack([load_image(str(args.tub / "images" / name), cfg) for name in names])
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "frames.npz", frames=frames)
    expected = {"donkeycar": args.version, "image": [cfg.IMAGE_H, cfg.IMAGE_W, cfg.IMAGE_DEPTH],
                "MODEL_CATEGORICAL_MAX_THROTTLE_RANGE": cfg.MODEL_CATEGORICAL_MAX_THROTTLE_RANGE,
                "pilots": {}}
    for path, type_name in files.items():
        if args.keep and path.name not in args.keep:
            continue
        pilot = get_model_by_type(type_name, cfg)
        pilot.load(str(path))
        outputs = [[float(value) for value in pilot.run(frame)] for frame in frames]
        expected["pilots"][path.name] = {"type": type_name, "angle_throttle": outputs}
        shutil.copy(path, args.out / path.name)
    (args.out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(json.dumps(expected, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", nargs="?", default="make", choices=("make", "predict"))
    parser.add_argument("--version", default="5.3.0")
    parser.add_argument("--venv", type=Path)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--tub", type=Path, default=DEFAULT_TUB)
    parser.add_argument("--car", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", type=lambda names: [name for name in names.split(",") if name], default=[],
                        help="only these pilot files, e.g. linear.h5,linear.tflite (default: all)")
    args = parser.parse_args()
    args.venv = args.venv or Path(f"/tmp/burro-donkey-{args.version}/venv")
    args.out = (args.out or REPO / "tests" / "data" / "donkey" / args.version).resolve()
    make(args) if args.mode == "make" else predict(args)


if __name__ == "__main__":
    main()
