"""Training speed: the input pipeline alone on a 20k-record tub, and training `linear` per setting.

    .venv/bin/python benchmarks/train_bench.py [--records 20000] [--epochs 3] [--skip-pipeline]

1. Pipeline alone (no model): a generated tub of --records frames (the shared tub's images
   re-encoded with a varying brightness, made once under --work). Decoding pass, then epochs
   from the RAM cache with and without augmentations, and an epoch decoding from disk
   (--no-cache). This is what the model has to be fed: it must be far above the training rate.
2. Training `linear` on the shared tub (1000 records) through `burro.training.train`, one
   fresh process per setting because the TensorFlow switches only act at start-up:
   oneDNN on (burro's default) or off (TensorFlow's default on AMD CPUs), XLA jit_compile.
   Reported: images/s of a median epoch after the first (train + validation images) and CPU
   milliseconds per image, which holds up better than wall time when the cores are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_TUB = REPO.parent / "shared" / "data" / "donkey-test-tub"
AUGMENTATIONS = ["MULTIPLY", "BLUR", "BRIGHTNESS", "CONTRAST", "HUE_SATURATION", "NOISE",
                 "SHADOW"]
SETTINGS = {  # name: (environment, config overrides)
    "oneDNN on (default)": ({"TF_ENABLE_ONEDNN_OPTS": "1"}, {}),
    "oneDNN off": ({"TF_ENABLE_ONEDNN_OPTS": "0"}, {}),
    "oneDNN on + XLA jit_compile": ({"TF_ENABLE_ONEDNN_OPTS": "1"}, {"TRAIN_JIT_COMPILE": True}),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/burro-train-bench")
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--one-setting", help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.one_setting:
        print(json.dumps(_train_once(args.one_setting, args.epochs)))
        return 0
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores shared with other work)")
    if not args.skip_pipeline:
        _pipeline_table(_generated_tub(Path(args.work), args.records))
    _training_table(args.epochs)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


# ----- 1. the pipeline alone ----------------------------------------------------------------

def _generated_tub(work: Path, records: int) -> Path:
    import numpy as np

    from burro.tub import Tub, open_tubs

    path = work / f"tub{records}"
    if path.exists() and len(open_tubs(path)[0]) == records:
        return path
    sources = [record.image("cam/image_array") for record in open_tubs(SHARED_TUB)[0]]
    rng = np.random.default_rng(0)
    inputs = ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
    types = ["image_array", "float", "float", "str"]
    started = time.perf_counter()
    with Tub(path, inputs, types) as tub:
        for index in range(records):
            image = np.clip(sources[index % len(sources)] * rng.uniform(0.8, 1.2), 0, 255)
            tub.write_record({"cam/image_array": image.astype(np.uint8),
                              "user/angle": float(rng.uniform(-1, 1)),
                              "user/throttle": float(rng.uniform(0, 1)), "user/mode": "user"})
    print(f"generated {path} ({records} records) in {time.perf_counter() - started:.0f} s")
    return path


def _pipeline_table(tub_path: Path) -> None:
    import numpy as np

    import burro.training  # noqa: F401  (TensorFlow defaults before TensorFlow loads)
    from burro.config import default_config
    from burro.training.augment import make_augmenter
    from burro.training.pipeline import Frames, decode_frames, training_dataset
    from burro.training.records import collect_records
    from burro.tub import open_tubs

    records = collect_records(open_tubs(tub_path), ["user/angle"])
    count = len(records)
    targets = {"angle": records.columns["user/angle"].astype("float32")}
    rows = np.arange(count)
    rows_out = []

    started = time.perf_counter()
    frames, _ = decode_frames(records.image_paths, 120, 160, 3)
    rows_out.append(("decode pass (read + decode every JPEG, fill the RAM cache)",
                     count / (time.perf_counter() - started)))
    cfg = default_config()
    cfg.AUGMENTATIONS = AUGMENTATIONS
    streamed = Frames(np.asarray(records.image_paths), None, 120, 160, 3)
    for name, source, augment in (
            ("epoch from the RAM cache, no augmentation", frames, None),
            ("epoch from the RAM cache, all 7 augmentations (p=0.5 each)", frames,
             make_augmenter(cfg)),
            ("epoch decoding from disk (--no-cache), no augmentation", streamed, None)):
        dataset = training_dataset(source, rows, targets, 128, seed=1, augment=augment)
        started = time.perf_counter()
        for _ in dataset:
            pass
        rows_out.append((name, count / (time.perf_counter() - started)))
    print(f"\n### Pipeline alone, {count} records, batch 128\n")
    print("| stage | images/s |\n|---|---|")
    for name, rate in rows_out:
        print(f"| {name} | {rate:,.0f} |")


# ----- 2. training per setting --------------------------------------------------------------

def _training_table(epochs: int) -> None:
    print(f"\n### Training `linear` on the shared tub (1000 records, batch 128, {epochs} epochs)\n")
    print("| setting | images/s (median epoch) | CPU ms per image | first epoch s |")
    print("|---|---|---|---|")
    for name, (env, _) in SETTINGS.items():
        result = subprocess.run(
            [sys.executable, __file__, "--one-setting", name, "--epochs", str(epochs)],
            check=False, env={**os.environ, **env}, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"| {name} | failed: {result.stderr.strip().splitlines()[-1]} | | |")
            continue
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"| {name} | {figures['images_per_second']:.0f} | "
              f"{figures['cpu_ms_per_image']:.2f} | {figures['first_epoch']:.1f} |")


def _train_once(setting: str, epochs: int) -> dict[str, float]:
    from burro.config import default_config
    from burro.training import train

    cfg = default_config()
    for key, value in SETTINGS[setting][1].items():
        setattr(cfg, key, value)
    with tempfile.TemporaryDirectory() as car:
        cfg.CAR_PATH = car
        cfg.MAX_EPOCHS = epochs
        cfg.USE_EARLY_STOP = False
        cfg.VERBOSE_TRAIN = cfg.PRINT_MODEL_SUMMARY = cfg.SHOW_PLOT = False
        cfg.CREATE_TF_LITE = cfg.CREATE_ONNX = False
        cfg.TRAIN_SEED = 1
        before = resource.getrusage(resource.RUSAGE_SELF)
        result = train(cfg, str(SHARED_TUB), Path(car) / "bench.keras", "linear")
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    images = (result.train_records + result.val_records) * result.epochs
    return {"images_per_second": result.images_per_second,
            "cpu_ms_per_image": 1000 * cpu / images,
            "first_epoch": result.epoch_seconds[0]}


if __name__ == "__main__":
    sys.exit(main())
