"""`burro tub info|ls|rm|restore|check|convert|hist`: look after recorded driving data."""

import argparse
import json
import logging
import sys
from pathlib import Path

from burro.cli.options import add_config_options, config_from_args
from burro.errors import BurroError

TUB_HELP = "tub folder(s): paths, globs like 'data/*' or comma lists"


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
    ls.add_argument("--limit", type=int, default=None, metavar="N", help="at most N records")
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
                       help="repair what is safe: torn lines, stale indexes, lost manifest; "
                            "soft-delete bad records")
    check.add_argument("--decode", action="store_true",
                       help="also decode every image fully (slower)")
    check.set_defaults(handler=check_tubs)

    convert = commands.add_parser("convert", parents=[common],
                                  help="convert Donkey v1 tubs into a new v2 tub")
    convert.add_argument("sources", nargs="+", metavar="OLD", help="v1 tub folder(s)")
    convert.add_argument("target", metavar="NEW", help="new (empty) v2 tub folder")
    convert.add_argument("--max-catalog-len", type=int, default=1000, metavar="N",
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
    group.add_argument("--index", type=int, nargs="+", metavar="I", help="record indexes")
    group.add_argument("--range", dest="ranges", action="append", metavar="A:B",
                       help="indexes A to B-1 (like Python's range; repeatable)")
    if last:
        group.add_argument("--last", type=int, nargs="?", const=-1, metavar="N",
                           help="the newest N records (no N: ERASE_LAST_N_RECORDS of the car "
                                "config, default 100)")
        group.add_argument("--last-seconds", type=float, metavar="S",
                           help="the records of the last S seconds of recording")
        add_config_options(parser)
    else:
        group.add_argument("--all", action="store_true", help="every deleted record")


def show_info(args: argparse.Namespace) -> int:
    from burro.tub import open_tubs
    from burro.tub.summary import summarize

    summaries = [summarize(tub) for tub in open_tubs(args.tubs)]
    if args.json:
        print(json.dumps([s.as_dict() for s in summaries], indent=2))
        return 0
    for summary in summaries:
        _print_summary(summary)
    return 0


def _print_summary(summary) -> None:
    print(f"{summary.path}")
    print(f"  records   {summary.records} (deleted {summary.deleted}, bad {summary.bad})")
    count = len(summary.sessions)
    print(f"  duration  {summary.duration_s:.1f} s in {count} session{'s' * (count != 1)}")
    for session, count in summary.sessions.items():
        print(f"    {session:<16} {count} records")
    print("  keys      " + ", ".join(f"{k} ({t})" for k, t in summary.keys.items()))
    for key, stats in summary.stats.items():
        if stats.count:
            print(f"  {key:<14} min {stats.low:+.3f}  max {stats.high:+.3f}  "
                  f"mean {stats.mean:+.3f}  std {stats.std:.3f}")


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
    from burro.tub.check import index_ranges

    tub = Tub(args.tub)
    if args.last is not None:
        deleted = tub.delete_last_n_records(_last_count(args))
    elif args.last_seconds is not None:
        if args.last_seconds <= 0:
            raise BurroError("--last-seconds must be positive", str(args.last_seconds))
        deleted = tub.delete_last_seconds(args.last_seconds)
    else:
        deleted = tub.delete_records(_selected(args))
    print(f"deleted {len(deleted)} records: {index_ranges(deleted) or '-'}; "
          f"{len(tub)} remain (undo with `burro tub restore`)")
    return 0


def restore_records(args: argparse.Namespace) -> int:
    from burro.tub import Tub
    from burro.tub.check import index_ranges

    tub = Tub(args.tub)
    wanted = sorted(tub.deleted_indexes) if args.all else _selected(args)
    restored = tub.restore_records(wanted)
    print(f"restored {len(restored)} records: {index_ranges(restored) or '-'}; "
          f"{len(tub)} records")
    return 0


def _last_count(args: argparse.Namespace) -> int:
    if args.last >= 0:
        return args.last
    return config_from_args(args).ERASE_LAST_N_RECORDS


def _selected(args: argparse.Namespace) -> list[int]:
    if args.index:
        return args.index
    indexes = []
    for text in args.ranges:
        start, _, stop = text.partition(":")
        try:
            indexes += range(int(start), int(stop))
        except ValueError:
            raise BurroError("a range is written A:B (indexes A to B-1)", text,
                             "e.g. --range 100:200") from None
    return indexes


def check_tubs(args: argparse.Namespace) -> int:
    from burro.tub import tub_paths

    tub_log = logging.getLogger("burro.tub")
    level = tub_log.level
    tub_log.setLevel(logging.ERROR)  # check lists the problems itself, once
    try:
        remaining = sum(_check_one(path, args) for path in tub_paths(args.tubs))
    finally:
        tub_log.setLevel(level)
    return 1 if remaining else 0


def _check_one(path: Path, args: argparse.Namespace) -> int:
    """Print the problems (and repairs) of one tub; return how many problems remain."""
    from burro.tub.check import check_tub

    report = check_tub(path, repair=args.repair, decode=args.decode)
    for problem in report.problems:
        print(f"{path}: {problem.line()}")
    for repair in report.repairs:
        print(f"{path}: repaired: {repair}")
    print(f"{path}: {report.good_records} good records, {len(report.problems)} problems")
    if args.repair:
        return len(check_tub(path, decode=args.decode).problems)
    return len(report.problems)


def convert_tubs(args: argparse.Namespace) -> int:
    from burro.tub.convert import convert_v1

    tub, problems = convert_v1(args.sources, args.target, args.max_catalog_len)
    for problem in problems:
        print(f"skipped: {problem.line()}", file=sys.stderr)
    print(f"converted {len(args.sources)} v1 tub(s) into {tub.path}: {len(tub)} records, "
          f"{len(problems)} skipped")
    return 0


def plot_histogram(args: argparse.Namespace) -> int:
    from burro.tub import open_tubs
    from burro.tub.hist import default_output, numeric_values, write_histogram

    tubs = open_tubs(args.tubs)
    values = numeric_values(tubs, [args.record] if args.record else None)
    out = Path(args.out) if args.out else default_output(tubs, args.record)
    title = ", ".join(tub.path.name for tub in tubs)
    print(f"wrote {write_histogram(values, out, title)}")
    return 0
