"""zxing-cpp primitives shared by the fast pass and the alternatives: grey, read, map back.

Everything a decoding attempt needs and nothing that decides which attempt to make: the
QR formats we accept, the grey conversion, the dark-frame lift, one zxing-cpp call, and
turning its results into DecodedCode objects in the frame's own pixels (through the
homography that maps an attempt's crop or rescaled copy back onto the frame).
"""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp

from kiosk.scanner.results import Corners, DecodedCode

# Full-size QR Model 2 only. zxing-cpp 3's `QRCode` is the whole family, Micro QR included,
# whose smallest version has no error correction: measured to misread a bent card as
# "110003". Model 1 is a 1990s variant no pass printer makes. (zxing-cpp 2 has no
# QRCodeModel2; there `QRCode` already means full-size only.)
QR_FORMATS: zxingcpp.BarcodeFormats = zxingcpp.BarcodeFormats(
    getattr(zxingcpp.BarcodeFormat, "QRCodeModel2", zxingcpp.BarcodeFormat.QRCode))
Binarizer = zxingcpp.Binarizer
IDENTITY = np.eye(3)
_DARK_MEAN = 48  # a frame darker than this on average gets its contrast stretched
_DARK_SPAN = 96  # ... when its brightest and darkest parts are closer than this


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


def read(grey: np.ndarray, *, binarizer: zxingcpp.Binarizer = Binarizer.LocalAverage,
         downscale: bool = True, errors: bool = False) -> list[zxingcpp.Barcode]:
    """One zxing-cpp pass over a grey image, full-size QR only, any rotation or polarity."""
    if grey.shape[0] < 21 or grey.shape[1] < 21:
        return []
    return zxingcpp.read_barcodes(
        np.ascontiguousarray(grey), formats=QR_FORMATS, try_rotate=True,
        try_downscale=downscale, try_invert=True, binarizer=binarizer, return_errors=errors,
    )


def corners(position: zxingcpp.Position, to_frame: np.ndarray = IDENTITY) -> Corners:
    """A zxing position as frame corners (TL, TR, BR, BL), mapped by a 3x3 homography."""
    pts = np.array([[p.x, p.y] for p in (position.top_left, position.top_right,
                                         position.bottom_right, position.bottom_left)],
                   np.float64)
    return map_points(pts, to_frame)


def map_points(points: np.ndarray, to_frame: np.ndarray) -> Corners:
    """Four (x, y) points through a homography, as a Corners tuple of floats."""
    if to_frame is not IDENTITY:
        points = cv2.perspectiveTransform(points.reshape(1, 4, 2).astype(np.float64),
                                          to_frame)[0]
    return tuple((float(x), float(y)) for x, y in points)  # type: ignore[return-value]


def scale_and_shift(scale: float, x0: float = 0.0, y0: float = 0.0) -> np.ndarray:
    """The homography from a crop at (x0, y0) resized by `scale` back to frame pixels."""
    return np.array([[1.0 / scale, 0.0, x0], [0.0, 1.0 / scale, y0], [0.0, 0.0, 1.0]])


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


def decoded(barcodes: list[zxingcpp.Barcode], name: str,
            to_frame: np.ndarray = IDENTITY) -> list[DecodedCode]:
    """The barcodes zxing-cpp's error correction accepted, as codes in frame pixels."""
    return [DecodedCode(payload_text(b.text, bytes(b.bytes)), bytes(b.bytes),
                        corners(b.position, to_frame), name)
            for b in barcodes if b.valid]


def read_either(image: np.ndarray, name: str, to_frame: np.ndarray = IDENTITY
                ) -> list[DecodedCode]:
    """LocalAverage, then GlobalHistogram, no pyramid: the codes of the first that reads."""
    for binarizer in (Binarizer.LocalAverage, Binarizer.GlobalHistogram):
        codes = decoded(read(image, binarizer=binarizer, downscale=False), name, to_frame)
        if codes:
            return codes
    return []


def side(quad: Corners) -> float:
    """The longer extent of a quadrilateral's bounding box, in pixels."""
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def covered(quad: Corners, found: list[DecodedCode]) -> bool:
    """True when a decoded code already sits where this quadrilateral's centre is."""
    cx = sum(p[0] for p in quad) / 4.0
    cy = sum(p[1] for p in quad) / 4.0
    for code in found:
        xs = [p[0] for p in code.corners]
        ys = [p[1] for p in code.corners]
        if min(xs) <= cx <= max(xs) and min(ys) <= cy <= max(ys):
            return True
    return False
