"""The text of a new car's config.py (every key of the key table, with its default and its
meaning, by section) and myconfig.py (the same lines, commented out)."""

from __future__ import annotations

import pprint
from typing import Any

from burro.config import KEYS

CAR_PATH_LINE = "CAR_PATH = os.path.dirname(os.path.realpath(__file__))"
"""The car folder is where config.py lies (burro resolves DATA_PATH/MODELS_PATH from it)."""

CONFIG_HEADER = '''"""Car config: every key burro knows, with its default (written by `burro createcar`,
template {template}).

Leave this file as it is and change values in myconfig.py, which is loaded after it:
a later `burro createcar --overwrite` rewrites this file, never your myconfig.py edits
unless you ask. `burro config check` validates both; `burro config show` lists the values.
"""

import os
'''

MYCONFIG_HEADER = '''"""My car's settings: uncomment a line and change its value; it overrides config.py.

Every key is here, commented out, with config.py's value (template {template}).
"""

import os
'''


def config_text(template: str, values: dict[str, Any]) -> str:
    return CONFIG_HEADER.format(template=template) + "\n".join(_key_lines(values, template, "")) + "\n"


def myconfig_text(template: str, values: dict[str, Any]) -> str:
    return MYCONFIG_HEADER.format(template=template) + "\n".join(_key_lines(values, template, "# ")) + "\n"


def _key_lines(values: dict[str, Any], template: str, prefix: str) -> list[str]:
    lines: list[str] = []
    section = None
    for key in KEYS:
        if key.section != section:
            section = key.section
            lines += ["", "", f"# ---- {section} " + "-" * max(3, 84 - len(section))]
        meaning = " ".join(key.meaning.split())
        lines.append(f"# {meaning}")
        if key.name == "CAR_PATH":
            lines.append(prefix + CAR_PATH_LINE)
            continue
        if key.name in values:
            lines[-1] += f"  [set by the {template} template]"
        text = pprint.pformat(values.get(key.name, key.default), width=88, sort_dicts=False)
        lines += [prefix + line for line in f"{key.name} = {text}".splitlines()]
    return lines
