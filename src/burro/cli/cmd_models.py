"""`burro models ls|types`: the trained-pilot database and the registered model types."""

import argparse
import json
import time

from burro.cli.options import add_config_options, config_from_args


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("models", parents=[common],
                                   help="list trained pilots and model types",
                                   description="List trained pilots and model types.")
    commands = parser.add_subparsers(title="models commands", metavar="ACTION", required=True)

    ls = commands.add_parser("ls", parents=[common],
                             help="the pilots in <MODELS_PATH>/database.json")
    add_config_options(ls)
    ls.add_argument("--json", action="store_true", help="print the rows as JSON")
    ls.set_defaults(handler=list_models)

    types = commands.add_parser("types", parents=[common], help="the model types --type accepts")
    types.set_defaults(handler=list_types)


def list_models(args: argparse.Namespace) -> int:
    from burro.training.database import database_path, read_database

    cfg = config_from_args(args)
    models_dir = cfg.path("MODELS_PATH")
    rows = read_database(models_dir)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print(f"no trained pilots yet ({database_path(models_dir)} is missing or empty)")
        return 0
    print(_table(rows))
    return 0


def list_types(args: argparse.Namespace) -> int:
    from burro.models import get_model_type, model_types

    for name in model_types():
        doc = (type(get_model_type(name)).__doc__ or "").strip().splitlines()
        print(f"{name:<12} {doc[0] if doc else ''}")
    return 0


_COLUMNS = ("Number", "Name", "Type", "Time", "Records", "Epochs", "BestValLoss", "Tubs",
            "Transfer", "Comment")


def _table(rows: list[dict]) -> str:
    cells = [[_cell(column, row.get(column)) for column in _COLUMNS] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells))
              for i, column in enumerate(_COLUMNS)]
    lines = ["  ".join(column.ljust(width) for column, width in zip(_COLUMNS, widths)).rstrip()]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
              for line in cells]
    return "\n".join(lines)


def _cell(column: str, value) -> str:
    if value is None:
        return "-"
    if column == "Time" and isinstance(value, int | float):
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(value))
    if column == "BestValLoss" and isinstance(value, int | float):
        return f"{value:.4f}"
    text = str(value)
    return text if len(text) <= 40 else "..." + text[-37:]
