"""One mechanism for everything burro looks up by name: model types, augmentations,
transformations, simulator tracks, pilot runtimes (by file suffix), car parts, ...

A `Registry(kind, package)` holds the entries of one kind. Each entry lives in its own
module of `package` and registers itself with a decorator, so adding one is one new file:

    TRACKS = Registry("track", "burro.sim.tracks", where="--track / SIM_TRACK")

    @TRACKS.register("oval")          # in burro/sim/tracks/oval.py
    def oval() -> Track: ...

The package is scanned (every module not starting with `_` is imported) the first time a
name is looked up or listed, not when the registry is created. Entry modules therefore
import only what is cheap at their top and load heavy libraries (TensorFlow, Keras,
LiteRT, onnxruntime) inside the code that needs them; listing names never loads them.

A name registered as `random:SEED` takes a parameter: `get("random:7")` returns that
entry and the caller reads the part after the colon.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from burro.errors import BurroError

T = TypeVar("T")


def _same(name: str) -> str:
    return name


class Registry(Generic[T]):
    """Entries of one kind by name; `names()` for help texts and docs, `get(name)` to use one.

    `where` names the option or key a user sets these names in (for error messages);
    `fold` maps a user's spelling to the registered one (e.g. `str.upper`); with
    `instances=True` a registered class is stored as one instance of it.
    """

    def __init__(self, kind: str, package: str, where: str, *,
                 fold: Callable[[str], str] = _same, instances: bool = False):
        self.kind = kind
        self.package = package
        self.where = where
        self._fold = fold
        self._instances = instances
        self._entries: dict[str, T] = {}
        self._listed: list[str] = []  # names shown by names(); aliases are only accepted
        self._canonical: dict[str, str] = {}  # folded name or alias -> its listed name
        self._takes_parameter: set[str] = set()
        self._scanned = False
        self._scanning = False
        self._lock = threading.RLock()

    # ----- registering (at import of an entry module) ---------------------------------------

    def register(self, *names: str, aliases: tuple[str, ...] = ()) -> Callable[[Any], Any]:
        """Decorator: `@registry.register("NAME", aliases=("OTHER",))` on a class or function."""
        if not names:
            raise ValueError(f"a {self.kind} needs a name")

        def add(obj: Any) -> Any:
            entry = obj() if self._instances and isinstance(obj, type) else obj
            spellings = {name: name for name in names} | {alias: names[0] for alias in aliases}
            with self._lock:
                taken = [name for name in spellings if self._split(name)[0] in self._entries]
                if taken or len({self._split(name)[0] for name in spellings}) < len(spellings):
                    raise ValueError(f"{self.kind} {(taken or list(spellings))[0]!r} is "
                                     "registered twice")
                for name, canonical in spellings.items():
                    key, parameter = self._split(name)
                    self._entries[key] = entry
                    self._canonical[key] = canonical
                    if parameter is not None:
                        self._takes_parameter.add(key)
                self._listed += names
            return obj

        return add

    # ----- looking up ------------------------------------------------------------------------

    def names(self) -> list[str]:
        """The registered names (no aliases), sorted; parameterised ones as `name:PARAM`."""
        self._scan()
        return sorted(self._listed)

    def get(self, name: str, where: str | None = None) -> T:
        """The entry called `name` (or an alias), or a one-line BurroError listing the names."""
        self._scan()
        key, parameter = self._split(str(name))
        if key in self._entries and (parameter is not None) == (key in self._takes_parameter):
            return self._entries[key]
        raise BurroError(f"unknown {self.kind} {name!r}", where or self.where,
                         f"use one of: {', '.join(self.names())}")

    def canonical(self, name: str, where: str | None = None) -> str:
        """The listed name of the entry that `name` (an alias, another case) means."""
        self.get(name, where)
        return self._canonical[self._split(str(name))[0]]

    def entries(self) -> dict[str, T]:
        """Listed name -> entry, sorted by name."""
        return {name: self._entries[self._split(name)[0]] for name in self.names()}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self.get(name)
        except BurroError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def __repr__(self) -> str:
        return f"<registry of {self.kind}s from {self.package}>"

    # ----- internals ---------------------------------------------------------------------------

    def _split(self, name: str) -> tuple[str, str | None]:
        key, colon, parameter = name.partition(":")
        return self._fold(key), parameter if colon else None

    def _scan(self) -> None:
        """Import every public module of the package once; their decorators register them."""
        if self._scanned:
            return
        with self._lock:  # other threads wait here until the scan is complete
            if self._scanned or self._scanning:  # _scanning: an entry module looks names up
                return
            self._scanning = True
            try:
                package = importlib.import_module(self.package)
                for module in sorted(pkgutil.iter_modules(package.__path__),
                                     key=lambda found: found.name):
                    if not module.name.startswith("_"):
                        importlib.import_module(f"{self.package}.{module.name}")
                self._scanned = True
            finally:
                self._scanning = False
