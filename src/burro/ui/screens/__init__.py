"""The screens of `burro ui`, one module each, registered by name (the order of `ORDER` is
the order of the tabs).

A screen is a class with `title` (the tab's label), `script` (its page module under
`burro/ui/static/`, an ES module exporting `mount(element, api)`) and `routes(ui)` returning
Tornado routes `(pattern, handler, kwargs)` under `/api/<name>/…`; its handlers derive from
`burro.ui.app.UiHandler` (token check, JSON in and out, one-line errors).
"""

from burro.registry import Registry

SCREENS = Registry("UI screen", "burro.ui.screens", where="burro ui", instances=True)
ORDER = ("tubs", "trainer", "arena", "car")
"""Tab order; a registered screen not listed here comes after these."""


def ordered_names() -> list[str]:
    names = SCREENS.names()
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]
