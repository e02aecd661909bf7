"""The Trainer screen: train a pilot on the opened tubs in a background `burro train`, watch
its epochs, and browse or edit the model database (docs/ui-trainer.md)."""

from typing import Any

from burro.ui.screens import SCREENS


@SCREENS.register("trainer")
class TrainerScreen:
    title = "Trainer"
    script = "trainer.js"

    def routes(self, ui: Any) -> list[tuple]:
        from burro.ui.trainer.handlers import routes
        from burro.ui.trainer.job import Trainer

        return routes(ui, Trainer())
