"""Entry point: builds the parser from every `burro.cli.cmd_*` module and runs one command.

A command module defines `register(subparsers, common)`: it adds its sub-parser (passing
`parents=[common]`) and sets `handler=` with `set_defaults`. Handlers return an exit code
(or None for 0) and raise `BurroError` for anything the user must fix.
"""

import argparse
import importlib
import logging
import os
import pkgutil
import sys

import burro
import burro.cli
from burro.errors import BurroError

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 1
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose - args.quiet)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USER_ERROR
    try:
        return args.handler(args) or 0
    except BurroError as error:
        if args.debug:
            raise
        print(f"{parser.prog}: error: {error.line()}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        return 0
    except Exception as error:  # a bug of ours: one line, the traceback only on request
        if args.debug:
            raise
        print(f"{parser.prog}: internal error: {type(error).__name__}: {error} — "
              "rerun with --debug for the traceback and report it", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="burro: record, train, simulate and drive a self-driving RC car "
                    "(Donkey Car compatible).",
        parents=[_common_options(top_level=True)],
    )
    parser.add_argument("--version", action="version", version=f"burro {burro.__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in command_modules():
        module.register(subparsers, common)
    return parser


def command_modules() -> list:
    names = sorted(info.name for info in pkgutil.iter_modules(burro.cli.__path__)
                   if info.name.startswith("cmd_"))
    return [importlib.import_module(f"burro.cli.{name}") for name in names]


def _common_options(top_level: bool = False) -> argparse.ArgumentParser:
    """-v/-q/--debug, accepted before and after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    default = 0 if top_level else argparse.SUPPRESS
    common.add_argument("-v", "--verbose", action="count", default=default,
                        help="say more (repeat for debug logs)")
    common.add_argument("-q", "--quiet", action="count", default=default,
                        help="say less: warnings and errors only")
    common.add_argument("--debug", action="store_true",
                        default=False if top_level else argparse.SUPPRESS,
                        help="show the full traceback on errors")
    return common


def _program_name() -> str:
    name = sys.argv[0].rsplit("/", 1)[-1] if sys.argv and sys.argv[0] else "burro"
    return "donkey" if name == "donkey" else "burro"


def _setup_logging(verbosity: int) -> None:
    level = {-1: logging.WARNING, 0: logging.INFO, 1: logging.DEBUG}.get(
        max(-1, min(verbosity, 1)))
    if verbosity <= -2:
        level = logging.ERROR
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("burro")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"burro: {record.levelname.lower()}: {message}"
        return message
