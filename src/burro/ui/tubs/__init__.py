"""The Tub Manager's logic (the screen is `burro.ui.screens.tubs`, the page `static/tubs.js`):
a tub read once into columns (`loaded`), soft delete / restore of index ranges with undo
(`cleaning`), the tub's problems as `burro tub check` finds them (`problems`), and the HTTP
handlers (`handlers`). See docs/ui-tubs.md."""
