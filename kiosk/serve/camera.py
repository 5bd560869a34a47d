"""A tablet's camera frames, decoded on the hub by the same chain as a local camera.

The page sends small JPEG frames over its camera socket, one at a time (the next only
after the hub answered, so a slow link lowers the frame rate instead of building a queue).
Each frame is decoded in memory by kiosk.scanner's decoder and dropped: nothing is written
anywhere. A code seen in consecutive frames is one presentation (kiosk.scanner.dedup).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import cv2
import numpy as np

from kiosk.scanner.decode import Decoder, default_decoder
from kiosk.scanner.dedup import Deduplicator

MAX_FRAME_BYTES = 2_000_000
MAX_SIDE = 1920
MAX_CODE = 512  # characters: longer payloads are cut (the door then refuses them)


class CameraBridge:
    """Turns one page's camera frames into new codes (one per presentation)."""

    def __init__(self, decoder: Decoder | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.decoder = decoder or default_decoder()
        self.dedup = Deduplicator()
        self.clock = clock
        self.seen = 0  # codes in the last frame, repeats included (for the benchmark)

    def frame(self, data: bytes) -> list[str]:
        """Decode one JPEG or PNG frame; the codes that start a new presentation."""
        self.seen = 0
        image = decode_image(data)
        if image is None:
            return []
        now = self.clock()
        texts = [code.text[:MAX_CODE] for code in self.decoder.decode(image)]
        self.seen = len(texts)
        return [text for text in dict.fromkeys(texts) if self.dedup.seen(text, now)]


def decode_image(data: bytes) -> np.ndarray | None:
    """The grey picture in `data`, or None for anything too big or not an image."""
    if not data or len(data) > MAX_FRAME_BYTES:
        return None
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None or max(image.shape) > MAX_SIDE or min(image.shape) < 21:
        return None
    return image
