"""Reading a still image safely: its size is checked from the header before any decoding.

A 600 KB PNG can say it is 25000x25000 pixels and take gigabytes once decoded, so the
width and height are read from the file's own header (PNG, JPEG, GIF, BMP, WebP) and an
image over MAX_PIXELS is refused in one sentence. Nothing is written anywhere.
"""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

from kiosk.errors import KioskError

MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest a phone or scanner makes
MAX_BYTES = 80 * 1024 * 1024
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class ImageTooLarge(KioskError):
    """A still image bigger than the kiosk will decode."""


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    kind = data[12:16]
    if kind == b"VP8X" and len(data) >= 30:
        return (int.from_bytes(data[24:27], "little") + 1,
                int.from_bytes(data[27:30], "little") + 1)
    if kind == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, JPEG, GIF, BMP or WebP; None if unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    return None


def decode_still(data: bytes, *, name: str = "The image",
                 max_pixels: int = MAX_PIXELS) -> np.ndarray | None:
    """Decode image bytes to BGR after the size check; None when it is not an image."""
    size = image_size(data)
    if size is not None and size[0] * size[1] > max_pixels:
        raise ImageTooLarge(
            f"{name} is {size[0]}x{size[1]} pixels, more than the kiosk reads"
            f" ({max_pixels // 1_000_000} million); use a smaller photo.")
    if not data:
        return None
    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        return None
    return image if image is not None and image.size else None


def read_still(path: Path | str, *, max_pixels: int = MAX_PIXELS) -> np.ndarray | None:
    """Read and decode an image file after the size checks; None when it is not an image."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise ImageTooLarge(f"{file.name} is over {MAX_BYTES // (1024 * 1024)} MB;"
                                " use a smaller photo.")
        data = file.read_bytes()
    except OSError:
        return None
    return decode_still(data, name=file.name, max_pixels=max_pixels)
