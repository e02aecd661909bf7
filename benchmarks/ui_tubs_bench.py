"""The Tub Manager in Chromium on a 20,000-record tub: open, scrubbing, stepping, playback.

Makes the tub under /tmp (the real tub's records and images, copied and renumbered; not in
the repository), runs a real `burro ui` and drives Debian's chromium with Playwright. Prints
a Markdown table.

    .venv/bin/python benchmarks/ui_tubs_bench.py [--records 20000] [--dir /tmp/burro-ui-bench]

- open: from choosing the tub to its first frame painted and its plots drawn, in the page
  (`cold`: the server reads the tub's catalogs again, `warm`: already read).
- scrub: the slider dragged over the whole tub, one input event per animation frame; for each
  input, the time until a frame at least that new is on the canvas (frames passed over are
  never waited for).
- step: → pressed 200 times, 30 ms apart: key press to the new frame painted.
- play: frames painted per second while playing at 1× and 2× the recording rate (20 Hz).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bigtub import make_big_tub  # noqa: E402
from tests.conftest import SHARED_TUB as REAL_TUB  # noqa: E402  (shared/ beside the repository)

from burro.ui.tubs.loaded import RECHECK_S  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

SCRUB = """async (events) => {
  const slider = document.querySelector('#tubs_slider');
  const debug = window.tubsDebug;
  const count = debug.state.data.count;
  const inputs = [];
  const start = debug.painted.length;
  for (let k = 0; k < events; k++) {
    await new Promise(requestAnimationFrame);
    const position = Math.round((k + 1) * (count - 1) / events);
    slider.value = String(position);
    inputs.push({ position, t: performance.now() });
    slider.dispatchEvent(new Event('input'));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const paints = debug.painted.slice(start);
  return inputs.map((input) => {
    const paint = paints.find((p) => p.t >= input.t && p.position >= input.position);
    return paint ? paint.t - input.t : null;
  });
}"""

STEP = """async (presses) => {
  const debug = window.tubsDebug;
  const latencies = [];
  for (let k = 0; k < presses; k++) {
    const before = debug.painted.length;
    const t = performance.now();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    const limit = t + 2000;
    while (debug.painted.length === before && performance.now() < limit) {
      await new Promise((r) => setTimeout(r, 1));
    }
    latencies.push(debug.painted[debug.painted.length - 1].t - t);
    await new Promise((r) => setTimeout(r, 30));
  }
  return latencies;
}"""

PLAY = """async ([speed, seconds]) => {
  const debug = window.tubsDebug;
  document.querySelector('#tubs_speed').value = String(speed);
  const start = debug.painted.length;
  const t0 = performance.now();
  document.querySelector('#tubs_play').click();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  document.querySelector('#tubs_pause').click();
  const paints = debug.painted.slice(start);
  const elapsed = (performance.now() - t0) / 1000;
  const positions = new Set(paints.map((p) => p.position));
  let worst = 0;
  for (let i = 1; i < paints.length; i++) worst = Math.max(worst, paints[i].t - paints[i - 1].t);
  return { fps: positions.size / elapsed, worst_gap_ms: worst };
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def start_ui(car: Path, tub: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "burro", "ui", "--no-browser", "--port", "0", "--car",
               str(car), "--tub", str(tub), "--root", str(car)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = re.search(r"(http://\S+)", process.stdout.readline())[1]
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    return process, url


def open_once(page, url: str, tub: Path, cold: bool) -> float:
    if cold:
        os.utime(tub / "manifest.json")  # the server reads the catalogs again ...
        time.sleep(RECHECK_S + 0.1)  # ... once it looks at the files again
    page.goto("about:blank")
    page.goto(url + "#tubs")
    page.wait_for_function("window.tubsDebug && window.tubsDebug.openedMs !== undefined",
                           timeout=30000)
    page.wait_for_function("window.tubsDebug.painted.length > 0", timeout=30000)
    return page.evaluate("window.tubsDebug.openedMs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/burro-ui-bench"))
    args = parser.parse_args()
    car = args.dir / "car"
    if not (car / "config.py").is_file():
        subprocess.run([sys.executable, "-m", "burro", "createcar", "--path", str(car)],
                       check=True, capture_output=True)
    tub = make_big_tub(REAL_TUB, car / "data" / f"tub_{args.records}", args.records)
    process, url = start_ui(car, tub)
    rows = []
    try:
        started = time.perf_counter()
        raw = urllib.request.urlopen(f"{url.rstrip('/')}/api/tubs/data?tub={tub}").read()
        rows.append(("data answer (server, cold)", f"{(time.perf_counter() - started) * 1000:.0f} ms",
                     f"{len(raw) / 1e6:.2f} MB JSON, {json.loads(raw)['count']:,} records"))
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            cold = [open_once(page, url, tub, True) for _ in range(5)]
            warm = [open_once(page, url, tub, False) for _ in range(5)]
            print("opened", file=sys.stderr)
            rows.append(("open (cold)", f"{statistics.median(cold):.0f} ms median",
                         f"max {max(cold):.0f} ms, 5 runs, goal < 1000 ms"))
            rows.append(("open (warm)", f"{statistics.median(warm):.0f} ms median",
                         f"max {max(warm):.0f} ms, 5 runs"))
            page.wait_for_function("!document.querySelector('#tubs_problems')"
                                   ".textContent.startsWith('checking')", timeout=60000)
            scrub = page.evaluate(SCRUB, 300)
            shown = [v for v in scrub if v is not None]
            rows.append(("scrub: input → new frame", f"{percentile(shown, 0.95):.1f} ms p95",
                         f"p50 {percentile(shown, 0.5):.1f} ms, {len(shown)}/{len(scrub)} "
                         "inputs, goal p95 < 50 ms"))
            step = page.evaluate(STEP, 200)
            rows.append(("step (→): key → new frame", f"{percentile(step, 0.95):.1f} ms p95",
                         f"p50 {percentile(step, 0.5):.1f} ms, 200 presses"))
            for speed in (1, 2):
                play = page.evaluate(PLAY, [speed, 5])
                rows.append((f"play {speed}× ({20 * speed} records/s)", f"{play['fps']:.1f} fps",
                             f"longest gap {play['worst_gap_ms']:.0f} ms, 5 s, goal 20 fps"))
            browser.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    print(f"Tub Manager on a {args.records:,}-record tub ({tub}), Chromium "
          f"{_chromium_version()}, {os.cpu_count()} CPUs\n")
    print("| measure | result | notes |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _chromium_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                              timeout=10).stdout.strip().split()[-1]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


if __name__ == "__main__":
    main()
