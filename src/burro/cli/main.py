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
from burro import quiet
from burro.errors import BurroError, first_line

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 1
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    parser.argv = argv
    args = parser.parse_args(argv)
    _setup_logging(args.verbose - args.quiet)
    quiet.show_native_output(args.verbose > 0 or args.debug)
    quiet.hide_native_output_of_imports()
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
    except KeyboardInterrupt as interrupt:  # an Interrupted says what was kept
        kept = f" — {interrupt}" if str(interrupt) else ""
        print(f"{parser.prog}: interrupted{kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        return 0
    except Exception as error:  # a bug of ours: one line, the traceback only on request
        if args.debug:
            raise
        print(f"{parser.prog}: internal error: {type(error).__name__}: {first_line(error)} — "
              "rerun with --debug for the details and report it", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = OneLineErrorParser(
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


class OneLineErrorParser(argparse.ArgumentParser):
    """Usage mistakes are one line too: `burro: error: argument --latency: expected float >= 0,
    got 'nan' — see burro sim drive --help` (argparse would print the usage block first).
    Sub-parsers inherit the class (argparse creates them with `type(parent)`)."""

    def error(self, message: str):
        program = self.prog.split()[0]
        print(f"{program}: error: {first_line(message)} — see {self._command_prog()} --help",
              file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)

    def _command_prog(self) -> str:
        """The sub-command the words on the line name (argparse reports unrecognized
        arguments from the top parser even when they follow `sim record`)."""
        parser = self
        for word in getattr(self, "argv", None) or ():
            commands = [action for action in parser._actions
                        if isinstance(action, argparse._SubParsersAction)]
            if commands and word in commands[0].choices:
                parser = commands[0].choices[word]
        return parser.prog


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
    handler = _StderrHandler()
    handler.setFormatter(_Formatter())
    root = logging.getLogger("burro")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is now (burro.quiet swaps it while hiding C output)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.__init__ sets it; the property wins
        pass


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"burro: {record.levelname.lower()}: {message}"
        return message
