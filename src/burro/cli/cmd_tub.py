"""`burro tub info|ls|rm|restore|check|convert|hist`: look after recorded driving data."""

import argparse
import json
import sys
from pathlib import Path

from burro.cli.arguments import typed
from burro.cli.options import add_config_options, config_from_args
from burro.config.types import NON_NEGATIVE_INT, POSITIVE_FLOAT, POSITIVE_INT
from burro.errors import BurroError
from burro.quiet import logger_quieted

TUB_HELP = "tub folder(s): paths, globs like 'data/*' or comma lists"
FROM_CONFIG = 0  # `--last` without N (a typed N is >= 1); not a string: argparse would parse it


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("tub", parents=[common], help="inspect and clean tubs",
                                   description="Inspect, clean, check and convert tubs "
                                               "(recorded driving data).")
    commands = parser.add_subparsers(title="tub commands", metavar="ACTION", required=True)

    info = commands.add_parser("info", parents=[common], help="records, sessions, keys, stats")
    info.add_argument("tubs", nargs="+", metavar="PATH", help=TUB_HELP)
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=show_info)

    ls = commands.add_parser("ls", parents=[common], help="list records")
    ls.add_argument("tub", metavar="PATH", help="tub folder")
    ls.add_argument("--deleted", action="store_true", help="list only the deleted indexes")
    ls.add_argument("--limit", type=typed(NON_NEGATIVE_INT), default=None, metavar="N",
                    help="at most N records")
    ls.set_defaults(handler=list_records)

    rm = commands.add_parser("rm", parents=[common], help="soft-delete records (restorable)",
                             description="Soft-delete records; `burro tub restore` undoes it.")
    rm.add_argument("tub", metavar="PATH", help="tub folder")
    _add_selection(rm, last=True)
    rm.set_defaults(handler=remove_records)

    restore = commands.add_parser("restore", parents=[common], help="undo soft deletes")
    restore.add_argument("tub", metavar="PATH", help="tub folder")
    _add_selection(restore, last=False)
    restore.set_defaults(handler=restore_records)

    check = commands.add_parser("check", parents=[common], help="find (and repair) bad data",
                                description="Read every record and report each problem; "
                                            "exit 1 when problems remain.")
    check.add_argument("tubs", nargs="+", metavar="PATH", help=TUB_HELP)
    check.add_argument("--repair", action="store_true",
                       help="repair what is provably bad (see docs/tub.md): torn and junk "
                            "lines, stale indexes, lost manifest, unlisted catalogs; "
                            "soft-delete bad records")
    check.add_argument("--decode", action="store_true",
                       help="also decode every image fully (slower)")
    check.set_defaults(handler=check_tubs)

    convert = commands.add_parser("convert", parents=[common],
                                  help="convert Donkey v1 tubs into a new v2 tub")
    convert.add_argument("sources", nargs="+", metavar="OLD", help="v1 tub folder(s)")
    convert.add_argument("target", metavar="NEW", help="new (empty) v2 tub folder")
    convert.add_argument("--max-catalog-len", type=typed(POSITIVE_INT), default=1000, metavar="N",
                         help="records per catalog file (default 1000)")
    convert.set_defaults(handler=convert_tubs)

    hist = commands.add_parser("hist", parents=[common], help="histogram PNG of record values",
                               description="Histograms (50 bins) of numeric record fields, "
                                           "like Donkey's tubhist.")
    hist.add_argument("tubs", nargs="+", metavar="PATH", help=TUB_HELP)
    hist.add_argument("--record", metavar="KEY", help="only this field, e.g. user/angle")
    hist.add_argument("--out", metavar="FILE",
                      help="PNG to write (default <tub>_hist[_<key>].png here)")
    hist.set_defaults(handler=plot_histogram)

    tubhist = subparsers.add_parser("tubhist", parents=[common],
                                    help="Donkey's `tubhist`: same as `tub hist`",
                                    description="Donkey-compatible spelling of `burro tub hist`.")
    tubhist.add_argument("--tub", dest="tubs", nargs="+", required=True, metavar="PATH",
                         help=TUB_HELP)
    tubhist.add_argument("--record", metavar="KEY", help="only this field, e.g. user/angle")
    tubhist.add_argument("--out", metavar="FILE", help="PNG to write")
    tubhist.set_defaults(handler=plot_histogram)


def _add_selection(parser: argparse.ArgumentParser, last: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--index", type=typed(NON_NEGATIVE_INT), nargs="+", metavar="I", help="record indexes")
    group.add_argument("--range", dest="ranges", action="append", metavar="A:B",
                       help="indexes A to B-1 (like Python's range; repeatable)")
    if last:
        group.add_argument("--last", type=typed(POSITIVE_INT), nargs="?", const=FROM_CONFIG,
                           metavar="N",
                           help="the newest N records (no N: ERASE_LAST_N_RECORDS of the car "
                                "config, default 100)")
        group.add_argument("--last-seconds", type=typed(POSITIVE_FLOAT), metavar="S",
                           help="the records of the last S seconds of recording")
        add_config_options(parser)
    else:
        group.add_argument("--all", action="store_true", help="every deleted record")


def show_info(args: argparse.Namespace) -> int:
    from burro.tub import open_tubs
    from burro.tub.summary import summarize

    with logger_quieted("burro.tub"):  # info prints the problems itself, in one line
        summaries = [summarize(tub) for tub in open_tubs(args.tubs)]
    if args.json:
        print(json.dumps([s.as_dict() for s in summaries], indent=2))
        return 0
    for summary in summaries:
        _print_summary(summary)
    return 0


def _print_summary(summary) -> None:
    print(f"{summary.path}")
    print(f"  records   {summary.records:,} (deleted {summary.deleted:,}, bad {summary.bad:,})")
    count = len(summary.sessions)
    print(f"  duration  {summary.duration_s:.1f} s in {count} session{'s' * (count != 1)}")
    for session, count in summary.sessions.items():
        print(f"    {session:<16} {count} records")
    print("  keys      " + ", ".join(f"{k} ({t})" for k, t in summary.keys.items()))
    for key, stats in summary.stats.items():
        if stats.count:
            print(f"  {key:<14} min {stats.low:+.3f}  max {stats.high:+.3f}  "
                  f"mean {stats.mean:+.3f}  std {stats.std:.3f}")
    if summary.problems:
        print(f"  problems  {summary.problems}")


def list_records(args: argparse.Namespace) -> int:
    from burro.tub import Tub

    tub = Tub(args.tub)
    if args.deleted:
        print(" ".join(map(str, sorted(tub.deleted_indexes))))
        return 0
    for count, record in enumerate(tub):
        if args.limit is not None and count >= args.limit:
            break
        values = {k: v for k, v in record.items() if not k.startswith("_")}
        print(f"{record.index:>7}  {record.session_id:<12} {json.dumps(values)}")
    return 0


def remove_records(args: argparse.Namespace) -> int:
    from burro.tub import Tub
    from burro.tub.problems import index_ranges

    tub = Tub(args.tub)
    if args.last is not None:
        deleted = tub.delete_last_n_records(_last_count(args))
    elif args.last_seconds is not None:
        deleted = tub.delete_last_seconds(args.last_seconds)
    else:
        deleted = tub.delete_records(_selected(args))
    print(f"deleted {len(deleted)} records: {index_ranges(deleted) or '-'}; "
          f"{_good_count(tub):,} remain (undo with `burro tub restore`)")
    return 0


def restore_records(args: argparse.Namespace) -> int:
    from burro.tub import Tub
    from burro.tub.problems import index_ranges

    tub = Tub(args.tub)
    wanted = sorted(tub.deleted_indexes) if args.all else _selected(args)
    restored = tub.restore_records(wanted)
    print(f"restored {len(restored)} records: {index_ranges(restored) or '-'}; "
          f"{_good_count(tub):,} records")
    return 0


def _good_count(tub) -> int:
    """The records the reader yields (what training would see)."""
    with logger_quieted("burro.tub"):
        return sum(1 for _ in tub)


def _last_count(args: argparse.Namespace) -> int:
    if args.last != FROM_CONFIG:
        return args.last
    return config_from_args(args).ERASE_LAST_N_RECORDS


def _selected(args: argparse.Namespace) -> list[int]:
    if args.index:
        return args.index
    indexes = []
    for text in args.ranges:
        start, stop = _range(text)
        indexes += range(start, stop)
    return indexes


def _range(text: str) -> tuple[int, int]:
    start, colon, stop = text.partition(":")
    try:
        bounds = int(start), int(stop)
    except ValueError:
        bounds = None
    if not colon or bounds is None or not all(map(NON_NEGATIVE_INT.check, bounds)):
        raise BurroError("a range is written A:B with indexes A >= 0 and B (A to B-1)",
                         f"--range {text}", "e.g. --range 100:200")
    if bounds[0] >= bounds[1]:
        raise BurroError("the range is empty: A must be below B (A to B-1)", f"--range {text}",
                         f"e.g. --range {bounds[1]}:{bounds[0] + 1}")
    return bounds


def check_tubs(args: argparse.Namespace) -> int:
    from burro.tub import tub_paths

    with logger_quieted("burro.tub"):  # check lists the problems itself, once
        remaining = sum(_check_one(path, args) for path in tub_paths(args.tubs))
    return 1 if remaining else 0


def _check_one(path: Path, args: argparse.Namespace) -> int:
    """Print the problems (or the repairs and what remains) of one tub; return how many
    problems remain."""
    from burro.tub.check import check_tub
    from burro.tub.problems import summary_lines

    report = check_tub(path, repair=args.repair, decode=args.decode)
    for repair in report.repairs:
        print(f"{path}: repaired: {repair}")
    state = report.after if args.repair else report
    prefix = f"{path}: after repair:" if args.repair else f"{path}:"
    for line in state.lines():
        print(f"{prefix} {line}")
    problems = len(summary_lines(state.defects))
    print(f"{prefix} {state.good_records:,} good records, {problems} "
          f"problem{'s' * (problems != 1)}")
    return problems


def convert_tubs(args: argparse.Namespace) -> int:
    from burro.tub.convert import convert_v1
    from burro.tub.problems import summary_lines

    tub, problems = convert_v1(args.sources, args.target, args.max_catalog_len)
    for line in summary_lines(problems):
        print(f"skipped: {line}", file=sys.stderr)
    skipped = sum(problem.record_skipped for problem in problems)
    print(f"converted {len(args.sources)} v1 tub(s) into {tub.path}: {_good_count(tub):,} "
          f"records, {skipped:,} skipped")
    return 0


def plot_histogram(args: argparse.Namespace) -> int:
    from burro.files import check_figure_name
    from burro.tub import open_tubs
    from burro.tub.hist import default_output, numeric_values, write_histogram

    if args.out:
        check_figure_name(args.out, "--out")
    tubs = open_tubs(args.tubs)
    values = numeric_values(tubs, [args.record] if args.record else None)
    out = Path(args.out) if args.out else default_output(tubs, args.record)
    title = ", ".join(tub.path.name for tub in tubs)
    print(f"wrote {write_histogram(values, out, title)}")
    return 0
