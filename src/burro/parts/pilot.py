"""The pilot part: a trained pilot drives from each camera frame, and is reloaded when its
file is replaced while the car runs.

Inputs `cam/image_array`, `cam/frame_time`, `loop/time`, then the memory keys of the
pilot's extra inputs (`PilotPart.extra_inputs`, e.g. `behavior/one_hot_state_array` for a
behavior pilot); outputs `pilot/angle`, `pilot/throttle`, `pilot/frame_time` (the
`cam/frame_time` of the frame the output is for, so the fail-safe can tell a fresh output
from an old one). The template adds it with the run condition `run_pilot`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

from burro.errors import BurroError
from burro.models.metadata import metadata_path
from burro.parts import PARTS

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("burro.parts.pilot")

FileStamp = tuple[int, int, int] | None  # inode, mtime (ns), size; None: no such file
Signature = tuple[FileStamp, FileStamp]  # the model file and its <model>.json


def file_stamp(path: Path) -> FileStamp:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


def pilot_signature(path: Path) -> Signature:
    """Changes when the model file or its metadata is rewritten or replaced (rsync, mv)."""
    return file_stamp(path), file_stamp(metadata_path(path))


def open_pilot(path: Path, model_type: str | None, options: dict[str, Any], cfg: Any = None) -> Any:
    """Open the pilot (`--type` checked against a burro pilot's .json, or required for a
    Donkey-trained one, whose input size must match `cfg`) and run it twice on a blank frame:
    a file that loads but cannot run fails here, and the first slow call is not a tick's."""
    import numpy as np

    from burro.pilots import load

    pilot = load(path, model_type=model_type, cfg=cfg, **options)
    blank = np.zeros(pilot.input_shape, np.uint8)
    extras = [np.zeros(extra.size, np.float32) for extra in pilot.extra_inputs]
    pilot.run(blank, *extras)
    pilot.run(blank, *extras)
    return pilot


@PARTS.register("Pilot")
class PilotPart:
    """Runs a pilot (.tflite, .onnx, .keras, .h5) on each new camera frame: one burro trained
    (its .json next to it), or one Donkey trained (`model_type` required; see `is_donkey`).

    inputs: cam/image_array, cam/frame_time, loop/time, *extra_inputs
    outputs: pilot/angle, pilot/throttle, pilot/frame_time (all None while there is no frame)

    `extra_inputs` are the memory keys of the pilot's inputs after the image, in order (from
    its metadata; `behavior/one_hot_state_array` for a behavior pilot, none for image-only
    types): the car adds them to this part's inputs. A tick whose extra value is missing,
    None or of the wrong length outputs None (the fail-safe then stops the car); the first
    such tick after a good one warns.

    `model_type` is `--type`: None, or the type the pilot's metadata names (Donkey's
    `tflite_` prefix accepted). When the file (or its .json) is replaced, the new pilot loads
    in a background thread once the files have not changed for `settle_s` of loop time, and
    takes over at the start of a tick; a new file that fails to load keeps the old pilot and
    warns once, until the file changes again. `cfg` is the car config: a Donkey pilot's input
    size is checked against its IMAGE_H/W/DEPTH and its MODEL_CATEGORICAL_MAX_THROTTLE_RANGE
    used. `options` go to `burro.pilots.load` (e.g. `num_threads`).

    A Donkey pilot does not apply the config's TRANSFORMATIONS itself: put the
    `Transformations` part before it and give this part `cam/image_array_trans`
    (`Transformations.for_pilot(cfg, part)` says whether one is needed).
    """

    LATENCY_WINDOW = 1000  # calls kept for latency percentiles

    def __init__(self, model_path: str | Path, model_type: str | None = None, *,
                 reload: bool = True, settle_s: float = 0.5, check_every_s: float = 0.25,
                 cfg: Any = None, **options: Any):
        self.path = Path(model_path).expanduser()
        self.model_type = model_type
        self.cfg = cfg
        self.options = options
        self.reload = reload
        self.settle_s = settle_s
        self.check_every_s = check_every_s
        self.reloads = 0  # new pilots swapped in
        self.failed_reloads = 0  # new files that did not load (each warned about once)
        self.bad_extra_ticks = 0  # ticks without a usable extra input value
        self._extra_warned = False  # warned about the current run of bad ticks
        self.latencies_ms: deque[float] = deque(maxlen=self.LATENCY_WINDOW)
        self._signature = pilot_signature(self.path)
        self.pilot = open_pilot(self.path, model_type, options, cfg)
        self._watch = _Watch(self._signature)
        self._loader: threading.Thread | None = None
        self._finished: tuple[Signature, Any, BaseException | None] | None = None
        self._lock = threading.Lock()

    # ----- the part protocol -----------------------------------------------------------------

    @property
    def extra_inputs(self) -> list[str]:
        """Memory keys the pilot reads besides the image, in the order `run` takes them."""
        return [extra.key for extra in self.pilot.extra_inputs]

    def run(self, image: np.ndarray | None, frame_time: float | None,
            loop_time: float | None = None, *extra: Any
            ) -> tuple[float | None, float | None, float | None]:
        from burro.pilots.base import ExtraInputError

        if self.reload:
            self._swap_in_finished_load()
            self._check_file(loop_time)
        if image is None:
            return None, None, None
        start = time.perf_counter()
        try:
            angle, throttle = self.pilot.run(image, *extra)
        except ExtraInputError as error:
            self._bad_extra(error)
            return None, None, None
        self._extra_warned = False
        self.latencies_ms.append((time.perf_counter() - start) * 1000)
        return angle, throttle, frame_time

    def _bad_extra(self, error: BurroError) -> None:
        self.bad_extra_ticks += 1
        if not self._extra_warned:
            self._extra_warned = True
            log.warning("pilot output is None while its input is unusable: %s", error.line())

    def shutdown(self) -> None:
        loader = self._loader
        if loader is not None:
            loader.join(timeout=5)

    # ----- what the start-up print and telemetry show ----------------------------------------

    @property
    def latency_ms(self) -> float | None:
        """Milliseconds the last `run` spent in the pilot (None before the first frame)."""
        return self.latencies_ms[-1] if self.latencies_ms else None

    def latency_summary(self) -> dict[str, float]:
        """p50, p99 and max in ms over the last LATENCY_WINDOW calls ({} before the first)."""
        if not self.latencies_ms:
            return {}
        import numpy as np

        values = np.array(self.latencies_ms)
        return {"p50": float(np.percentile(values, 50)), "p99": float(np.percentile(values, 99)),
                "max": float(values.max()), "calls": len(values)}

    @property
    def is_donkey(self) -> bool:
        """True for a pilot trained by Donkey (no burro .json): it takes the frame after the
        config's TRANSFORMATIONS (the Transformations part), a burro pilot the raw frame."""
        return bool(getattr(self.pilot, "donkey", False))

    def startup_line(self) -> str:
        """`pilot: models/x.tflite (type linear, runtime LiteRT, input 160x120x3)`; a pilot
        trained by Donkey says `trained by Donkey` after the input size."""
        height, width, depth = self.pilot.input_shape
        origin = ", trained by Donkey" if self.is_donkey else ""
        return (f"pilot: {self.path} (type {self.pilot.model_type.name}, runtime "
                f"{self.pilot.runtime or type(self.pilot).__name__}, input {width}x{height}x{depth}"
                f"{origin})")

    # ----- hot reload --------------------------------------------------------------------------

    def _check_file(self, now: float | None) -> None:
        if self._loader is not None or not self._watch.due(now, self.check_every_s):
            return
        signature = pilot_signature(self.path)
        if self._watch.settled(signature, now, self.settle_s):
            self._loader = threading.Thread(target=self._load, args=(signature,),
                                            name="burro-pilot-reload", daemon=True)
            self._loader.start()

    def _load(self, signature: Signature) -> None:
        try:
            result = (signature, open_pilot(self.path, self.model_type, self.options, self.cfg),
                      None)
        except Exception as error:  # noqa: BLE001 - any failure of a new file keeps the old pilot
            result = signature, None, error
        with self._lock:
            self._finished = result

    def _swap_in_finished_load(self) -> None:
        with self._lock:
            finished, self._finished = self._finished, None
        if finished is None:
            return
        self._loader.join()
        self._loader = None
        signature, pilot, error = finished
        if pilot is not None and pilot.input_shape != self.pilot.input_shape:
            error = BurroError(f"the new pilot takes {pilot.input_shape} frames, the running one "
                               f"{self.pilot.input_shape}", str(self.path),
                               "restart the car with IMAGE_H/IMAGE_W/IMAGE_DEPTH of the new pilot")
        elif pilot is not None and pilot.extra_inputs != self.pilot.extra_inputs:
            error = BurroError("the new pilot takes other inputs besides the image "
                               f"({[e.key for e in pilot.extra_inputs]}) than the running one "
                               f"({[e.key for e in self.pilot.extra_inputs]})", str(self.path),
                               "restart the car to drive the new pilot")
        self._watch.tried(signature)
        if error is not None:
            self.failed_reloads += 1
            log.warning("pilot reload failed, keeping the running pilot: %s",
                        error.line() if isinstance(error, BurroError) else f"{error} ({self.path})")
            return
        self.pilot, self._signature = pilot, signature
        self.reloads += 1
        log.info("pilot reloaded: %s", self.startup_line())


class _Watch:
    """When to look at the file again and whether a change has settled (in loop time)."""

    def __init__(self, signature: Signature):
        self.tried_signature = signature  # loaded, or failed and warned about
        self.next_check: float | None = None
        self.changed: Signature | None = None
        self.changed_at: float | None = None

    def due(self, now: float | None, every: float) -> bool:
        if now is None:
            return True
        if self.next_check is not None and now < self.next_check:
            return False
        self.next_check = now + every
        return True

    def settled(self, signature: Signature, now: float | None, settle: float) -> bool:
        """True once a new signature has stayed the same for `settle` seconds."""
        if signature == self.tried_signature:
            self.changed = None
            return False
        if signature != self.changed:
            self.changed, self.changed_at = signature, now
        return now is None or self.changed_at is None or now - self.changed_at >= settle

    def tried(self, signature: Signature) -> None:
        self.tried_signature = signature
        self.changed = None
