"""The Tub Manager screen: scrub, clean, filter and plot the opened tubs (docs/ui-tubs.md).
Its handlers live in `burro.ui.tubs.handlers` (imported when the server starts)."""

from burro.ui.screens import SCREENS


@SCREENS.register("tubs")
class TubsScreen:
    title = "Tub Manager"
    script = "tubs.js"

    def routes(self, ui) -> list[tuple]:
        from burro.ui.tubs.handlers import routes

        return routes(ui)
