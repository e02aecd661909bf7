"""`burro sim view`: see what the car sees — camera frames round a lap and the track from above."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from burro.errors import BurroError
from burro.files import atomic_output
from burro.sim.expert import DrivingStyle, Expert
from burro.sim.simulator import SimSettings, Simulator

SCALE = 2  # frames are shown at twice their size


def camera_strip(settings: SimSettings, frames: int, path: str | Path,
                 lane: str | None = None) -> Path:
    """PNG: `frames` camera frames spread over one expert lap, above the top view with the
    car's positions numbered."""
    path = check_image_name(path)
    sim = Simulator(settings)
    expert = Expert(sim.track, settings.hz, lane=lane or "centre", seed=settings.seed,
                    style=DrivingStyle.perfect(), car=settings.car)
    telemetry = sim.reset(offset=sim.track.lane_offset(lane))
    stops = np.linspace(0, 1, frames, endpoint=False)
    shots = []
    while len(shots) < frames and telemetry.progress < 1.5:
        if telemetry.progress >= stops[len(shots)]:
            shots.append(telemetry)
        telemetry = sim.step(*expert.act(telemetry))
    strip = _label_frames([shot.image for shot in shots])
    top = _top_view(sim, shots, strip.shape[1])
    image = np.vstack([strip, top])
    with atomic_output(path) as temporary:
        if not cv2.imwrite(str(temporary), image[..., ::-1]):  # a full disk, no permission
            raise OSError("OpenCV could not write the image")
    return path


def check_image_name(path: str | Path) -> Path:
    """Refuse, before any simulation, a name OpenCV has no writer for (it would raise)."""
    path = Path(path)
    if not cv2.haveImageWriter(str(path)):
        raise BurroError(f"cannot write an image named {path.name}", str(path),
                         "end the name in .png or .jpg")
    return path


def _label_frames(images: list[np.ndarray], per_row: int = 6) -> np.ndarray:
    tiles = []
    for number, image in enumerate(images, 1):
        tile = cv2.resize(image, None, fx=SCALE, fy=SCALE, interpolation=cv2.INTER_NEAREST)
        cv2.putText(tile, str(number), (6, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 60, 60), 2)
        tiles.append(tile)
    while len(tiles) % per_row:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.hstack(tiles[i:i + per_row]) for i in range(0, len(tiles), per_row)]
    return np.vstack(rows)


def _top_view(sim: Simulator, shots, width: int) -> np.ndarray:
    top = sim.camera.top_view.copy()
    for number, shot in enumerate(shots, 1):
        col, row = sim.camera.texel(shot.x, shot.y)
        tip = sim.camera.texel(shot.x + 0.3 * np.cos(shot.heading),
                               shot.y + 0.3 * np.sin(shot.heading))
        cv2.arrowedLine(top, (col, row), tip, (255, 60, 60), 4, tipLength=0.4)
        cv2.putText(top, str(number), (col + 8, row - 8), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                    (255, 60, 60), 3)
    x0, y0, x1, y1 = sim.track.bounds(margin=0.8)
    left, top_row = sim.camera.texel(x0, y1)
    right, bottom = sim.camera.texel(x1, y0)
    top = top[max(top_row, 0):bottom, max(left, 0):right]
    scale = width / top.shape[1]
    return cv2.resize(top, (width, int(top.shape[0] * scale)), interpolation=cv2.INTER_AREA)
