"""The drive loop: a key/value memory and the parts that read and write it at a fixed rate.

    from burro.vehicle import Vehicle
    V = Vehicle()
    V.add(MyPart(), inputs=["cam/image_array"], outputs=["my/value"])
    V.start(rate_hz=20)
"""

from burro.vehicle.clock import RealClock, SimulatedClock
from burro.vehicle.memory import Memory
from burro.vehicle.vehicle import Vehicle

__all__ = ["Memory", "RealClock", "SimulatedClock", "Vehicle"]
