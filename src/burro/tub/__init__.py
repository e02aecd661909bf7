"""Tub data layer: Donkey Car v2 tubs (read/write), v1 import, soft delete, crash safety."""

from burro.tub.problems import Problem, TubError
from burro.tub.reader import open_tubs, tub_paths
from burro.tub.record import Record
from burro.tub.tub import Tub

__all__ = ["Problem", "Record", "Tub", "TubError", "open_tubs", "tub_paths"]
