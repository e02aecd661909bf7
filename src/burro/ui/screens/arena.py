"""Pilot Arena: 1-4 pilots on the opened tubs' frames, what they see after augmentations and
transformations, predicted vs recorded over a range, and a drive in the simulator each."""

from burro.ui.screens import SCREENS


@SCREENS.register("arena")
class ArenaScreen:
    title = "Pilot Arena"
    script = "arena.js"

    def routes(self, ui):
        from burro.ui.arena.handlers import routes

        return routes(ui)
