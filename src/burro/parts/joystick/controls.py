"""What the start-up print says about a pad: its controls table, and why a pad does not fit
its map."""

from __future__ import annotations

from typing import Any

from burro.parts.joystick.mapping import ACTIONS, ControllerMap


def controls_lines(controller: Any) -> list[str]:
    """`control  action` rows for the controller's map, with the hooks as set now."""
    cmap: ControllerMap = controller.map
    pad = controller.pad
    direction = "up" if pad.throttle_dir < 0 else "down"
    rows = [(cmap.steering, f"steering (x {pad.steering_scale:g})"),
            (cmap.throttle, f"throttle (max {pad.throttle_scale:.2f}, forward = stick "
                            f"{direction})")]
    forward, reverse = cmap.throttle_triggers
    rows += [(trigger, f"throttle {way} (pull)") for trigger, way in
             ((forward, "forward"), (reverse, "reverse")) if trigger]
    controls = sorted(cmap.controls, key=_control_order(cmap))
    for control in controls:
        action = controller.action_for(control)
        if action is not None:
            rows.append((control, ACTIONS[action].format(erase=controller.erase_count)))
    width = max(len(control) for control, _ in rows)
    head = (f"joystick: {cmap.title} (CONTROLLER_TYPE {cmap.name}) on "
            f"{controller.device.path}; recording "
            + ("follows the throttle (AUTO_RECORD_ON_THROTTLE)" if pad.auto_record_on_throttle
               else "by its button"))
    return [head] + [f"  {control:<{width}}  {what}" for control, what in rows]


def _control_order(cmap: ControllerMap):
    order = {name: code for code, name in cmap.buttons.items()}
    return lambda control: (order.get(control, 0x1000), control)


def unmapped_reason(cmap: ControllerMap, device: Any) -> str | None:
    """Why the pad `device` reports does not fit `cmap`, or None (also when it cannot tell)."""
    if not cmap.matches_name(device.name):
        return f"its name is not one of a {cmap.title}"
    if device.axis_codes is None:
        return None
    for role, axis in (("steering", cmap.steering), ("throttle", cmap.throttle)):
        code = cmap.axis_code(axis)
        if code not in device.axis_codes:
            return f"it has no axis 0x{code:02x} ({axis}) for {role}"
    return None
