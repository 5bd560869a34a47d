"""A symbol found by its outline: the dark modules closed into one four-sided blob.

Seen at a steep angle, a symbol's finder patterns are squashed until neither zxing-cpp nor
finder_grid.py can tell them, yet the symbol as a whole is still a clear quadrilateral on
its paper. Here the image's dark parts (two adaptive thresholds) are closed over the gaps
between modules (two kernel sizes), every blob that is convex and four-sided is warped
flat and square with a margin for the quiet zone, and zxing-cpp reads it; its error
correction must accept the result. Still images only (docs/scanner.md: rescues and cost).
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from kiosk.scanner.alternatives import View, resized
from kiosk.scanner.results import DecodedCode
from kiosk.scanner.zxing_read import covered, map_points, read_either

NAME = "outline"
_LONGEST = 1000  # the image is searched at most this long
_BLOCKS = (30, 10)  # adaptive threshold blocks: the image's length over these
_KERNELS = (150, 60)  # closing kernels: the image's length over these
_MIN_FRACTION = 1 / 40  # a blob's side is at least this much of the image's length
_MAX_AREA = 0.8  # ... and it covers less than this much of the image
_SOLIDITY = 0.8  # its area over its convex hull's
_SIDES = (240, 400)  # the warped square's side, smaller first
_MARGIN = 0.15  # quiet zone added on each side, as a fraction of that side
_MAX_QUADS = 40  # blobs tried per image


def quads(grey: np.ndarray) -> Iterator[np.ndarray]:
    """Four-sided, convex, solid blobs of closed dark modules: (4, 2) corners each."""
    longest = max(grey.shape)
    smallest = (longest * _MIN_FRACTION) ** 2
    for block in _BLOCKS:
        mask = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                     cv2.THRESH_BINARY_INV, max(11, (longest // block) | 1), 7)
        for kernel in _KERNELS:
            shape = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, longest // kernel),) * 2)
            blobs = cv2.morphologyEx(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, shape),
                                     cv2.MORPH_OPEN, shape)
            contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
            for contour in contours:
                area = cv2.contourArea(contour)
                if not smallest <= area <= _MAX_AREA * grey.size:
                    continue
                hull = cv2.convexHull(contour)
                if area < _SOLIDITY * cv2.contourArea(hull):
                    continue
                poly = cv2.approxPolyDP(hull, 0.04 * cv2.arcLength(hull, True), True)
                if len(poly) == 4:
                    yield poly.reshape(4, 2).astype(np.float32)


def _read_quad(grey: np.ndarray, quad: np.ndarray, to_frame: np.ndarray) -> list[DecodedCode]:
    """The blob warped flat at each size in turn, both binarisers; the first read wins."""
    for side in _SIDES:
        margin = side * _MARGIN
        square = np.array([[margin, margin], [side + margin, margin],
                           [side + margin, side + margin], [margin, side + margin]], np.float32)
        to_flat = cv2.getPerspectiveTransform(quad, square)
        flat = cv2.warpPerspective(grey, to_flat, (int(side + 2 * margin),) * 2,
                                   flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
        codes = read_either(flat, NAME, to_frame @ np.linalg.inv(to_flat))
        if codes:
            return codes
    return []


def outline(view: View) -> list[DecodedCode]:
    """Every four-sided blob of dark modules, warped flat and read."""
    scale = min(1.0, _LONGEST / max(view.grey.shape))
    grey = resized(view.grey, scale)
    to_frame = np.diag([1 / scale, 1 / scale, 1.0])
    found: list[DecodedCode] = []
    for count, quad in enumerate(quads(grey)):
        if count >= _MAX_QUADS:
            break
        if not covered(map_points(quad.astype(np.float64), to_frame), found):
            found += _read_quad(grey, quad, to_frame)
    return found
