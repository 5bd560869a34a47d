"""OpenCV's QR detectors behind the Decoder interface: measured candidates, not the default.

Kept so the benchmark can compare them with zxing-cpp on the same frames. OpenCV can raise
`UnicodeDecodeError` on non-UTF-8 payloads; that becomes a code whose text is the
replacement character, which the pass parser reports as `not_a_pass`.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.scanner.decode import to_grey
from kiosk.scanner.results import Corners, DecodedCode

UNREADABLE_TEXT = "\ufffd"


def _corners(points: np.ndarray) -> Corners:
    return tuple((float(x), float(y)) for x, y in points.reshape(4, 2))  # type: ignore[return-value]


class OpenCVDecoder:
    """cv2.QRCodeDetector (classic) or cv2.QRCodeDetectorAruco, multi-code, on grey."""

    def __init__(self, aruco: bool = False) -> None:
        self.name = "opencv-aruco" if aruco else "opencv"
        self._detector = cv2.QRCodeDetectorAruco() if aruco else cv2.QRCodeDetector()

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Return the codes OpenCV decodes; undecodable detections are left out."""
        grey = to_grey(image)
        if grey.shape[0] < 21 or grey.shape[1] < 21:
            return []
        try:
            ok, texts, points, _ = self._detector.detectAndDecodeMulti(grey)
        except UnicodeDecodeError:
            return [DecodedCode(UNREADABLE_TEXT, b"", ((0.0, 0.0),) * 4, self.name)]
        except cv2.error:
            return []
        if not ok or points is None:
            return []
        return [
            DecodedCode(text, text.encode("utf-8"), _corners(pts), self.name)
            for text, pts in zip(texts, points, strict=False)
            if text
        ]
