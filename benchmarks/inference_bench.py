"""Single-frame pilot latency per file format (what the car pays per drive-loop tick).

Builds a `linear` pilot (architecture as trained; weights do not change the cost), exports
it to .keras/.tflite/.onnx, and times `pilot.run(frame)` on real tub frames for each
runtime variant. Variants are measured round-robin in one run, so machine noise hits all
of them alike. Prints a markdown table.

    .venv/bin/python benchmarks/inference_bench.py [--calls 2000] [--type linear]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from burro.config import default_config
from burro.models import get_model_type
from burro.models.export import export_onnx, export_tflite, save_keras_model
from burro.models.metadata import model_metadata, write_metadata
from burro.pilots import load

TUB = Path(__file__).resolve().parents[2] / "shared" / "data" / "donkey-test-tub"

# name -> (suffix, runtime options)
VARIANTS = {
    "keras (tf.function)": (".keras", {}),
    "tflite, burro default threads (min(4, CPUs))": (".tflite", {}),
    "tflite, num_threads=1": (".tflite", {"num_threads": 1}),
    "tflite int8-quantised, burro default threads": ("_int8.tflite", {}),
    "tflite int8-quantised, num_threads=1": ("_int8.tflite", {"num_threads": 1}),
    "onnx, burro default (min(4, CPUs) threads, no spinning)": (".onnx", {}),
    "onnx, same with thread spinning (ort default)": (".onnx", {"spin": True}),
    "onnx, intra_op_threads=1": (".onnx", {"num_threads": 1}),
}


def read_frames(tub: Path, count: int) -> np.ndarray:
    with open(tub / "catalog_0.catalog", encoding="utf-8") as catalog:
        names = [json.loads(line)["cam/image_array"] for _, line in zip(range(count), catalog)]
    return np.stack([np.asarray(Image.open(tub / "images" / name)) for name in names])


def export_all(model_type: str, folder: Path, transformations: list[str],
               frames: np.ndarray) -> Path:
    cfg = default_config()
    cfg.TRANSFORMATIONS = transformations
    model = get_model_type(model_type).build(cfg)
    stem = folder / model_type
    save_keras_model(model, stem.with_suffix(".keras"))
    export_tflite(model, stem.with_suffix(".tflite"))
    export_onnx(model, stem.with_suffix(".onnx"))
    int8 = folder / f"{model_type}_int8.tflite"
    export_tflite(model, int8, quantize="int8", representative=frames.astype(np.float32))
    for path in (stem.with_suffix(".keras"), int8):
        write_metadata(path, model_metadata(model_type, cfg))
    return stem


def time_round_robin(pilots: dict, frames: np.ndarray, calls: int, block: int = 50) -> dict:
    """Per-call seconds per variant, measured in interleaved blocks of `block` calls."""
    samples: dict[str, list[float]] = {name: [] for name in pilots}
    for pilot in pilots.values():  # warm-up: first calls allocate and trace
        for frame in frames[:20]:
            pilot.run(frame)
    done = 0
    while done < calls:
        for name, pilot in pilots.items():
            for i in range(done, done + block):
                frame = frames[i % len(frames)]
                start = time.perf_counter()
                pilot.run(frame)
                samples[name].append(time.perf_counter() - start)
        done += block
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per variant")
    parser.add_argument("--type", default="linear", help="model type to time")
    parser.add_argument("--crop", action="store_true", help="add a CROP layer to the model")
    parser.add_argument("--tub", type=Path, default=TUB, help="tub whose frames are fed")
    args = parser.parse_args()

    frames = read_frames(args.tub, 200)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        stem = export_all(args.type, Path(folder), ["CROP"] if args.crop else [], frames[:100])
        pilots = {name: load(f"{stem}{suffix}", **options)
                  for name, (suffix, options) in VARIANTS.items()}
        samples = time_round_robin(pilots, frames, args.calls)
    print(f"\n`{args.type}`{' + CROP' if args.crop else ''}, {args.calls} single-frame "
          f"`pilot.run()` calls per variant (120x160x3 uint8 in, angle/throttle out); "
          f"{os.cpu_count()} CPUs, 1-min load average {load_before:.1f} before / "
          f"{os.getloadavg()[0]:.1f} after\n")
    print("| runtime | median ms | p95 ms | mean ms |")
    print("|---|---|---|---|")
    for name, values in samples.items():
        ms = np.array(values) * 1000
        print(f"| {name} | {np.median(ms):.3f} | {np.percentile(ms, 95):.3f} | {ms.mean():.3f} |")


if __name__ == "__main__":
    main()
