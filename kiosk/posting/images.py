"""Decode a photo in memory and write a copy with every piece of metadata removed.

The copy is the pixels re-encoded by OpenCV (which writes no EXIF, IPTC, XMP, ICC or
thumbnail), turned upright first because the orientation tag goes with the metadata.
The original is never opened for writing; the copy is checked before it is kept.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from kiosk.errors import KioskError
from kiosk.posting.metadata import read_metadata
from kiosk.security.files import write_private

MAX_BYTES = 64 * 1024 * 1024
ENCODINGS = {".jpg": [cv2.IMWRITE_JPEG_QUALITY, 95], ".jpeg": [cv2.IMWRITE_JPEG_QUALITY, 95],
             ".png": [cv2.IMWRITE_PNG_COMPRESSION, 6], ".webp": [cv2.IMWRITE_WEBP_QUALITY, 95]}


class ImageError(KioskError):
    """A photo could not be read or its clean copy could not be written."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, with a plain message when it is missing, unreadable or huge."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImageError(f"{path.name} is too large to check (over 64 MB).")
        return path.read_bytes()
    except IsADirectoryError as error:
        raise ImageError(f"{path} is a folder, not a photo.") from error
    except FileNotFoundError as error:
        raise ImageError(f"There is no file {path}.") from error
    except PermissionError as error:
        raise ImageError(f"{path} cannot be read (permission denied).") from error


def decode(data: bytes) -> np.ndarray:
    """The photo's pixels, upright (EXIF orientation applied), as BGR."""
    pixels = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if pixels is None:
        raise ImageError("The photo's pixels could not be decoded (damaged or not an image).")
    return pixels


def clean_copy(pixels: np.ndarray, source: Path, out: Path) -> Path:
    """Write `pixels` to `out` with no metadata (0600, atomically); refuse to touch `source`."""
    suffix = out.suffix.lower()
    if suffix not in ENCODINGS:
        raise ImageError("The clean copy must be named .jpg, .png or .webp.")
    if out.exists() and (out.is_dir() or out.samefile(source)):
        raise ImageError("The clean copy needs a new file name: the original is never changed.")
    ok, encoded = cv2.imencode(suffix, pixels, ENCODINGS[suffix])
    if not ok:
        raise ImageError("The clean copy could not be encoded.")
    data = encoded.tobytes()
    if not read_metadata(data).empty:
        raise ImageError("The clean copy still carried metadata, so it was not written.")
    return write_private(out, data)
