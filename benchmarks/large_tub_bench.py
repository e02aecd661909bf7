"""Where training time goes on a large tub, and burro against Donkey 5.3.0 on it, interleaved.

    .venv/bin/python benchmarks/large_tub_bench.py [--records 12000] [--epochs 3] [--rounds 2]
        [--batch-size 128] [--work /tmp/burro-large-tub] [--skip-stages] [--skip-donkey]

1. Tub: `burro sim record` on the technical circuit, three sessions (seeds 1, 2, 3) of
   --records / 3 each, made once under --work (never in the repository).
2. Stages, in this process: record collection, the decode pass for each CACHE_POLICY, the
   split, one training epoch through the tf.data pipeline alone (no model) with the shuffle
   buffer burro uses and smaller ones, one validation pass, and then the model: training
   steps on one fixed in-RAM batch (the compute floor, no pipeline) against `fit` through the
   pipeline for the same number of steps.
3. Training side by side: `donkey train` (its venv under /tmp/burro-donkey-bench, made by
   donkey_side_by_side.py's installer) and `burro train`, alternating D, B, D, B ... for
   --rounds rounds, `linear`, --batch-size, --epochs epochs, 80/20 random record split for
   both. Per epoch after the first: wall time between epoch-end lines, the tool's own CPU time
   (sampled from /proc/<pid>/stat at each epoch-end line), and what the rest of the machine
   used meanwhile (/proc/stat busy minus the tool's), because the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import donkey_side_by_side as side_by_side  # noqa: E402  (its Donkey venv installer)

REPO = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
FLOAT = r"([0-9.]+(?:e[-+]?\d+)?)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--work", default="/tmp/burro-large-tub")
    parser.add_argument("--donkey-work", default="/tmp/burro-donkey-bench")
    parser.add_argument("--skip-stages", action="store_true")
    parser.add_argument("--skip-donkey", action="store_true")
    args = parser.parse_args()
    tub = _sim_tub(Path(args.work), args.records)
    print(f"tub {tub}; load average at start {os.getloadavg()[0]:.2f} "
          f"(2 cores shared with other work)")
    if not args.skip_stages:
        _stages(tub, args.batch_size)
    if not args.skip_donkey:
        _side_by_side(tub, Path(args.work), Path(args.donkey_work), args)
    print(f"\nload average at end {os.getloadavg()[0]:.2f}")
    return 0


# ----- 1. the tub ---------------------------------------------------------------------------

def _sim_tub(work: Path, records: int) -> Path:
    from burro.tub import open_tubs

    tub = work / f"sim{records}"
    if tub.exists() and len(open_tubs(tub)[0]) >= records:
        return tub
    laps = max(1, round(records / 3 / 207))  # ~207 records per lap of `technical`
    for seed in (1, 2, 3):
        subprocess.run([sys.executable, "-m", "burro", "sim", "record", "-q", "--track",
                        "technical", "--laps", str(laps), "--seed", str(seed),
                        "--tub", str(tub)], check=True)
    return tub


# ----- 2. stages alone ----------------------------------------------------------------------

def _stages(tub: Path, batch_size: int) -> None:
    import burro.training  # noqa: F401  (TensorFlow defaults before TensorFlow loads)
    from burro.config import default_config
    from burro.models import get_model_type
    from burro.training.records import collect_records
    from burro.training.split import split_records
    from burro.tub import open_tubs

    rows: list[tuple[str, float, str]] = []
    linear = get_model_type("linear")
    started = time.perf_counter()
    records = collect_records(open_tubs(tub), linear.record_keys)
    count = len(records)
    rows.append(("collect the records (read the catalogs)", time.perf_counter() - started, ""))
    started = time.perf_counter()
    split = split_records(records.groups, 0.8, "session")
    rows.append((f"split ({split.method})", time.perf_counter() - started, ""))
    import tensorflow as tf  # noqa: F401  (import time kept out of the decode figure)

    from burro.training import pipeline

    frames = {}
    for policy in pipeline.CACHE_POLICIES:
        started = time.perf_counter()
        frames[policy], _ = pipeline.decode_frames(records.image_paths, 120, 160, 3,
                                                   policy=policy)
        seconds = time.perf_counter() - started
        rows.append((f"decode pass, CACHE_POLICY {policy}", seconds,
                     f"{count / seconds:,.0f} images/s"))
    started = time.perf_counter()
    _old_array_pass(records.image_paths)
    seconds = time.perf_counter() - started
    rows.append(("decode pass, ARRAY the old way (fill a NumPy array, then tf.Variable of it)",
                 seconds, f"{count / seconds:,.0f} images/s"))
    cfg = default_config()
    targets = linear.targets(records.columns, cfg)
    train_rows, val_rows = split.train_rows, split.val_rows
    train_targets = {name: values[train_rows] for name, values in targets.items()}
    for policy in pipeline.CACHE_POLICIES:
        for buffer in (None, 1024, 0):
            if buffer is not None and policy != "ARRAY":
                continue
            dataset = pipeline.training_dataset(frames[policy], train_rows, train_targets,
                                                batch_size, seed=1, shuffle_buffer=buffer)
            seconds = _iterate(dataset)
            name = ("full shuffle (one permutation per epoch)" if buffer is None
                    else f"shuffle buffer {buffer}" if buffer else "no shuffle")
            rows.append((f"training epoch, pipeline alone, {policy}, {name}", seconds,
                         f"{len(train_rows) / seconds:,.0f} images/s"))
    val = pipeline.validation_dataset(frames["ARRAY"], val_rows,
                                      {n: v[val_rows] for n, v in targets.items()}, batch_size)
    seconds = _iterate(val)
    rows.append(("validation pass, pipeline alone, ARRAY", seconds,
                 f"{len(val_rows) / seconds:,.0f} images/s"))
    rows += _model_rows(linear, cfg, frames["ARRAY"], train_rows, train_targets, batch_size)
    print(f"\n### Stages on {count} records, batch {batch_size}\n")
    print("| stage | seconds | rate |\n|---|---|---|")
    for name, seconds, rate in rows:
        print(f"| {name} | {seconds:.2f} | {rate} |")


def _old_array_pass(paths: list[str]) -> None:
    """The decode pass before issue 12: frames into NumPy, then one tf.Variable from it."""
    import numpy as np
    import tensorflow as tf

    from burro.training.pipeline import DECODE_BATCH, _decode_bytes

    frames = np.empty((len(paths), 120, 160, 3), np.uint8)
    decoded = (tf.data.Dataset.from_tensor_slices((np.arange(len(paths)), paths))
               .map(lambda row, path: (row, _decode_bytes(tf.io.read_file(path), 120, 160, 3)),
                    num_parallel_calls=tf.data.AUTOTUNE, deterministic=False)
               .batch(DECODE_BATCH).prefetch(2))
    for rows, images in decoded:
        frames[rows.numpy()] = images.numpy()
    tf.Variable(frames, trainable=False)


def _iterate(dataset) -> float:
    started = time.perf_counter()
    for _ in dataset:
        pass
    return time.perf_counter() - started


def _model_rows(linear, cfg, frames, train_rows, train_targets, batch_size, steps=30):
    """Compute floor (one fixed batch, no pipeline) against fit through the pipeline."""
    import keras

    from burro.training.pipeline import training_dataset

    keras.utils.set_random_seed(1)
    model = linear.build(cfg)
    linear.compile(model, cfg)
    dataset = training_dataset(frames, train_rows, train_targets, batch_size, seed=1)
    x, y = next(iter(dataset))
    model.train_on_batch(x, y)  # build the step function
    started = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(x, y)
    fixed = time.perf_counter() - started
    model.fit(dataset, epochs=1, steps_per_epoch=3, verbose=0)  # build fit's step function
    started = time.perf_counter()
    model.fit(dataset.repeat(), epochs=1, steps_per_epoch=steps, verbose=0)
    piped = time.perf_counter() - started
    images = steps * batch_size
    return [(f"{steps} training steps on one fixed batch (no pipeline)", fixed,
             f"{images / fixed:,.0f} images/s"),
            (f"{steps} training steps, fit through the pipeline", piped,
             f"{images / piped:,.0f} images/s")]


# ----- 3. side by side ----------------------------------------------------------------------

@dataclass
class Epochs:
    tool: str
    ends: list[tuple[float, float, float]] = field(default_factory=list)  # wall, own, machine
    images_per_epoch: int = 0

    def steady(self) -> tuple[float, float, float]:
        """Median epoch wall s, own CPU s and the rest of the machine's CPU s, epochs 2+."""
        spans = [(b[0] - a[0], b[1] - a[1], (b[2] - a[2]) - (b[1] - a[1]))
                 for a, b in zip(self.ends, self.ends[1:])]
        return tuple(statistics.median(column) for column in zip(*spans))


def _side_by_side(tub: Path, work: Path, donkey_work: Path, args) -> None:
    python = side_by_side._donkey_venv(donkey_work)
    car = side_by_side._donkey_car(donkey_work, python)
    runs: list[Epochs] = []
    for _ in range(args.rounds):
        runs.append(_donkey(car, tub, args.batch_size, args.epochs))
        runs.append(_burro(work, tub, args.batch_size, args.epochs))
    print(f"\n### Training `linear`, {args.epochs} epochs, batch {args.batch_size}, "
          "runs interleaved in this order\n")
    print("| run | median epoch s (2nd on) | images/s | own CPU ms per image | cores used "
          "by the tool | cores used by others meanwhile |\n|---|---|---|---|---|---|")
    rates: dict[str, list[float]] = {}
    for run in runs:
        wall, own, others = run.steady()
        rate = run.images_per_epoch / wall
        rates.setdefault(run.tool, []).append(rate)
        print(f"| {run.tool} | {wall:.2f} | {rate:.0f} | "
              f"{1000 * own / run.images_per_epoch:.2f} | {own / wall:.2f} | "
              f"{others / wall:.2f} |")
    donkey, burro = (statistics.median(rates[tool]) for tool in ("Donkey 5.3.0", "burro"))
    print(f"\nimages/s, median of the runs: Donkey {donkey:.0f}, burro {burro:.0f}, "
          f"ratio burro / Donkey {burro / donkey:.2f}")


def _cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _machine_busy_seconds() -> float:
    with open("/proc/stat") as stat:
        user, nice, system, idle, iowait, irq, softirq, steal = map(
            int, stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq) / TICKS


def _epoch_ends(command: list[str], cwd: Path, is_epoch_end, env=None) -> list[str]:
    """Run `command`; returns its output lines, and (wall, own CPU, machine busy) per epoch end."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    lines, ends, buffer = [], [], b""
    while chunk := process.stdout.read1(65536):
        buffer += chunk
        *complete, buffer = re.split(rb"[\r\n]", buffer)
        for line in (raw.decode(errors="replace") for raw in complete if raw.strip()):
            lines.append(line)
            if is_epoch_end(line):
                ends.append((time.perf_counter() - started, _cpu_seconds(process.pid),
                             _machine_busy_seconds()))
    if process.wait() != 0:
        raise SystemExit(f"{command[0]} failed:\n" + "\n".join(lines[-20:]))
    return lines, ends


def _donkey(car: Path, tub: Path, batch_size: int, epochs: int) -> Epochs:
    (car / "myconfig.py").write_text(f"VERBOSE_TRAIN = 2\nBATCH_SIZE = {batch_size}\n"
                                     f"MAX_EPOCHS = {epochs}\nCREATE_TF_LITE = False\n")
    model = car / "models" / "large_tub.h5"
    lines, ends = _epoch_ends(
        [str(car.parent / "venv" / "bin" / "donkey"), "train", "--tub", str(tub), "--model",
         str(model), "--type", "linear"], car,
        lambda line: re.search(r"val_loss: " + FLOAT, line) is not None,
        {"TF_CPP_MIN_LOG_LEVEL": "2"})
    run = Epochs("Donkey 5.3.0", ends)
    steps = next(int(m.group(1)) for line in lines if (m := re.match(r"\s*(\d+)/\1\b", line)))
    run.images_per_epoch = steps * batch_size + side_by_side._donkey_val_images(tub, batch_size)
    return run


def _burro(work: Path, tub: Path, batch_size: int, epochs: int) -> Epochs:
    model = work / "models" / "large_tub.keras"
    _, ends = _epoch_ends(
        [sys.executable, "-m", "burro", "train", "-v", "--tub", str(tub), "--model", str(model),
         "--type", "linear", "--split", "random", "--car", str(work),
         "--set", "VERBOSE_TRAIN=False", "--set", f"BATCH_SIZE={batch_size}",
         "--set", f"MAX_EPOCHS={epochs}", "--set", "PRINT_MODEL_SUMMARY=False",
         "--set", "CREATE_TF_LITE=False", "--set", "CREATE_ONNX=False",
         "--set", "SHOW_PLOT=False"], REPO,
        lambda line: re.match(r"epoch \d+: " + FLOAT + " s", line) is not None)
    run = Epochs("burro", ends)
    records = json.loads(model.with_suffix(".json").read_text())["training"]["records"]
    run.images_per_epoch = records["train"] + records["validation"]
    return run


if __name__ == "__main__":
    sys.exit(main())
