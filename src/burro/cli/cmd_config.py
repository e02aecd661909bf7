"""`burro config show|check|keys`: see and validate the effective car config."""

import argparse
import json

from burro.cli.options import add_config_options, config_from_args
from burro.config import KEYS, KEYS_BY_NAME
from burro.errors import BurroError


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("config", parents=[common], help="show and check the car config",
                                   description="Show and check the car config.")
    commands = parser.add_subparsers(title="config commands", metavar="ACTION", required=True)

    show = commands.add_parser("show", parents=[common],
                               help="every effective value and where it came from")
    add_config_options(show)
    show.add_argument("keys", nargs="*", metavar="KEY", help="only these keys")
    show.add_argument("--json", action="store_true", help="print JSON instead of a table")
    show.set_defaults(handler=show_config)

    check = commands.add_parser("check", parents=[common],
                                help="validate config.py/myconfig.py (exit 0 ok, 2 bad)")
    add_config_options(check)
    check.set_defaults(handler=check_config)

    keys = commands.add_parser("keys", parents=[common],
                               help="the table of known keys, types and defaults")
    keys.add_argument("--markdown", action="store_true", help="print the Markdown table")
    keys.set_defaults(handler=list_keys)


def show_config(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    names = args.keys or sorted(cfg.names())
    missing = [name for name in names if name not in cfg]
    if missing:
        raise BurroError("unknown config key", missing[0], "run `burro config keys` to list keys")
    if args.json:
        print(json.dumps({name: {"value": getattr(cfg, name), "source": cfg.source(name)}
                          for name in names}, indent=2, default=repr))
        return 0
    width = max(map(len, names))
    for name in names:
        print(f"{name:<{width}}  {getattr(cfg, name)!r:<40}  [{cfg.source(name)}]")
    return 0


def check_config(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    changed = [name for name in cfg.names() if cfg.source(name) != "default"]
    print(f"config ok: {len(changed)} values set in {cfg.CAR_PATH}")
    return 0


def list_keys(args: argparse.Namespace) -> int:
    print(keys_markdown() if args.markdown else _keys_table())
    return 0


def keys_markdown() -> str:
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    section = None
    for key in KEYS:
        if key.section != section:
            section = key.section
            lines.append(f"| **{section}** | | | |")
        lines.append(f"| `{key.name}` | {key.type.name} | `{key.default!r}` | {key.meaning} |")
    return "\n".join(lines)


def _keys_table() -> str:
    width = max(map(len, KEYS_BY_NAME))
    return "\n".join(f"{key.name:<{width}}  {key.type.name:<12} {key.default!r:<24} {key.meaning}"
                     for key in KEYS)
