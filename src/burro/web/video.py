"""`GET /video`: the camera as MJPEG, each new frame encoded once and sent once per viewer.

The drive loop hands each new frame to the server thread (`IOLoop.add_callback`); there
`VideoHub.new_frame` encodes it to JPEG once (only while someone watches) and wakes every
viewer. A viewer sends the newest frame it has not sent yet and then waits for the next one:
no polling, no duplicates. A viewer whose connection is slower than the camera skips the
frames that arrived while it was still sending (it never queues stale frames). Before the
first frame a grey placeholder of the camera's size is sent.

Donkey's format: `multipart/x-mixed-replace;boundary=--boundarydonotcross`, each part
`--boundarydonotcross\\n`, `Content-type: image/jpeg`, `Content-length: N`, the JPEG.
"""

from __future__ import annotations

import io
from typing import Any

from tornado import locks, web
from tornado.iostream import StreamClosedError

BOUNDARY = "--boundarydonotcross"
CONTENT_TYPE = f"multipart/x-mixed-replace;boundary={BOUNDARY}"
JPEG_QUALITY = 80


def encode_jpeg(image: Any, quality: int = JPEG_QUALITY) -> bytes:
    """An HxWx3 (or HxW, HxWx1) uint8 array as JPEG bytes."""
    import numpy as np
    from PIL import Image

    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.dtype != np.uint8:
        array = np.clip(array, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def placeholder_jpeg(width: int, height: int) -> bytes:
    import numpy as np

    return encode_jpeg(np.full((height, width, 3), 96, dtype=np.uint8))


class VideoHub:
    """The newest frame and its JPEG; used on the server thread only."""

    def __init__(self, width: int = 160, height: int = 120):
        self.size = (width, height)
        self.sequence = 0  # frames received; 0 = none yet
        self.viewers = 0
        self.encoded = 0  # JPEG encodings done (one per frame while watched)
        self.closed = False
        self._image: Any = None
        self._jpeg: bytes | None = None
        self._jpeg_sequence = -1
        self._placeholder: bytes | None = None
        self._changed = locks.Condition()

    def new_frame(self, image: Any) -> None:
        self._image = image
        self.sequence += 1
        if self.viewers:
            self._encode()
        self._changed.notify_all()

    def jpeg(self) -> bytes:
        """The newest frame's JPEG, or the placeholder before the first frame."""
        if self.sequence == 0:
            if self._placeholder is None:
                self._placeholder = placeholder_jpeg(*self.size)
            return self._placeholder
        self._encode()
        return self._jpeg

    async def changed(self) -> None:
        """Wait for the next frame (or a viewer leaving, or the hub closing)."""
        await self._changed.wait()

    def wake(self) -> None:
        self._changed.notify_all()

    def close(self) -> None:
        self.closed = True
        self._changed.notify_all()

    def _encode(self) -> None:
        if self._jpeg_sequence != self.sequence:
            self._jpeg = encode_jpeg(self._image)
            self._jpeg_sequence = self.sequence
            self.encoded += 1


class VideoHandler(web.RequestHandler):
    """Streams the hub's frames until the viewer leaves or the server stops."""

    def initialize(self, hub: VideoHub, check: Any) -> None:
        self.hub = hub
        self.check = check
        self.gone = False

    def prepare(self) -> None:
        self.check(self)

    async def get(self) -> None:
        hub = self.hub
        self.set_header("Content-Type", CONTENT_TYPE)
        self.set_header("Cache-Control", "no-store")
        hub.viewers += 1
        try:
            sent = -1
            while not hub.closed and not self.gone:
                sequence = hub.sequence
                if sequence != sent:
                    await self._send(hub.jpeg())
                    sent = sequence
                else:
                    await hub.changed()
        except StreamClosedError:
            pass
        finally:
            hub.viewers -= 1

    async def _send(self, jpeg: bytes) -> None:
        self.write(f"{BOUNDARY}\nContent-type: image/jpeg\r\nContent-length: {len(jpeg)}\r\n\r\n"
                   .encode())
        self.write(jpeg)
        await self.flush()

    def on_connection_close(self) -> None:
        self.gone = True
        self.hub.wake()  # the viewer's loop wakes and ends
