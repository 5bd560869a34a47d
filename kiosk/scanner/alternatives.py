"""Alternative decodings for a symbol the fast pass saw but could not read.

Each alternative is one more attempt with something the fast pass does not do: another
binariser or scale, a contrast lift, a sharpened or perspective-corrected crop around
the failed detection, or OpenCV's decoder for codes bent over a curve. The decoding
schedule (decode.py) rotates through them across camera frames and runs them all on a
still image. Which ones are here, and in which order, is measured by
benchmarks/bench_scanner.py (rescues and cost per alternative); see docs/scanner.md.

A result counts only when zxing-cpp's Reed-Solomon error correction accepted it. OpenCV's
curved-surface decoder is checked by handing its rectified symbol to zxing-cpp; if that
does not confirm the very same bytes, only a payload that passes the pass format's own
check value is kept. So no alternative can turn a smudge into a payload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.passes.token import TokenFormatError, parse_token
from kiosk.scanner.results import Corners, DecodedCode
from kiosk.scanner.zxing_read import (
    Binarizer,
    corners,
    decoded,
    map_points,
    payload_text,
    read,
    read_either,
    scale_and_shift,
    side,
)

_PAD = 0.6  # fraction of the symbol's size added around a sighting for a crop
_MIN_SIDE = 12.0  # pixels: smaller sightings are noise, not symbols
_CROP_TARGET = 320  # a perspective crop is warped to about this many pixels a side
_WARP_MARGIN = 1.72  # ... and takes in this much more than the sighting (the quiet zone)
_UPSCALE_MAX_SIDE = 1600  # a whole image is upscaled only when no longer than this
_UPSCALE_MAX_CROP = 480  # ... and a crop only when this small (a small, distant code)
_CURVED_MAX_SIDE = 1200  # OpenCV's curved decoder is slow: work on at most this size
_QUIET = 4  # modules of quiet zone added around OpenCV's rectified symbol
_STRAIGHT_PPM = 6  # pixels per module when zxing-cpp re-reads that symbol
_SCOUT_SCALE = 0.5  # a scout looks at the frame at half size (and so blurs screen moire)


@dataclass(frozen=True)
class View:
    """What an alternative looks at: the grey frame and where symbols were seen unread.

    `local` (the camera path) keeps every attempt to crops around the sightings, so its
    cost stays small; a still image (`local=False`) is searched whole as well.
    """

    grey: np.ndarray
    sightings: tuple[Corners, ...] = ()
    local: bool = False


@dataclass(frozen=True)
class Alternative:
    """One named attempt; `needs_sighting` ones only make sense around a failed detection.

    `still_only` ones cost more than a camera frame's whole budget: stills only.
    """

    name: str
    run: Callable[[View], list[DecodedCode]]
    needs_sighting: bool = False
    still_only: bool = False


def _regions(view: View) -> list[tuple[np.ndarray, float, float]]:
    """The image parts to try: crops around sightings, plus the whole image unless local."""
    out: list[tuple[np.ndarray, float, float]] = []
    h, w = view.grey.shape
    for quad in view.sightings[:2]:
        s = side(quad)
        if s < _MIN_SIDE:
            continue
        pad = s * _PAD
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        x0, x1 = int(max(0, min(xs) - pad)), int(min(w, max(xs) + pad + 1))
        y0, y1 = int(max(0, min(ys) - pad)), int(min(h, max(ys) + pad + 1))
        if x1 - x0 >= 21 and y1 - y0 >= 21:
            out.append((view.grey[y0:y1, x0:x1], float(x0), float(y0)))
    if not view.local:
        out.append((view.grey, 0.0, 0.0))
    return out


@dataclass(frozen=True)
class Scout:
    """A cheap whole-frame look for a symbol the fast pass did not even see.

    A dim phone screen or strong screen moire can hide the finder patterns from the fast
    pass, so no sighting starts the alternatives. While nothing is seen, the camera runs
    one scout a frame, in turn: the frame at half size with one contrast change, read with
    errors returned, so it either reads the code (error correction accepted it) or reports
    where a symbol is.
    """

    name: str
    prepare: Callable[[np.ndarray], np.ndarray]

    def run(self, grey: np.ndarray) -> tuple[list[DecodedCode], tuple[Corners, ...]]:
        """(codes read, symbols seen but not read), in the frame's own pixels."""
        back = scale_and_shift(_SCOUT_SCALE)
        results = read(self.prepare(resized(grey, _SCOUT_SCALE)), downscale=False,
                       errors=True)
        return (decoded(results, self.name, back),
                tuple(corners(b.position, back) for b in results if not b.valid))


def _lut(gamma: float) -> np.ndarray:
    return np.clip((np.arange(256) / 255.0) ** gamma * 255.0, 0, 255).astype(np.uint8)


def resized(image: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return image
    method = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=method)


def binarised(name: str, binarizer: Binarizer, scale: float) -> Alternative:
    """zxing-cpp with another binariser, at one fixed scale of the image (no pyramid)."""

    def run(view: View) -> list[DecodedCode]:
        found: list[DecodedCode] = []
        for image, x0, y0 in _regions(view):
            whole = image is view.grey
            if scale > 1 and max(image.shape) > (_UPSCALE_MAX_SIDE if whole
                                                 else _UPSCALE_MAX_CROP):
                continue
            small = resized(image, scale)
            found += decoded(read(small, binarizer=binarizer, downscale=False), name,
                             scale_and_shift(scale, x0, y0))
        return found

    return Alternative(name, run)


def contrast(name: str, clip: float, tiles: int, still_only: bool = False) -> Alternative:
    """Local contrast equalisation (CLAHE) first: uneven light, shadows, faint print, glare.

    Measured on real photographs: a strong clip over a coarse grid (16, 4x4) rescues the
    most on its own; a mild one (2, 8x8) and a few others each rescue symbols no other
    one reads.
    """

    def run(view: View) -> list[DecodedCode]:
        clahe = cv2.createCLAHE(clipLimit=clip, tileGridSize=(tiles, tiles))
        found: list[DecodedCode] = []
        for image, x0, y0 in _regions(view):
            found += decoded(read(clahe.apply(image)), name, scale_and_shift(1.0, x0, y0))
        return found

    return Alternative(name, run, still_only=still_only)


def brightened(name: str, gamma: float) -> Alternative:
    """A gamma curve that opens up dark print and shadows (a look-up table: cheap)."""
    lut = _lut(gamma)

    def run(view: View) -> list[DecodedCode]:
        found: list[DecodedCode] = []
        for image, x0, y0 in _regions(view):
            found += decoded(read(cv2.LUT(image, lut)), name, scale_and_shift(1.0, x0, y0))
        return found

    return Alternative(name, run)


def _sharpened(view: View) -> list[DecodedCode]:
    """An upscaled, unsharp-masked crop around each sighting: blur and small codes."""
    found: list[DecodedCode] = []
    for image, x0, y0 in _regions(View(view.grey, view.sightings, local=True)):
        scale = 2.0 if max(image.shape) <= _UPSCALE_MAX_CROP else 1.0
        crop = resized(image, scale)
        blurred = cv2.GaussianBlur(crop, (0, 0), 1.5 * scale)
        crop = cv2.addWeighted(crop, 1.8, blurred, -0.8, 0)
        found += decoded(read(crop, downscale=False), "sharpened-crop",
                         scale_and_shift(scale, x0, y0))
    return found


def _perspective(view: View) -> list[DecodedCode]:
    """Each sighting warped flat and square from its corners, then read with both binarisers."""
    found: list[DecodedCode] = []
    for quad in view.sightings[:2]:
        s = side(quad)
        if s < _MIN_SIDE:
            continue
        src = np.array(quad, np.float32)
        centre = src.mean(axis=0)
        src = centre + (src - centre) * _WARP_MARGIN
        size = int(np.clip(2 * s, _CROP_TARGET * 0.75, _CROP_TARGET * 1.5))
        dst = np.array([[0, 0], [size, 0], [size, size], [0, size]], np.float32)
        to_crop = cv2.getPerspectiveTransform(src, dst)
        flat = cv2.warpPerspective(view.grey, to_crop, (size, size), flags=cv2.INTER_CUBIC,
                                   borderMode=cv2.BORDER_REPLICATE)
        found += read_either(flat, "perspective-crop", np.linalg.inv(to_crop))
    return found


def confirmed_payload(text: str, straight: np.ndarray | None) -> bytes | None:
    """The bytes of an OpenCV read that zxing-cpp confirms, or that are a well-formed pass.

    `straight` is OpenCV's rectified symbol (one pixel a module); zxing-cpp reads it again
    with its own error correction. A payload neither confirms is dropped.
    """
    if straight is not None and straight.ndim == 2 and min(straight.shape) >= 21:
        big = cv2.resize(straight, None, fx=_STRAIGHT_PPM, fy=_STRAIGHT_PPM,
                         interpolation=cv2.INTER_NEAREST)
        pad = _QUIET * _STRAIGHT_PPM
        big = cv2.copyMakeBorder(big, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        for barcode in read(big, downscale=False):
            if barcode.valid and barcode.text == text:
                return bytes(barcode.bytes)
    try:
        parse_token(text)
    except TokenFormatError:
        return None
    return text.encode("utf-8")


def _curved(view: View) -> list[DecodedCode]:
    """OpenCV's decoder for a code bent over a curve (a pass held in one hand)."""
    detector = cv2.QRCodeDetector()
    found: list[DecodedCode] = []
    for image, x0, y0 in _regions(view):
        scale = min(1.0, _CURVED_MAX_SIDE / max(image.shape))
        small = resized(image, scale)
        try:
            text, points, straight = detector.detectAndDecodeCurved(small)
        except (cv2.error, UnicodeDecodeError):
            continue
        if not text or points is None:
            continue
        raw = confirmed_payload(text, straight)
        if raw is None:
            continue
        quad = map_points(points.reshape(4, 2).astype(np.float64),
                          scale_and_shift(scale, x0, y0))
        found.append(DecodedCode(payload_text(text, raw), raw, quad, "curved"))
    return found


# In the order the camera tries them: the biggest rescuers on real photographs first, the
# cheap binariser and scale ones between (measured by benchmarks/bench_scanner.py on real
# photographs and the synthetic set; docs/scanner.md). Still-only ones come last.
ALTERNATIVES: Sequence[Alternative] = (
    contrast("contrast-strong", 16.0, 4),
    contrast("contrast", 2.0, 8),
    binarised("global-histogram", Binarizer.GlobalHistogram, 1.0),
    Alternative("perspective-crop", _perspective, needs_sighting=True),
    brightened("brighten", 0.35),
    binarised("local-average/2", Binarizer.LocalAverage, 0.5),
    binarised("global-histogram/2", Binarizer.GlobalHistogram, 0.5),
    Alternative("sharpened-crop", _sharpened, needs_sighting=True),
    contrast("contrast-fine", 4.0, 16),
    binarised("upscale-2", Binarizer.LocalAverage, 2.0),
    binarised("local-average/4", Binarizer.LocalAverage, 0.25),
    contrast("contrast-coarse", 4.0, 4, still_only=True),
    contrast("contrast-tight", 8.0, 2, still_only=True),
    Alternative("curved", _curved, still_only=True),
)

_BRIGHTEN = _lut(0.35)


def _stretch(grey: np.ndarray) -> np.ndarray:
    """The darkest pixel to black, the brightest to white (faint print, a flat frame)."""
    lo, hi = int(grey.min()), int(grey.max())
    if hi - lo < 8:
        return grey
    lut = np.clip((np.arange(256) - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    return cv2.LUT(grey, lut)

# Measured on the synthetic classes the fast pass does not see (benchmarks/bench_scanner.py):
# the gamma curve finds dim screens, moire and textured print, the mild CLAHE dim screens,
# the stretch faint print. About a millisecond each on a 1280x720 frame.
SCOUTS: Sequence[Scout] = (
    Scout("scout-brighten", lambda g: cv2.LUT(g, _BRIGHTEN)),
    Scout("scout-contrast", lambda g: cv2.createCLAHE(2.0, (8, 8)).apply(g)),
    Scout("scout-stretch", _stretch),
)
