"""The shell scripts the car connector runs on the car (with `sh -c`), and the parsing of
what they print. Every name in them is checked (burro.ui.car.remote) and quoted."""

from __future__ import annotations

import shlex
from typing import Any

from burro.ui.car.remote import Remote

_LIST = r"""cd {car} 2>/dev/null || exit 0
echo car
[ -f manage.py ] && echo manage
tub() {{
  printf 'tub\t%s\t%s\t%s\n' "$1" "$(du -sk "$2" | cut -f1)" "$(ls "$2/images" 2>/dev/null | wc -l)"
}}
[ -f data/manifest.json ] && tub . data
for d in data/*/; do
  d=${{d%/}}; [ -f "$d/manifest.json" ] && tub "${{d#data/}}" "$d"
done
for f in models/*; do
  [ -f "$f" ] && printf 'pilot\t%s\t%s\n' "${{f#models/}}" "$(wc -c < "$f")"
done
exit 0
"""

_DRIVE = r"""cd {car} || {{ echo "burro ui: no car folder {car_text} on the car"; exit 3; }}
[ -x {python} ] || {{ echo "burro ui: no Python at {python_text} on the car (PI_PYTHON)"; exit 3; }}
exec 3<&0
echo "PID: $$"
(cat <&3 >/dev/null 2>&1; kill -INT $$ 2>/dev/null) >/dev/null 2>&1 &
exec {python} -u manage.py drive{options} </dev/null 3<&-
"""
"""manage.py drive in the car folder, in the foreground with the shell's PID (printed first).
A watcher in the background reads the connection's input: when it ends — the page's Stop
closes it, and so does a lost connection or a burro ui that quit — it sends SIGINT, which
manage.py handles as Ctrl-C (actuators to neutral, tub closed, timings printed)."""


def list_script(remote: Remote) -> str:
    return _LIST.format(car=remote.car_shell())


def drive_script(remote: Remote, pilot: str | None, model_type: str | None) -> str:
    options = ""
    if pilot:
        options += " --model " + shlex.quote(f"models/{pilot}")
    if model_type:
        options += " --type " + shlex.quote(model_type)
    # the *_text copies go inside double quotes: a checked path holds no quote, $ or `
    return _DRIVE.format(car=remote.car_shell(), car_text=remote.car_dir,
                         python=remote.python_shell(), python_text=remote.python,
                         options=options)


def parse_listing(output: str) -> dict[str, Any]:
    tubs, pilots, car, manage = [], [], False, False
    for line in output.splitlines():
        fields = line.split("\t")
        if fields == ["car"]:
            car = True
        elif fields == ["manage"]:
            manage = True
        elif fields[0] == "tub" and len(fields) == 4:
            tubs.append({"name": fields[1], "kb": _int(fields[2]), "images": _int(fields[3])})
        elif fields[0] == "pilot" and len(fields) == 3:
            pilots.append({"name": fields[1], "bytes": _int(fields[2])})
    return {"car": car, "manage": manage, "tubs": tubs, "pilots": pilots}


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None
