import ast
import threading
from pathlib import Path

from tests.vehicle import donkey_style_parts as donkey

from burro.vehicle import RealClock, Vehicle


def test_the_donkey_style_file_imports_nothing_from_burro():
    tree = ast.parse(Path(donkey.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"time"}


def test_donkey_style_parts_run_unchanged():
    V = Vehicle(RealClock())
    counter = donkey.ThreadedCounter()
    pair = donkey.SteeringAndThrottle()
    V.add(counter, outputs=["count"], threaded=True)
    V.add(donkey.Doubler(), inputs=["count"], outputs=["user/angle"])
    V.add(pair, inputs=["user/angle"], outputs=["angle", "throttle"])
    V.start(rate_hz=50, max_loop_count=10)
    assert counter.count > 0 and counter.shut and not counter.on
    assert V.mem["user/angle"] % 2 == 0 and V.mem["user/angle"] > 0
    assert V.mem["angle"] == V.mem["user/angle"] and V.mem["throttle"] == 0.5
    assert pair.calls == -1  # its shutdown() ran
    assert not [t for t in threading.enumerate() if t.name.startswith("part ")]
    assert [e.name for e in V.parts] == ["ThreadedCounter", "Doubler", "SteeringAndThrottle"]
