"""Train `linear` with Donkey Car 5.3.0 and with burro on the same tub, one after the other.

    .venv/bin/python benchmarks/donkey_side_by_side.py [--tub PATH] [--work DIR]
        [--batch-sizes 128,32]

Donkey is installed into its own venv under --work (default /tmp/burro-donkey-bench; Python
3.11, `donkeycar[pc]==5.3.0`, which brings TensorFlow 2.15) on the first run; nothing of it
enters this repository. For each batch size, Donkey trains first, then burro, with the same
settings: Donkey's defaults (MAX_EPOCHS 100, early stopping patience 5 / min_delta 0.0005,
Adam 1e-3, 80/20 random record split: burro runs with --split random for this comparison)
and that BATCH_SIZE.
Prints a Markdown table: images/s (train + validation images through the model per second
of a median epoch after the first), CPU seconds per 1000 images, best val_loss, wall time,
and the time burro needs to reach Donkey's best val_loss.
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

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TUB = REPO.parent / "shared" / "data" / "donkey-test-tub"
DONKEY_PACKAGES = ["donkeycar[pc]==5.3.0", "opencv-python-headless<4.12", "pandas<3.1"]
FLOAT = r"([0-9.]+(?:e[-+]?\d+)?)"


@dataclass
class Run:
    tool: str
    wall: float = 0.0
    cpu: float = 0.0
    epoch_end: list[float] = field(default_factory=list)  # seconds since the command started
    epoch_seconds: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    images_per_epoch: int = 0
    log: str = ""

    @property
    def images_per_second(self) -> float:
        steady = self.epoch_seconds[1:] or self.epoch_seconds
        return self.images_per_epoch / statistics.median(steady)

    @property
    def cpu_per_1000_images(self) -> float:
        return 1000 * self.cpu / (self.images_per_epoch * len(self.val_loss))

    def time_to_reach(self, target: float) -> float | None:
        for end, loss in zip(self.epoch_end, self.val_loss):
            if loss <= target:
                return end
        return None


def main() -> int:
    args = _parse_args()
    work = Path(args.work)
    python = _donkey_venv(work)
    car = _donkey_car(work, python)
    tub = Path(args.tub).resolve()
    for batch_size in (int(size) for size in args.batch_sizes.split(",")):
        load_before = os.getloadavg()
        donkey = _run_donkey(car, tub, batch_size, args.max_epochs)
        burro = _run_burro(work, tub, batch_size, args.max_epochs)
        print(f"\n### BATCH_SIZE = {batch_size}\n")
        _print_table(donkey, burro, load_before, os.getloadavg())
    return 0


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tub", default=str(DEFAULT_TUB))
    parser.add_argument("--work", default="/tmp/burro-donkey-bench",
                        help="folder for Donkey's venv, car and both runs' models")
    parser.add_argument("--batch-sizes", default="128,32", help="comma list, one run each")
    parser.add_argument("--max-epochs", type=int, default=100, help="MAX_EPOCHS for both")
    return parser.parse_args()


def _donkey_venv(work: Path) -> Path:
    python = work / "venv" / "bin" / "python"
    if not (work / "venv" / "bin" / "donkey").exists():
        print(f"installing {DONKEY_PACKAGES[0]} into {work / 'venv'} (a few minutes) ...",
              file=sys.stderr)
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["python3.11", "-m", "venv", str(work / "venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *DONKEY_PACKAGES], check=True)
    return python


def _donkey_car(work: Path, python: Path) -> Path:
    car = work / "car"
    if not (car / "config.py").exists():
        subprocess.run([str(python.parent / "donkey"), "createcar", "--path", str(car)],
                       check=True, capture_output=True)
    return car


def _timed(command: list[str], cwd: Path, env: dict[str, str] | None = None
           ) -> tuple[list[tuple[float, str]], float, float]:
    """Run `command`; every output line with the seconds since start, wall and CPU seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    lines = []
    buffer = b""
    while chunk := process.stdout.read1(65536):
        buffer += chunk
        *complete, buffer = re.split(rb"[\r\n]", buffer)
        now = time.perf_counter() - started
        lines += [(now, line.decode(errors="replace")) for line in complete if line.strip()]
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        tail = "\n".join(line for _, line in lines[-20:])
        raise SystemExit(f"{command[0]} failed ({status}):\n{tail}")
    return lines, wall, usage.ru_utime + usage.ru_stime


def _run_donkey(car: Path, tub: Path, batch_size: int, max_epochs: int) -> Run:
    # One line per epoch (Keras verbose=2) so epochs can be timed; everything else default.
    (car / "myconfig.py").write_text(
        f"VERBOSE_TRAIN = 2\nBATCH_SIZE = {batch_size}\nMAX_EPOCHS = {max_epochs}\n")
    model = car / "models" / f"pilot_linear_{batch_size}.h5"
    lines, wall, cpu = _timed([str(car.parent / "venv" / "bin" / "donkey"), "train",
                               "--tub", str(tub), "--model", str(model), "--type", "linear"],
                              car, {"TF_CPP_MIN_LOG_LEVEL": "2"})
    run = Run("Donkey 5.3.0", wall, cpu, log="\n".join(line for _, line in lines))
    epoch_start = None
    for at, line in lines:
        if re.match(r"Epoch \d+/\d+", line):
            epoch_start = at
        found = re.search(r"val_loss: " + FLOAT, line)
        if found and epoch_start is not None:
            steps = re.match(r"\s*(\d+)/\1\b", line)
            run.epoch_end.append(at)
            run.epoch_seconds.append(at - epoch_start)
            run.val_loss.append(float(found.group(1)))
            if steps and not run.images_per_epoch:
                run.images_per_epoch = (int(steps.group(1)) * batch_size
                                        + _donkey_val_images(tub, batch_size))
    return run


def _donkey_val_images(tub: Path, batch_size: int) -> int:
    """Donkey's repeat().batch() pushes ceil(n_val / batch) full batches each validation."""
    from burro.tub import Tub

    records = len(Tub(tub))
    val = records - int(records * 0.8)
    return -(-val // batch_size) * batch_size


def _run_burro(work: Path, tub: Path, batch_size: int, max_epochs: int) -> Run:
    model = work / "burro-models" / f"pilot_linear_{batch_size}.keras"
    burro = str(Path(sys.executable).parent / "burro")
    lines, wall, cpu = _timed([burro, "train", "-v", "--tub", str(tub), "--model", str(model),
                               "--type", "linear", "--split", "random", "--car", str(work),
                               "--set", "MODELS_PATH='burro-models'",
                               "--set", "VERBOSE_TRAIN=False",
                               "--set", f"BATCH_SIZE={batch_size}",
                               "--set", f"MAX_EPOCHS={max_epochs}",
                               "--set", "PRINT_MODEL_SUMMARY=False"], REPO)
    run = Run("burro", wall, cpu, log="\n".join(line for _, line in lines))
    for at, line in lines:
        found = re.search(r"epoch \d+: " + FLOAT + r" s, loss " + FLOAT + r", val_loss " + FLOAT,
                          line)
        if found:
            run.epoch_end.append(at)
            run.epoch_seconds.append(float(found.group(1)))
            run.val_loss.append(float(found.group(3)))
    records = json.loads(model.with_suffix(".json").read_text())["training"]["records"]
    run.images_per_epoch = records["train"] + records["validation"]
    return run


def _print_table(donkey: Run, burro: Run, load_before, load_after) -> None:
    donkey_best = min(donkey.val_loss)
    reach = burro.time_to_reach(donkey_best)
    rows = [
        ("epochs run (early stopping)", len(donkey.val_loss), len(burro.val_loss)),
        ("images per epoch (train + val)", donkey.images_per_epoch, burro.images_per_epoch),
        ("median epoch after the first, s", f"{statistics.median(donkey.epoch_seconds[1:]):.2f}",
         f"{statistics.median(burro.epoch_seconds[1:]):.2f}"),
        ("**images/s**", f"{donkey.images_per_second:.0f}", f"{burro.images_per_second:.0f}"),
        ("CPU s per 1000 images (whole command)", f"{donkey.cpu_per_1000_images:.1f}",
         f"{burro.cpu_per_1000_images:.1f}"),
        ("best val_loss", f"{donkey_best:.4f}", f"{min(burro.val_loss):.4f}"),
        ("wall time, whole command, s", f"{donkey.wall:.1f}", f"{burro.wall:.1f}"),
        ("time to Donkey's best val_loss, s",
         f"{donkey.time_to_reach(donkey_best):.1f}",
         f"{reach:.1f}" if reach is not None else "not reached"),
    ]
    print("| | Donkey 5.3.0 (TF 2.15) | burro |\n|---|---|---|")
    for name, left, right in rows:
        print(f"| {name} | {left} | {right} |")
    print(f"\nimages/s ratio burro / Donkey: {burro.images_per_second / donkey.images_per_second:.2f}")
    if reach is not None:
        print(f"burro reached Donkey's best val_loss {donkey_best:.4f} after {reach:.1f} s "
              f"= {reach / donkey.wall:.2f} of Donkey's wall time")
    print(f"Donkey val_loss per epoch: {', '.join(f'{v:.4f}' for v in donkey.val_loss)}")
    print(f"burro val_loss per epoch: {', '.join(f'{v:.4f}' for v in burro.val_loss)}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          "(2 cores shared with other work)")


if __name__ == "__main__":
    sys.exit(main())
