"""Tub speed: recording with 160x120 JPEG frames, opening a 100,000-record tub, reading.

Pins the process to one CPU. Writers are timed round-robin in blocks so machine noise hits
them alike. Prints a Markdown table.

    .venv/bin/python benchmarks/tub_bench.py [--records 3000] [--big 100000] [--dir /dev/shm]

Writing creates one file per frame, so its rate depends on the file system as much as on the
CPU: `--dir /dev/shm` (tmpfs) shows the CPU cost alone.
"""

import argparse
import io
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

import burro.tub.recorder as tub_module
from burro.tub import Tub

REAL_TUB = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "donkey-test-tub"
INPUTS = ["cam/image_array", "user/angle", "user/throttle", "user/mode"]
TYPES = ["image_array", "float", "float", "str"]


def camera_frames() -> list[np.ndarray]:
    """Real 160x120 frames when the shared Donkey tub is there, smooth gradients otherwise."""
    if REAL_TUB.is_dir():
        return [rec.image("cam/image_array") for _, rec in zip(range(100), Tub(REAL_TUB))]
    y, x = np.mgrid[0:120, 0:160]
    return [np.stack([x + i, y, (x + y) // 2], -1).astype(np.uint8) for i in range(100)]


def record(frames, i: int) -> dict:
    return {"cam/image_array": frames[i % len(frames)], "user/angle": 0.1 * (i % 10),
            "user/throttle": 0.3, "user/mode": "user"}


def time_writers(folder: Path, frames, records: int, block: int = 250) -> dict[str, float]:
    """records/s of burro's writer and of the same writer rewriting both manifests after every
    record (Donkey's scheme), timed in alternating blocks."""
    variants = {"burro (manifests every 100 records or 1 s)": 100,
                "manifests rewritten every record (Donkey's scheme)": 1}
    tubs = {name: Tub(folder / f"w{n}", INPUTS, TYPES) for n, name in enumerate(variants)}
    seconds = dict.fromkeys(variants, 0.0)
    default = tub_module.FLUSH_EVERY_RECORDS
    for start in range(0, records, block):
        for name, flush_every in variants.items():
            tub_module.FLUSH_EVERY_RECORDS = flush_every
            began = time.perf_counter()
            for i in range(start, start + block):
                tubs[name].write_record(record(frames, i))
            seconds[name] += time.perf_counter() - began
    tub_module.FLUSH_EVERY_RECORDS = default
    for tub in tubs.values():
        tub.close()
    written = records // block * block
    return {name: written / spent for name, spent in seconds.items()}


def time_jpeg_only(frames, count: int = 1000) -> float:
    began = time.perf_counter()
    for i in range(count):
        Image.fromarray(frames[i % len(frames)]).save(io.BytesIO(), format="JPEG", quality=75)
    return count / (time.perf_counter() - began)


def write_big_tub(path: Path, count: int) -> None:
    """A big tub written by the real writer (frames left out: opening never reads images)."""
    with Tub(path, INPUTS, TYPES) as tub:
        for i in range(count):
            tub.write_record({"user/angle": 0.1 * (i % 10), "user/throttle": 0.3,
                              "user/mode": "user"})


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000, help="records per writer")
    parser.add_argument("--big", type=int, default=100_000, help="records of the big tub")
    parser.add_argument("--dir", default=None, help="where to write the tubs (default: temp)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    folder = Path(tempfile.mkdtemp(prefix="tub_bench_", dir=args.dir))
    rows = []
    try:
        frames = camera_frames()
        for name, rate in time_writers(folder, frames, args.records).items():
            rows.append((f"write, {name}", f"{rate:,.0f} records/s"))
        rows.append(("JPEG encode alone, into memory (PIL, quality 75)",
                     f"{time_jpeg_only(frames):,.0f} frames/s"))

        small = folder / "w0"
        read = best_of(3, lambda: sum(1 for _ in Tub(small)))
        rows.append((f"read {args.records} records, image files checked, no decode",
                     f"{args.records / read:,.0f} records/s"))
        decode = best_of(3, lambda: [r.image("cam/image_array") for r in Tub(small)])
        rows.append((f"read {args.records} records with image decode",
                     f"{args.records / decode:,.0f} records/s"))

        big = folder / "big"
        began = time.perf_counter()
        write_big_tub(big, args.big)
        rows.append((f"write {args.big:,} records without images",
                     f"{args.big / (time.perf_counter() - began):,.0f} records/s"))
        opened = [best_of(5, lambda: len(Tub(big)))]
        rows.append((f"open + index {args.big:,}-record tub", f"{opened[0] * 1000:.1f} ms"))
        for manifest in big.glob("*.catalog_manifest"):
            manifest.unlink()  # worst case: every catalog index lost, rebuilt from the files
        opened.append(best_of(5, lambda: len(Tub(big))))
        rows.append((f"open + index {args.big:,}-record tub, all catalog manifests lost",
                     f"{opened[1] * 1000:.1f} ms"))
        iterate = best_of(3, lambda: sum(1 for _ in Tub(big)))
        rows.append((f"iterate {args.big:,} records (parse + validate)",
                     f"{args.big / iterate:,.0f} records/s"))
    finally:
        shutil.rmtree(folder)
    print("| measurement | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(f"\n(tubs in {args.dir or tempfile.gettempdir()}; load average "
          f"{statistics.mean(os.getloadavg()):.1f} during the run)")


if __name__ == "__main__":
    main()
