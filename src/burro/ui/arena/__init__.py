"""The Pilot Arena's logic: the opened tubs' frames, pilots loaded once and run on them, the
augmentation/transformation preview, and background jobs (predictions over a range, a drive
in the simulator). `burro.ui.screens.arena` serves it; nothing here imports Tornado."""
