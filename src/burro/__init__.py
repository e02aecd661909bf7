"""burro: teach a small RC car to drive itself (Donkey Car compatible)."""

__version__ = "0.1.0"
