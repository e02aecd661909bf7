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
        return [path]
    matches = [Path(match) for match in sorted(glob.glob(str(path)))]
    tubs = [match for match in matches
            if (match / MANIFEST_NAME).is_file() or (match / META_NAME).is_file()]
    for other in matches:
        if other.is_dir() and other not in tubs:
            log.warning("not a tub, skipped: %s (no %s)", other, MANIFEST_NAME)
    if not tubs:
        raise TubError("no tub matches the pattern", part,
                       "check the glob; a tub folder holds manifest.json (meta.json for v1)")
    return tubs
