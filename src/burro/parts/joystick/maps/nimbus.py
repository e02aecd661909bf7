"""`nimbus`: SteelSeries Nimbus (Donkey's map, made on a Jetson TX2)."""

from burro.parts.joystick.mapping import ControllerMap
from burro.parts.joystick.maps import CONTROLLER_MAPS

NIMBUS = ControllerMap(
    name="nimbus", title="SteelSeries Nimbus",
    axes={0x00: "lx", 0x01: "ly", 0x02: "rx", 0x05: "ry", 0x10: "hat_x", 0x11: "hat_y"},
    buttons={0x130: "a", 0x131: "b", 0x132: "x", 0x133: "y", 0x134: "L1", 0x135: "R1",
             0x136: "L2", 0x137: "R2"},
    steering="lx", throttle="ry",
    actions={"y": "erase_records", "b": "toggle_mode", "a": "emergency_stop"},
    behavior_control="L1",
    device_pattern=r"nimbus",
    source="Donkey's nimbus map (Nimbus)",
)


@CONTROLLER_MAPS.register("nimbus")
def nimbus(cfg=None) -> ControllerMap:
    return NIMBUS
