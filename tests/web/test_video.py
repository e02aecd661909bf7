"""/video: a placeholder before the first frame, then each new frame exactly once per viewer,
encoded once for all viewers, and no frame when nothing new came."""

import asyncio
import io

import numpy as np
from PIL import Image
from tests.web.webkit import Mjpeg, run, serving, settle, tick


def frame(value: int) -> np.ndarray:
    image = np.zeros((120, 160, 3), np.uint8)
    image[:, :, 0] = value  # a red level per frame, readable back from the JPEG
    return image


def red(jpeg: bytes) -> int:
    return int(np.asarray(Image.open(io.BytesIO(jpeg)))[:, :, 0].mean().round())


def test_placeholder_then_each_new_frame_exactly_once_to_every_viewer(tmp_path):
    frames = 12
    with serving(tmp_path, image_size=(160, 120)) as part:
        async def client():
            viewers = [await Mjpeg.open(part) for _ in range(3)]
            for viewer in viewers:
                placeholder = await viewer.frame()
                assert Image.open(io.BytesIO(placeholder)).size == (160, 120)
                assert red(placeholder) == 96  # grey
            levels = [20 * n for n in range(1, frames + 1)]
            for n, level in enumerate(levels):
                image = frame(level)
                tick(part, "user", False, image=image, frame_time=float(n))
                tick(part, "user", False, image=image, frame_time=float(n))  # same frame again
                received = [red(await viewer.frame()) for viewer in viewers]
                assert all(abs(value - level) <= 2 for value in received), (level, received)
            await settle(0.2)
            for viewer in viewers:  # nothing more: no duplicate of the last frame
                assert viewer.body == bytearray()
                try:
                    await viewer.frame(timeout=0.3)
                except TimeoutError:
                    pass
                else:
                    raise AssertionError("a part without a new frame")
                viewer.close()

        run(client())
        assert part.app.video.sequence == frames
        assert part.app.video.encoded == frames  # once per frame, not once per viewer


def test_a_burst_faster_than_a_viewer_never_duplicates_and_ends_on_the_newest(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            viewer = await Mjpeg.open(part)
            await viewer.frame()  # the placeholder
            for n in range(1, 11):
                tick(part, "user", False, image=frame(20 * n), frame_time=float(n))
            seen = []
            while True:
                try:
                    seen.append(red(await viewer.frame(timeout=0.5)))
                except TimeoutError:
                    break
            assert 1 <= len(seen) <= 10
            assert seen == sorted(set(seen))  # increasing: no part twice
            assert abs(seen[-1] - 200) <= 2
            viewer.close()

        run(client())


def test_a_viewer_that_leaves_is_counted_out(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            viewer = await Mjpeg.open(part)
            await viewer.frame()
            assert part.app.video.viewers == 1
            viewer.close()
            for _ in range(50):
                await asyncio.sleep(0.02)
                if part.app.video.viewers == 0:
                    break
            assert part.app.video.viewers == 0
            tick(part, "user", False, image=frame(50), frame_time=1.0)
            await settle(0.1)
            assert part.app.video.encoded == 0  # nobody watches: nothing encoded

        run(client())


def test_greyscale_frames_are_streamed(tmp_path):
    with serving(tmp_path) as part:
        async def client():
            viewer = await Mjpeg.open(part)
            await viewer.frame()
            tick(part, "user", False, image=np.full((120, 160, 1), 200, np.uint8),
                 frame_time=1.0)
            jpeg = await viewer.frame()
            assert Image.open(io.BytesIO(jpeg)).mode == "L"
            viewer.close()

        run(client())
