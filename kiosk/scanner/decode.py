"""QR decoding: zxing-cpp on the grey frame, with a local retry where a code was seen.

Chosen by measurement (benchmarks/bench_scanner.py): zxing-cpp on a grey frame reads more
and costs less than OpenCV's detectors. zxing-cpp already handles rotation, light-on-dark
and mirrored symbols. A dark, flat frame has its contrast stretched first (cheap to test,
measured to rescue dim-hall frames zxing-cpp does not even detect). When zxing-cpp finds a
symbol it cannot decode (finder patterns seen, error correction failed) we retry on that
region only, upscaled and sharpened (measured to rescue more than contrast equalisation or
another binariser), so empty frames never pay for it. Any payload, including non-UTF-8
bytes, comes back as text; the pass parser later calls anything not ours `not_a_pass`.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

import cv2
import numpy as np
import zxingcpp

from kiosk.scanner.results import Corners, DecodedCode

log = logging.getLogger(__name__)

# Full-size QR only. zxing-cpp 3's `QRCode` is the whole family, Micro QR included, whose
# smallest version has no error correction: measured to misread a bent card as "110003".
# (zxing-cpp 2 has no QRCodeModel2; there `QRCode` already means full-size only.)
QR_FORMATS = getattr(zxingcpp.BarcodeFormat, "QRCodeModel2", zxingcpp.BarcodeFormat.QRCode)
_RETRY_MARGIN = 0.25  # fraction of the symbol's size added around it for the retry crop
_RETRY_MIN_SIDE = 240  # upscale retry crops whose symbol is smaller than this (pixels)
_RETRY_MAX_CROPS = 2  # cap on retries per frame so a busy scene cannot stall the thread
_MIN_SYMBOL_SIDE = 8.0  # pixels: smaller (or degenerate, all-zero) positions are not retried
_DARK_MEAN = 48  # a frame darker than this on average gets its contrast stretched
_DARK_SPAN = 96  # ... when its brightest and darkest parts are closer than this


class Decoder(Protocol):
    """Anything that finds QR codes in an image (a BGR or grey numpy array)."""

    name: str

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Return every code found in the image, with corner points in its pixels."""
        ...


def to_grey(image: np.ndarray) -> np.ndarray:
    """Return a contiguous 8-bit single-channel view of a BGR, BGRA or grey image."""
    img = np.asarray(image)
    if img.dtype != np.uint8:
        img = np.clip(np.nan_to_num(img.astype(np.float64)), 0, 255).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if img.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        if img.shape[2] not in (3, 4):
            img = img[:, :, 0]
        else:
            return cv2.cvtColor(np.ascontiguousarray(img), code)
    if img.ndim != 2:
        raise ValueError("a frame must be a 2-D grey or 3-D colour image")
    return np.ascontiguousarray(img)


def lift_dark(grey: np.ndarray) -> np.ndarray:
    """Stretch the contrast of a dark, flat frame (a dim hall, a camera without gain).

    Decided on a sparse sample, so a normal frame costs microseconds; the geometry is
    unchanged, so corner points stay valid.
    """
    sample = grey[::8, ::8]
    if sample.size == 0 or float(sample.mean()) >= _DARK_MEAN:
        return grey
    lo, hi = np.percentile(sample, (1.0, 99.5))
    if hi - lo >= _DARK_SPAN:
        return grey
    lut = np.clip((np.arange(256) - lo) * (255.0 / max(hi - lo, 8.0)), 0, 255).astype(np.uint8)
    return cv2.LUT(grey, lut)


def _corners(position: zxingcpp.Position, scale: float = 1.0, dx: float = 0.0,
             dy: float = 0.0) -> Corners:
    pts = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return tuple((p.x / scale + dx, p.y / scale + dy) for p in pts)  # type: ignore[return-value]


def _centre(corners: Corners) -> tuple[float, float]:
    return (sum(p[0] for p in corners) / 4.0, sum(p[1] for p in corners) / 4.0)


def _covered(corners: Corners, found: list[DecodedCode]) -> bool:
    """True when a decoded code already sits where this failed detection is."""
    cx, cy = _centre(corners)
    for code in found:
        xs = [p[0] for p in code.corners]
        ys = [p[1] for p in code.corners]
        if min(xs) <= cx <= max(xs) and min(ys) <= cy <= max(ys):
            return True
    return False


class ZxingDecoder:
    """zxing-cpp on the grey frame; retries failed detections on an enhanced crop."""

    def __init__(self, *, retry: bool = True, try_invert: bool = True,
                 try_downscale: bool = True) -> None:
        self.retry = retry
        self.try_invert = try_invert
        self.try_downscale = try_downscale
        self.name = "zxing+retry" if retry else "zxing"
        self.retries = 0  # how many retry crops were tried (for the benchmark)

    def _read(self, grey: np.ndarray, *, errors: bool) -> list[zxingcpp.Barcode]:
        return zxingcpp.read_barcodes(
            grey,
            formats=QR_FORMATS,
            try_rotate=True,
            try_downscale=self.try_downscale,
            try_invert=self.try_invert,
            return_errors=errors,
        )

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Return every QR code in the image; never raises on odd pixels or payloads."""
        grey = to_grey(image)
        if grey.shape[0] < 21 or grey.shape[1] < 21:
            return []
        grey = lift_dark(grey)
        results = self._read(grey, errors=self.retry)
        found = [
            DecodedCode(payload_text(b.text, bytes(b.bytes)), bytes(b.bytes),
                        _corners(b.position), self.name)
            for b in results
            if b.valid
        ]
        failed = [_corners(b.position) for b in results if not b.valid]
        for corners in failed[:_RETRY_MAX_CROPS]:
            if not _covered(corners, found):
                found.extend(self._retry(grey, corners, found))
        return found

    def _retry(self, grey: np.ndarray, corners: Corners,
               found: list[DecodedCode]) -> list[DecodedCode]:
        """Decode again on an upscaled, sharpened crop around a failed detection."""
        xs = [p[0] for p in corners]
        ys = [p[1] for p in corners]
        side = max(max(xs) - min(xs), max(ys) - min(ys))
        if side < _MIN_SYMBOL_SIDE:
            return []
        self.retries += 1
        pad = side * _RETRY_MARGIN
        h, w = grey.shape
        x0, x1 = int(max(0, min(xs) - pad)), int(min(w, max(xs) + pad + 1))
        y0, y1 = int(max(0, min(ys) - pad)), int(min(h, max(ys) + pad + 1))
        if x1 - x0 < 21 or y1 - y0 < 21:
            return []
        crop = grey[y0:y1, x0:x1]
        scale = 2.0 if side < _RETRY_MIN_SIDE else 1.0
        if scale != 1.0:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        blurred = cv2.GaussianBlur(crop, (0, 0), 1.5 * scale)
        crop = cv2.addWeighted(crop, 1.8, blurred, -0.8, 0)  # unsharp mask
        out = []
        for b in self._read(crop, errors=False):
            code = DecodedCode(payload_text(b.text, bytes(b.bytes)), bytes(b.bytes),
                               _corners(b.position, scale, x0, y0), self.name)
            if not _covered(code.corners, found):
                out.append(code)
        return out


def payload_text(text: str, raw: bytes) -> str:
    """The payload as text; bytes that are not UTF-8 never look like one of our passes.

    zxing-cpp guesses a character set for binary payloads (often Latin-1), which could turn
    our prefix plus junk bytes into a "misread pass". Such a payload is described instead,
    so the door answers `not_a_pass`.
    """
    if not raw:
        return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return f"(binary data, {len(raw)} bytes)"


def timed_decode(decoder: Decoder, image: np.ndarray) -> tuple[list[DecodedCode], float]:
    """Decode and return the codes with the wall time taken, in milliseconds."""
    start = time.perf_counter()
    codes = decoder.decode(image)
    return codes, (time.perf_counter() - start) * 1000.0


def default_decoder() -> Decoder:
    """The decoder the kiosk uses (see the module docstring for why)."""
    return ZxingDecoder()
