"""The car's camera: a wide-angle lens looking down at a taped track on a shop floor.

Rendering is inverse perspective: the ground point seen by every camera pixel is fixed in
the car's frame, so it is computed once. Per frame those points are moved by the car pose and
looked up (bilinear, `cv2.remap`) in a painted top-down image of the track, with a mip level
per band of rows against aliasing. Pixels that see no floor show a panorama of the room.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from burro.sim.track import SAMPLE_SPACING_M, Track

PIXELS_PER_M = 100.0  # texture resolution: 1 cm per texel
FLOOR_MARGIN_M = 4.0  # floor painted around the track
VISIBLE_FLOOR_M = 4.0  # the camera sees floor this far; beyond it, the room's walls
MIP_LEVELS = 4
PANORAMA_SIZE = (1024, 256)  # azimuth x elevation texels
PANORAMA_ELEVATION_DEG = (-40.0, 60.0)


@dataclass(frozen=True)
class CameraSpec:
    """A Donkey car's wide-angle camera: equidistant fisheye, mounted high at the front."""

    width: int = 160
    height: int = 120
    fov_deg: float = 120.0  # horizontal
    mount_height_m: float = 0.20
    pitch_deg: float = 15.0  # down from horizontal
    forward_m: float = 0.10  # ahead of the car's reference point


@dataclass(frozen=True)
class Appearance:
    floor_rgb: tuple[int, int, int] = (84, 90, 70)
    floor_noise: float = 8.0  # std of the floor's texture, in grey levels
    edge_rgb: tuple[int, int, int] = (235, 235, 228)
    centre_rgb: tuple[int, int, int] = (230, 190, 40)
    line_width_m: float = 0.05
    dash_m: float = 0.25
    brightness: float = 1.0
    camera_noise: float = 0.0  # std of per-frame pixel noise, in grey levels
    pose_jitter: float = 0.0  # std of camera yaw (rad) and offset (m) per frame

    @classmethod
    def randomised(cls, rng: np.random.Generator) -> Appearance:
        """Domain randomisation: floor, line colours, lighting, camera noise and jitter."""
        base = rng.integers(40, 140)
        floor = tuple(int(np.clip(base + rng.integers(-15, 16), 0, 255)) for _ in range(3))
        yellow = (int(rng.integers(200, 256)), int(rng.integers(160, 220)), int(rng.integers(0, 80)))
        white = tuple(int(v) for v in rng.integers(200, 256, size=3))
        edge, centre = (white, yellow) if rng.random() < 0.7 else (yellow, white)
        return cls(floor_rgb=floor, floor_noise=float(rng.uniform(4, 20)),
                   edge_rgb=edge, centre_rgb=centre,
                   brightness=float(rng.uniform(0.6, 1.4)),
                   camera_noise=float(rng.uniform(0, 8)),
                   pose_jitter=float(rng.uniform(0, 0.02)))


class Camera:
    """Renders 160x120 RGB frames of a track from a car pose (x, y, heading).

    Floor mip levels and the room panorama share one atlas image, and every pixel carries
    precomputed atlas coefficients, so a frame is a few array operations and one remap.
    """

    def __init__(self, track: Track, spec: CameraSpec | None = None,
                 appearance: Appearance | None = None, seed: int = 0):
        spec, appearance = spec or CameraSpec(), appearance or Appearance()
        self.track, self.spec, self.appearance = track, spec, appearance
        rng = np.random.default_rng(seed)
        x0, _, _, y1 = track.bounds(FLOOR_MARGIN_M)
        self._origin = (x0, y1)  # world position of the top view's top-left corner
        self.top_view = paint_track(track, appearance, rng)
        self._atlas, offsets = _atlas(_mip_pyramid(self.top_view), paint_room(appearance, rng))
        self._noise = _noise_bank(spec, appearance.camera_noise, rng)
        self._rng = rng
        self._precompute(offsets)

    def _precompute(self, offsets: list[tuple[int, int]]) -> None:
        spec = self.spec
        rays = camera_rays(spec)  # (H, W, 3) in the car frame: forward, left, up
        down = -rays[..., 2]
        reach = spec.mount_height_m / np.maximum(down, 1e-6)
        distance = reach * np.hypot(rays[..., 0], rays[..., 1])
        self._sky = (down < 1e-3) | (distance > VISIBLE_FLOOR_M)
        ground_x = np.where(self._sky, 0.0, spec.forward_m + reach * rays[..., 0])
        ground_y = np.where(self._sky, 0.0, reach * rays[..., 1])
        level = _mip_levels(ground_x, ground_y, self._sky)
        scale = np.where(self._sky, 0.0, PIXELS_PER_M / 2.0**level)
        level_x = np.array([o[0] for o in offsets[:-1]])[level]
        level_y = np.array([o[1] for o in offsets[:-1]])[level]
        pano_x, pano_y = offsets[-1]
        low, high = np.radians(PANORAMA_ELEVATION_DEG)
        elevation = np.arcsin(np.clip(rays[..., 2], -1, 1))
        azimuth = np.arctan2(rays[..., 1], rays[..., 0])
        sky_u = pano_x + PANORAMA_SIZE[0] * (1 - azimuth / (2 * np.pi))
        sky_v = pano_y + (high - elevation) / (high - low) * (PANORAMA_SIZE[1] - 1)
        # texel = scale * (world offset from the top view's corner) + level offset - 0.5
        # (remap samples texel centres), with world offset = R(heading) @ ground + car position
        f32 = np.float32
        self._gx_scaled = f32(ground_x * scale)
        self._gy_scaled = f32(ground_y * scale)
        self._scale = f32(scale)
        self._base_u = f32(np.where(self._sky, sky_u, level_x - 0.5))
        self._base_v = f32(np.where(self._sky, sky_v, level_y - 0.5))
        self._sky_weight = f32(self._sky)

    def render(self, x: float, y: float, heading: float) -> np.ndarray:
        """The camera frame (H, W, 3) uint8 RGB for a car at (x, y) heading `heading` (rad)."""
        if self.appearance.pose_jitter:
            jitter = self._rng.normal(0, self.appearance.pose_jitter, size=3)
            x, y, heading = x + jitter[0], y + jitter[1], heading + jitter[2]
        cos_h, sin_h = np.float32(np.cos(heading)), np.float32(np.sin(heading))
        pan = np.float32(-(heading / (2 * np.pi) % 1.0) * PANORAMA_SIZE[0])
        u = cos_h * self._gx_scaled
        u -= sin_h * self._gy_scaled
        u += np.float32(x - self._origin[0]) * self._scale
        u += self._base_u
        u += pan * self._sky_weight
        v = sin_h * self._gx_scaled
        v += cos_h * self._gy_scaled
        v -= np.float32(self._origin[1] - y) * self._scale
        np.subtract(self._base_v, v, out=v)
        frame = cv2.remap(self._atlas, u, v, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if self._noise is not None:
            noisy = frame.astype(np.int16) + self._noise[self._rng.integers(len(self._noise))]
            frame = np.clip(noisy, 0, 255).astype(np.uint8)
        return frame

    def reseed(self, seed: int) -> None:
        """Restart the per-frame randomness (camera noise, pose jitter)."""
        self._rng = np.random.default_rng(seed)

    def texel(self, x: float, y: float) -> tuple[int, int]:
        """Top-view pixel (column, row) of a world point."""
        return (int((x - self._origin[0]) * PIXELS_PER_M),
                int((self._origin[1] - y) * PIXELS_PER_M))

    def floor_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per pixel: where it meets the floor in the car frame (forward, left, in m) and
        whether it sees the floor at all (False: the room above the horizon)."""
        scale = np.where(self._sky, 1.0, self._scale)
        return self._gx_scaled / scale, self._gy_scaled / scale, ~self._sky


# ----------------------------------------------------------------------------- camera model


def camera_rays(spec: CameraSpec) -> np.ndarray:
    """Unit ray per pixel in the car frame (x forward, y left, z up), equidistant fisheye."""
    focal = (spec.width / 2) / np.radians(spec.fov_deg / 2)
    cols = np.arange(spec.width) + 0.5 - spec.width / 2
    rows = np.arange(spec.height) + 0.5 - spec.height / 2
    right, down = np.meshgrid(cols, rows)
    radius = np.hypot(right, down)
    theta = radius / focal
    scale = np.sin(theta) / np.maximum(radius, 1e-9)
    cam = np.stack([right * scale, down * scale, np.cos(theta)], axis=-1)  # right, down, forward
    pitch = np.radians(spec.pitch_deg)
    forward_axis = np.array([np.cos(pitch), 0.0, -np.sin(pitch)])
    down_axis = np.array([-np.sin(pitch), 0.0, -np.cos(pitch)])
    right_axis = np.array([0.0, -1.0, 0.0])
    return cam[..., :1] * right_axis + cam[..., 1:2] * down_axis + cam[..., 2:] * forward_axis


def _mip_levels(ground_x: np.ndarray, ground_y: np.ndarray, sky: np.ndarray) -> np.ndarray:
    """Mip level per pixel from how much floor one pixel covers (against aliasing)."""
    footprint = np.maximum(
        np.hypot(*np.gradient(ground_x)), np.hypot(*np.gradient(ground_y)))
    ratio = np.where(sky, 1.0, footprint * PIXELS_PER_M)
    return np.clip(np.floor(np.log2(np.maximum(ratio, 1.0))), 0, MIP_LEVELS - 1).astype(int)


def _atlas(mips: list[np.ndarray], panorama: np.ndarray):
    """All mip levels (level 0 left, the others stacked right of it) and the panorama (three
    copies side by side for wrap-around) below; returns the atlas and each part's offset."""
    pad = 4
    first = mips[0]
    right = first.shape[1] + pad
    offsets, row = [(0, 0)], 0
    for mip in mips[1:]:
        offsets.append((right, row))
        row += mip.shape[0] + pad
    pano_row = max(first.shape[0], row) + pad
    strip = np.hstack([panorama] * 3)
    offsets.append((0, pano_row))
    width = max(right + mips[1].shape[1], strip.shape[1])
    atlas = np.zeros((pano_row + strip.shape[0], width, 3), np.uint8)
    for (col, top), image in zip(offsets, [*mips, strip]):
        atlas[top:top + image.shape[0], col:col + image.shape[1]] = image
    return atlas, [(x + (PANORAMA_SIZE[0] if image is strip else 0), y)
                   for (x, y), image in zip(offsets, [*mips, strip])]


def _mip_pyramid(image: np.ndarray) -> list[np.ndarray]:
    levels = [image]
    for _ in range(MIP_LEVELS - 1):
        levels.append(cv2.pyrDown(levels[-1]))
    return levels


def _noise_bank(spec: CameraSpec, std: float, rng: np.random.Generator) -> np.ndarray | None:
    if std <= 0:
        return None
    return rng.normal(0, std, size=(8, spec.height, spec.width, 3)).astype(np.int16)


# ----------------------------------------------------------------------------- painting


def paint_track(track: Track, look: Appearance, rng: np.random.Generator) -> np.ndarray:
    """Top-down RGB image of the floor with white edge tape and a dashed centre line."""
    x0, y0, x1, y1 = track.bounds(FLOOR_MARGIN_M)
    size = (int(np.ceil((y1 - y0) * PIXELS_PER_M)), int(np.ceil((x1 - x0) * PIXELS_PER_M)))
    image = _floor(size, look, rng)

    def to_pixels(points: np.ndarray) -> np.ndarray:  # 4 fractional bits for cv2's `shift`
        cols = (points[:, 0] - x0) * PIXELS_PER_M
        rows = (y1 - points[:, 1]) * PIXELS_PER_M
        return np.round(np.stack([cols, rows], axis=1) * 16).astype(np.int32)

    thickness = max(round(look.line_width_m * PIXELS_PER_M), 1)
    for side in (1, -1):
        edge = track.points + side * track.half_width * track.normals
        cv2.polylines(image, [to_pixels(edge)], True, look.edge_rgb, thickness, cv2.LINE_AA, 4)
    dash_index = (track.arc_length // look.dash_m).astype(int)
    per_dash = max(int(look.dash_m / SAMPLE_SPACING_M), 2)
    dashes = [to_pixels(track.points[start:start + per_dash])
              for start in np.flatnonzero(np.diff(dash_index, prepend=-1) > 0)
              if dash_index[start] % 2 == 0]
    cv2.polylines(image, dashes, False, look.centre_rgb, thickness, cv2.LINE_AA, 4)
    wear = rng.normal(1.0, 0.06, size=image.shape[:2]).astype(np.float32)
    lit = image.astype(np.float32) * wear[..., None] * look.brightness
    return np.clip(lit, 0, 255).astype(np.uint8)


def _floor(size: tuple[int, int], look: Appearance, rng: np.random.Generator) -> np.ndarray:
    """Concrete-like floor: large soft blotches plus fine grain around the base colour."""
    height, width = size
    blotches = cv2.resize(rng.normal(0, 1, size=(height // 40 + 2, width // 40 + 2)),
                          (width, height), interpolation=cv2.INTER_CUBIC)
    grain = rng.normal(0, 0.5, size=size)
    shade = (blotches + grain) * look.floor_noise
    floor = np.array(look.floor_rgb, np.float32) + shade[..., None].astype(np.float32)
    return np.clip(floor, 0, 255).astype(np.uint8)


def paint_room(look: Appearance, rng: np.random.Generator) -> np.ndarray:
    """Panorama of a hall around the track: dark ceiling with bright lights, walls, clutter."""
    width, height = PANORAMA_SIZE
    low, high = PANORAMA_ELEVATION_DEG
    elevation = np.linspace(high, low, height)[:, None]
    ceiling = np.clip(elevation / 20.0, 0, 1)  # walls near the horizon, dark ceiling above
    wall_rgb = np.array([95, 98, 88], np.float32)
    ceiling_rgb = np.array([22, 22, 26], np.float32)
    room = wall_rgb * (1 - ceiling[..., None]) + ceiling_rgb * ceiling[..., None]
    room = np.repeat(room, width, axis=1)
    horizon_row = int(high / (high - low) * (height - 1))
    for _ in range(60):  # furniture, doors, people and machines along the walls
        left = int(rng.integers(0, width))
        span = int(rng.integers(4, 50))
        top = horizon_row - int(rng.integers(6, 60))
        grey = rng.integers(15, 140)
        colour = (0.75 * grey + 0.25 * rng.integers(0, 200, size=3)).astype(np.float32)
        room[top:horizon_row + 10, left:left + span] = colour
    lights = np.zeros((height, width), np.float32)
    for _ in range(90):
        centre = (int(rng.integers(0, width)), int(rng.integers(0, horizon_row - 12)))
        cv2.circle(lights, centre, int(rng.integers(1, 4)), 255.0, -1)
    glow = cv2.GaussianBlur(lights, (0, 0), 3) * 2 + lights
    room += glow[..., None]
    grain = rng.normal(0, 5, size=(height, width, 1)).astype(np.float32)
    return np.clip((room + grain) * look.brightness, 0, 255).astype(np.uint8)
