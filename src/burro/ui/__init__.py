"""`burro ui`: the easy, GUI way — tub manager, trainer, pilot arena and car connector in a
local web app (docs/ui.md).

The server (`burro.ui.app`) is Tornado on 127.0.0.1 by default; each screen is one entry of
`burro.ui.screens.SCREENS` (its API routes and its page script `static/<name>.js`), sharing one
`burro.ui.context.UiContext`: the opened car folder, its config and the opened tubs, and the
rule that every path the browser names resolves inside the folders the user opened.
"""
