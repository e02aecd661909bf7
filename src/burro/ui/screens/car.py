"""The Car Connector screen: the car over ssh — its connection status, pulling its tubs,
pushing pilots to it, and driving it with a pilot while its output streams in
(docs/ui-car.md). The work is in burro.ui.car."""

from burro.ui.screens import SCREENS


@SCREENS.register("car")
class CarScreen:
    title = "Car Connector"
    script = "car.js"

    def routes(self, ui):
        from burro.ui.car.handlers import routes

        return routes(ui)
