"""The pad's erase button on the real tub writer."""

import numpy as np
from tests.parts.joystick.padkit import FakePad, fifo_in, make, running, tick

from burro.parts.joystick.maps import controller_map
from burro.parts.tub_writer import TubWriterPart, recorded_keys
from burro.tub import Tub


def test_triangle_soft_deletes_the_last_records_of_the_tub(tmp_path):
    inputs, types = recorded_keys(False)
    writer = TubWriterPart(Tub(tmp_path / "tub", inputs, types), erase_last_n_records=100)
    image = np.zeros((12, 16, 3), dtype=np.uint8)
    ps3 = controller_map("ps3")
    controller = make(fifo_in(tmp_path), ps3)
    controller.erase_last_n = writer.erase_last_n
    with running(controller):
        pad = FakePad(tmp_path / "js0", ps3)
        pad.connect()
        for i in range(130):
            out = tick(controller)
            writer.run(True, i * 0.05, image, out["angle"], out["throttle"], out["mode"])
        pad.send(controller, pad.press("triangle"))
    writer.shutdown()
    kept = [record.index for record in Tub(tmp_path / "tub")]
    assert kept == list(range(30))
