"""What every screen of `burro ui` shares: the opened car folder, its config, the opened tubs,
and where the browser may reach on disk."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from burro.errors import BurroError


class OutsideRoots(BurroError):
    """A path the browser asked for lies outside the folders it may use."""


class UiContext:
    """`roots`: the folders the browser may name paths in (the --root folder, default the
    user's home, plus the car folder once opened). `car_dir` / `cfg`: the opened car folder
    and its config (config.py + myconfig.py), or None. `tubs`: the opened tubs, in order.
    Methods may be called from any handler; a lock keeps the state consistent."""

    def __init__(self, roots: list[Path], token: str = ""):
        self.roots = [Path(root).expanduser().resolve() for root in roots]
        self.token = token
        self.car_dir: Path | None = None
        self.cfg: Any = None
        self.tubs: list[Path] = []
        self._lock = threading.RLock()

    # ----- paths -----------------------------------------------------------------------------
    def resolve(self, path: str | Path, must_exist: bool = True) -> Path:
        """`path` (absolute, or relative to the car folder) resolved — symlinks and `..`
        followed — and inside one of the roots or the car folder; else OutsideRoots."""
        given = Path(str(path)).expanduser()
        if not given.is_absolute():
            base = self.car_dir or (self.roots[0] if self.roots else Path.cwd())
            given = base / given
        resolved = given.resolve()
        allowed = [*self.roots, *([self.car_dir] if self.car_dir else [])]
        if not any(resolved == root or root in resolved.parents for root in allowed):
            raise OutsideRoots("path outside the folders burro ui may use", str(path),
                               "open a folder under " + ", ".join(map(str, allowed))
                               + " (burro ui --root DIR widens it)")
        if must_exist and not resolved.exists():
            raise BurroError("no such file or folder", str(path), "check the path")
        return resolved

    # ----- the car and its tubs ----------------------------------------------------------------
    def open_car(self, path: str | Path) -> Path:
        """Load the car folder's config (config.py + myconfig.py) and make it the car."""
        from burro.config import load_config

        car_dir = self.resolve(path)
        if not car_dir.is_dir():
            raise BurroError("not a folder", str(path), "choose a car folder (with config.py)")
        cfg = load_config(car_dir)
        with self._lock:
            self.car_dir, self.cfg = car_dir, cfg
        return car_dir

    def reload_config(self) -> Any:
        """The car's config read again (after an edit of myconfig.py)."""
        if self.car_dir is None:
            raise BurroError("no car folder is open", "burro ui", "open a car folder first")
        return self.open_car(self.car_dir) and self.cfg

    def config(self) -> Any:
        """The car's config, or burro's defaults while no car folder is open."""
        from burro.config import default_config

        with self._lock:
            return self.cfg if self.cfg is not None else default_config()

    def open_tubs(self, paths: list[str | Path]) -> list[Path]:
        """Make these the opened tubs (each a tub folder with manifest.json)."""
        tubs = []
        for path in paths:
            tub = self.resolve(path)
            if not (tub / "manifest.json").is_file():
                raise BurroError("not a tub (no manifest.json)", str(path),
                                 "choose a tub folder, e.g. data/tub_1_26-01-01")
            tubs.append(tub)
        with self._lock:
            self.tubs = tubs
        return tubs

    def state(self) -> dict[str, Any]:
        """What the page shows in its header and the screens start from."""
        with self._lock:
            return {"car_dir": str(self.car_dir) if self.car_dir else None,
                    "tubs": [str(tub) for tub in self.tubs],
                    "roots": [str(root) for root in self.roots]}
