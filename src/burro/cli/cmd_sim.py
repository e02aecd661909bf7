"""`burro sim record|drive|view`: the built-in simulator (see docs/sim.md)."""

from __future__ import annotations

import argparse
import time
from contextlib import nullcontext

from burro.cli.arguments import typed
from burro.cli.options import add_config_options, config_from_args
from burro.config import KEYS_BY_NAME
from burro.config.types import POSITIVE_INT
from burro.errors import BurroError
from burro.files import check_figure_name, check_output_name


def _track_help() -> str:
    from burro.sim.tracks import TRACKS

    *first, last = TRACKS.names()
    return f"{', '.join(first)} or {last} (default: SIM_TRACK)"


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("sim", parents=[common], help="built-in simulator: record, "
                                   "drive a pilot, view", description="The built-in simulator.")
    commands = parser.add_subparsers(title="sim commands", metavar="ACTION", required=True)

    record = commands.add_parser("record", parents=[common], help="the expert drives laps into a tub",
                                 description="The expert driver drives laps; a tub records them.")
    _add_sim_options(record)
    record.add_argument("--tub", required=True, metavar="PATH", help="tub folder to create or append to")
    record.add_argument("--laps", type=typed(POSITIVE_INT), default=10, help="laps to drive (default 10)")
    record.add_argument("--lane", choices=["left", "right", "switch"],
                        help="two_lane track: keep a lane or change lanes (records behavior/*)")
    record.add_argument("--labels", choices=["intended", "executed"], default="intended",
                        help="record the expert's commands as intended (straight back to its "
                             "line; default) or as executed (with its noise and drifts)")
    record.set_defaults(handler=record_command)

    drive = commands.add_parser("drive", parents=[common], help="a trained pilot drives closed-loop",
                                description="A trained pilot drives laps; prints how it drove.")
    _add_sim_options(drive)
    drive.add_argument("--model", required=True, metavar="PATH", help=".keras, .h5, .tflite or .onnx")
    drive.add_argument("--type", dest="model_type", metavar="TYPE",
                       help="model type; needed only for a pilot trained by Donkey (no .json)")
    drive.add_argument("--laps", type=typed(POSITIVE_INT), default=10, help="laps to drive (default 10)")
    drive.add_argument("--mode", choices=["local", "local_angle"], default="local",
                       help="local: pilot steers and throttles; local_angle: pilot steers, "
                            "expert throttles")
    drive.add_argument("--lane", choices=["left", "right", "switch"],
                       help="two_lane track: lane to drive in; a behavior pilot is told the "
                            "expert's lane (switch: it changes every few seconds)")
    drive.add_argument("--video", metavar="MP4", help="write the camera frames as a video")
    drive.add_argument("--report", metavar="JSON", help="write the report as JSON")
    drive.add_argument("--plot", metavar="PNG", help="write the track map with the driven path")
    drive.set_defaults(handler=drive_command)

    view = commands.add_parser("view", parents=[common], help="PNG of camera frames and the track",
                               description="Write a PNG of what the car sees round one lap.")
    _add_sim_options(view)
    view.add_argument("--out", default="sim-view.png", metavar="PNG", help="default sim-view.png")
    view.add_argument("--frames", type=typed(POSITIVE_INT), default=6, help="camera frames (default 6)")
    view.add_argument("--lane", choices=["left", "right"], help="two_lane track: lane to drive in")
    view.set_defaults(handler=view_command)


def _add_sim_options(parser: argparse.ArgumentParser) -> None:
    add_config_options(parser)
    group = parser.add_argument_group("simulator")
    group.add_argument("--track", help=_track_help())
    group.add_argument("--seed", type=_key_type("SIM_SEED"),
                       help="seed of the expert's noise and the look (default: SIM_SEED)")
    group.add_argument("--max-steps", type=typed(POSITIVE_INT), metavar="N",
                       help="stop after N steps")
    group.add_argument("--latency", type=_key_type("SIM_ARTIFICIAL_LATENCY"), metavar="MS",
                       help="control latency in ms (default: SIM_ARTIFICIAL_LATENCY)")
    group.add_argument("--randomise", action="store_true",
                       help="domain randomisation of the look (default: SIM_DOMAIN_RANDOMISATION)")


def _key_type(name: str):
    """The option takes the values the config key of the same meaning takes."""
    return typed(KEYS_BY_NAME[name].type)


def _settings(args: argparse.Namespace):
    from burro.sim.simulator import SimSettings

    cfg = config_from_args(args)
    if cfg.IMAGE_DEPTH != 3:
        raise BurroError("the simulator renders RGB", "IMAGE_DEPTH", "set IMAGE_DEPTH = 3")
    settings = SimSettings.from_config(cfg, track=args.track, seed=args.seed,
                                       latency_ms=args.latency,
                                       randomise=True if args.randomise else None)
    return cfg, settings


def record_command(args: argparse.Namespace) -> int:
    from burro.sim.record import record_laps, style_from_config

    cfg, settings = _settings(args)
    started = time.perf_counter()
    result = record_laps(settings, args.tub, args.laps, lane=args.lane,
                         style=style_from_config(cfg), behaviors=cfg.BEHAVIOR_LIST,
                         start_lane=cfg.SIM_EXPERT_START_LANE,
                         max_steps=args.max_steps, labels=args.labels,
                         jpeg_quality=cfg.JPEG_QUALITY,
                         max_catalog_len=cfg.MAX_CATALOG_LEN,
                         on_lap=lambda t: print(f"lap {t.lap_count}: {t.lap_times[-1]:.2f} s",
                                                flush=True))
    print(f"recorded {result.records} records, {result.laps} laps on {settings.track} into "
          f"{args.tub} ({result.mean_speed:.2f} m/s mean, {result.off_track} off-track, "
          f"{time.perf_counter() - started:.1f} s)")
    return 0


def drive_command(args: argparse.Namespace) -> int:
    from burro import pilots
    from burro.sim.evaluate import VideoWriter, drive, plot_drive, write_report
    from burro.sim.record import style_from_config

    cfg, settings = _settings(args)
    for option in ("video", "report", "plot"):
        if getattr(args, option):
            check_output_name(getattr(args, option), f"--{option}")
    if args.plot:
        check_figure_name(args.plot, "--plot")
    video = VideoWriter(args.video, settings.hz) if args.video else None  # checks the name
    pilot = pilots.load(args.model, model_type=args.model_type, cfg=cfg)
    behaviors = _behaviors_fed(pilot, args)
    with video or nullcontext():
        report = drive(pilot.run, settings, args.laps, mode=args.mode, lane=args.lane,
                       style=style_from_config(cfg), max_steps=args.max_steps,
                       on_frame=video.add if video else None, model=str(args.model),
                       behaviors=behaviors)
    print(report.summary())
    if args.video:
        print(f"video: {args.video}")
    if args.report:
        write_report(report, args.report)
        print(f"report: {args.report}")
    if args.plot:
        from burro.sim.track import load_track

        plot_drive(report, load_track(settings.track), args.plot)
        print(f"plot: {args.plot}")
    return 0


def _behaviors_fed(pilot, args: argparse.Namespace) -> list[str] | None:
    """BEHAVIOR_LIST when the pilot takes the behaviour vector (the simulator feeds it the
    expert's lane), None for an image-only pilot; other extra inputs are refused."""
    from burro.models.types.behavior import BEHAVIOR_KEY

    keys = [extra.key for extra in pilot.extra_inputs]
    if not keys:
        if args.lane == "switch":
            raise BurroError("--lane switch needs a behavior pilot (it is told which lane)",
                             str(args.model), "give --lane left or right")
        return None
    if keys != [BEHAVIOR_KEY]:
        raise BurroError(f"the simulator cannot feed the pilot's inputs {', '.join(keys)}",
                         str(args.model), "drive it on the car")
    if args.lane is None:
        raise BurroError("a behavior pilot needs the lane it is told to keep", "--lane",
                         "give --lane left, right or switch on the two_lane track")
    (extra,) = pilot.extra_inputs
    return list(extra.labels) or ["Left_Lane", "Right_Lane"]


def view_command(args: argparse.Namespace) -> int:
    from burro.sim.view import camera_strip

    if args.out:
        check_output_name(args.out, "--out")
    _, settings = _settings(args)
    path = camera_strip(settings, args.frames, args.out, lane=args.lane)
    print(f"wrote {path}")
    return 0
