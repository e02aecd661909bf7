"""`burro ui` (= `donkey ui`): the tub manager, trainer, pilot arena and car connector as a
local web app in the browser (docs/ui.md)."""

from __future__ import annotations

import argparse
import logging
import secrets
import signal
from pathlib import Path

from burro.cli.arguments import typed
from burro.config import types as t
from burro.errors import BurroError

DEFAULT_PORT = 8886  # Donkey's tub web app's port; 8887 stays free for a car on this machine
LOCAL = ("127.0.0.1", "localhost", "::1")


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "ui", parents=[common], help="the tub manager, trainer, pilot arena and car connector "
                                     "in the browser",
        description="Serve burro's UI on this computer and open it in the browser. It listens "
                    "on 127.0.0.1 only unless --listen says otherwise (then a token is "
                    "required). See docs/ui.md.")
    parser.add_argument("--car", metavar="DIR", help="open this car folder (config.py, "
                                                     "myconfig.py, data/, models/)")
    parser.add_argument("--tub", metavar="DIR", nargs="+", action="extend", default=[],
                        help="open these tubs")
    parser.add_argument("--port", type=typed(t.int_between(0, 65535)), default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT}; 0 = any free one)")
    parser.add_argument("--listen", metavar="ADDR", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; another one, e.g. "
                             "0.0.0.0, requires the token)")
    parser.add_argument("--token", metavar="TOKEN", help="the token (default: none on "
                        "127.0.0.1, a random one elsewhere)")
    parser.add_argument("--root", metavar="DIR", action="append", default=[],
                        help="a folder the browser may open things in (default: your home "
                             "folder; repeat for more)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(handler=run_ui)


def run_ui(args: argparse.Namespace) -> int:
    from burro.ui.context import UiContext
    from burro.web.server import ThreadedServer

    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # refusals are answered, not logged
    token = args.token or ("" if args.listen in LOCAL else secrets.token_urlsafe(16))
    roots = [Path(root) for root in args.root] or [Path.home()]
    roots += [Path(extra).expanduser().resolve() for extra in filter(None, [args.car, *args.tub])]
    ui = UiContext(roots, token=token)
    if args.car:
        ui.open_car(args.car)
    if args.tub:
        ui.open_tubs(args.tub)
    server = ThreadedServer(args.port, args.listen, where="--port")
    url = _url(args.listen, server.port, token)
    print(f"burro ui: {url} (Ctrl-C stops it)", flush=True)
    if not args.no_browser:
        _open_browser(url)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` / systemd stop it as Ctrl-C does
    try:
        server.run(lambda ioloop: _app(ui))
    except KeyboardInterrupt:
        print("burro ui: stopped", flush=True)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _app(ui):
    from burro.ui.app import make_app

    return make_app(ui)


def _url(address: str, port: int, token: str) -> str:
    host = "127.0.0.1" if address in ("", "0.0.0.0", "::") else address
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/" + (f"?token={token}" if token else "")


def _open_browser(url: str) -> None:
    import webbrowser

    try:
        if not webbrowser.open(url):
            print("burro ui: no browser found here; open the address above", flush=True)
    except webbrowser.Error as error:
        raise BurroError(f"cannot start a browser: {error}", "burro ui",
                         "use --no-browser and open the address yourself") from None
