"""`burro train` (and `donkey train`): train a pilot on one or more tubs."""

import argparse

from burro.cli.options import add_config_options, config_from_args
from burro.errors import BurroError


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "train", parents=[common], help="train a pilot on tubs",
        description="Train a Keras pilot on one or more tubs and write the model, its "
                    ".tflite/.onnx exports, metadata, loss plot and a database row.")
    parser.add_argument("--tub", nargs="+", action="extend", required=True, metavar="PATHS",
                        help="tub folders, globs ('./data/*') or comma lists; repeatable")
    parser.add_argument("--model", metavar="PATH",
                        help="model file to write, .keras or .h5 "
                             "(default: <MODELS_PATH>/pilot_YY-MM-DD_N.keras)")
    parser.add_argument("--type", dest="model_type", metavar="TYPE",
                        help="model type (default: behavior with TRAIN_BEHAVIORS = True, else "
                             "DEFAULT_MODEL_TYPE; see `burro models types`)")
    parser.add_argument("--transfer", metavar="PATH",
                        help="start from this trained model's weights (see FREEZE_LAYERS)")
    parser.add_argument("--comment", help="free text stored in the model database")
    parser.add_argument("--split", choices=("session", "random"),
                        help="validation split: whole sessions / time blocks, or Donkey's "
                             "random records (default: TRAIN_SPLIT)")
    parser.add_argument("--no-cache", dest="cache", action="store_false", default=None,
                        help="decode the images every epoch instead of keeping them in RAM")
    parser.add_argument("--no-save-on-interrupt", dest="save_on_interrupt",
                        action="store_false", default=True,
                        help="on Ctrl-C, save nothing (default: save the best epoch so far)")
    parser.add_argument("--progress", metavar="FILE",
                        help="append the run's progress to FILE as JSON lines (epochs, "
                             "losses; see docs/training.md)")
    parser.add_argument("--framework", choices=("tensorflow",), default="tensorflow",
                        help="accepted for Donkey compatibility; burro trains with TensorFlow")
    add_config_options(parser)
    parser.set_defaults(handler=run_train)


def run_train(args: argparse.Namespace) -> int:
    cfg = config_from_args(args)
    if cfg.DEFAULT_AI_FRAMEWORK != "tensorflow":
        raise BurroError(f"framework {cfg.DEFAULT_AI_FRAMEWORK!r} is not supported",
                         "DEFAULT_AI_FRAMEWORK", "set it to 'tensorflow' (burro trains with Keras)")
    from burro.cli.main import EXIT_INTERRUPTED
    from burro.training import loop  # the inputs are checked before TensorFlow loads

    result = loop.train(cfg, args.tub, model_path=args.model, model_type=args.model_type,
                        transfer=args.transfer, comment=args.comment, split=args.split,
                        cache=args.cache, save_on_interrupt=args.save_on_interrupt,
                        progress=args.progress)
    print("\n".join(loop.summary_lines(result)))
    return EXIT_INTERRUPTED if result.interrupted else 0
