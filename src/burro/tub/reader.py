"""Open several tubs at once from what `--tub` accepts: paths, globs and comma lists."""

import glob
from collections.abc import Iterable
from pathlib import Path

from burro.tub.manifest import MANIFEST_NAME
from burro.tub.problems import TubError, log
from burro.tub.tub import Tub
from burro.tub.v1 import META_NAME

GLOB_CHARACTERS = frozenset("*?[")


def tub_paths(spec: str | Path | Iterable[str | Path]) -> list[Path]:
    """Expand a spec into tub folders, in the given order (globs sorted), without duplicates."""
    items = [spec] if isinstance(spec, (str, Path)) else list(spec)
    paths: list[Path] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part:
                paths.extend(_expand(part))
    if not paths:
        raise TubError("no tub given", str(spec), "pass a tub folder, a glob or a comma list")
    return list(dict.fromkeys(paths))


def open_tubs(spec: str | Path | Iterable[str | Path], **tub_options) -> list[Tub]:
    """Open every tub of `spec` for reading (`tub_options` go to `Tub`)."""
    return [Tub(path, **tub_options) for path in tub_paths(spec)]


def _expand(part: str) -> list[Path]:
    path = Path(part).expanduser()
    if not GLOB_CHARACTERS & set(part):
        if not path.exists():
            raise TubError("tub folder not found", part, "check the path")
        return _tubs_inside(path) if _is_folder_of_tubs(path) else [path]
    matches = [Path(match) for match in sorted(glob.glob(str(path)))]
    tubs = [match for match in matches if _is_tub(match)]
    for other in matches:
        if other.is_dir() and other not in tubs:
            log.warning("not a tub, skipped: %s (no %s)", other, MANIFEST_NAME)
    if not tubs:
        raise TubError("no tub matches the pattern", part,
                       "check the glob; a tub folder holds manifest.json (meta.json for v1)")
    return tubs


def _is_tub(path: Path) -> bool:
    return (path / MANIFEST_NAME).is_file() or (path / META_NAME).is_file()


def _is_folder_of_tubs(path: Path) -> bool:
    """A data folder like Donkey's `data/` with AUTO_CREATE_NEW_TUB: no tub itself, tubs inside."""
    return path.is_dir() and not _is_tub(path) and any(map(_is_tub, _subfolders(path)))


def _tubs_inside(path: Path) -> list[Path]:
    tubs = [child for child in _subfolders(path) if _is_tub(child)]
    log.info("%s holds %d tubs: %s", path, len(tubs), ", ".join(child.name for child in tubs))
    return tubs


def _subfolders(path: Path) -> list[Path]:
    return sorted(child for child in path.iterdir() if child.is_dir())
