"""`burro tub hist`: histograms of numeric record fields, like Donkey's `tubhist`."""

from pathlib import Path

from burro.errors import BurroError
from burro.files import atomic_output
from burro.tub.tub import Tub

NUMERIC_TYPES = ("float", "int")
BINS = 50


def numeric_values(tubs: list[Tub], keys: list[str] | None = None) -> dict[str, list[float]]:
    keys = keys or list(dict.fromkeys(key for tub in tubs for key, kind in
                                      zip(tub.inputs, tub.types) if kind in NUMERIC_TYPES))
    for key in keys:
        if not any(tub.type_of(key) in NUMERIC_TYPES for tub in tubs):
            raise BurroError(f"'{key}' is not a numeric field of these tubs", key,
                             "pick a float or int key (see `burro tub info`)")
    if not keys:
        raise BurroError("the tubs hold no numeric fields to plot", str(tubs[0].path))
    values: dict[str, list[float]] = {key: [] for key in keys}
    for tub in tubs:
        for record in tub:
            for key in keys:
                if key in record:
                    values[key].append(record[key])
    return values


def default_output(tubs: list[Tub], key: str | None) -> Path:
    suffix = f"_{key.replace('/', '_')}" if key else ""
    return Path(f"{tubs[0].path.resolve().name}_hist{suffix}.png")


def write_histogram(values: dict[str, list[float]], out: Path, title: str) -> Path:
    try:
        import matplotlib
    except ImportError:
        raise BurroError("matplotlib is not installed", "burro tub hist",
                         "pip install 'burro[train]'") from None
    matplotlib.use("Agg")
    from matplotlib import pyplot

    columns = min(len(values), 3)
    rows = -(-len(values) // columns)
    figure, axes = pyplot.subplots(rows, columns, figsize=(4.5 * columns, 3.5 * rows),
                                   squeeze=False)
    for axis, (key, numbers) in zip(axes.flat, values.items()):
        axis.hist(numbers, bins=BINS)
        axis.set_title(f"{key} ({len(numbers)} records)")
        axis.grid(alpha=0.3)
    for axis in list(axes.flat)[len(values):]:
        axis.set_visible(False)
    figure.suptitle(title)
    figure.tight_layout()
    try:
        with atomic_output(out) as temporary:
            figure.savefig(temporary)
    finally:
        pyplot.close(figure)
    return out
