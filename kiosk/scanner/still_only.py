"""Alternatives for still images only: too slow for a camera frame, measured to pay on photos.

`scan-image` and the other still paths run these after alternatives.ALTERNATIVES (see
docs/scanner.md for what each rescued on real photographs and what it costs):

- `cylinder`: a pass on a bottle, a can or a curled card is bent over a cylinder, which
  zxing-cpp's straight sampling grid cannot follow. Around every symbol seen (zxing-cpp's
  failed detections with both binarisers, and OpenCV's QR detector), the crop is
  unwrapped for a few curvatures, cylinder positions and both axes, then read again.
- `cylinder-contrast`: the same after the strong CLAHE (clip 16, 4x4).
- `detector-crops`: OpenCV's QR detector finds symbols zxing-cpp does not see; each one
  is warped flat and read with and without a contrast lift.
- `sharpen/4`: the whole image at a quarter of its size, unsharp-masked: a blurred photo
  whose modules are sharp again once small.
- `contrast-strong/1000`: the strong CLAHE on the image scaled to 1000 pixels, where its
  tiles span fewer modules (stains and worn print).
- `stretch-x2`: the image (at most 1600 pixels long) stretched to twice its width: a
  symbol seen at a steep angle is squashed along one axis, and the stretch gives its
  narrow modules back the pixels zxing-cpp needs. (Stretching the height instead read
  nothing more on the real photographs, so it is not run.)
- `closed/800`: a morphological closing on the image scaled to 800 pixels, which fills
  specks and scratches in the dark modules (damaged print, texture).
- `finder-grid` (finder_grid.py): the symbol rebuilt from its three finder patterns' twelve
  corners, for the versions near their estimate: steep angles, small print, a smudged finder.
- `mesh-grid` (mesh_grid.py): a bent symbol's grid followed tile by tile on its own module
  edges, from each finder trio or zxing-cpp sighting: curled, creased and crumpled paper.
- `outline` (outline.py): the symbol found as one four-sided blob of closed dark modules,
  warped flat: seen so steeply that its finder patterns cannot be told.
- `scale-ladder`: both binarisers at six fixed sizes of the whole image, no pyramid, since
  which scale reads a given photo is not predictable (about 60 ms a photo).

Every result is one zxing-cpp's Reed-Solomon error correction accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import zxingcpp

from kiosk.scanner.alternatives import Alternative, View, resized
from kiosk.scanner.finder_grid import finder_grid
from kiosk.scanner.mesh_grid import mesh_grid
from kiosk.scanner.outline import outline
from kiosk.scanner.results import Corners, DecodedCode
from kiosk.scanner.zxing_read import (
    Binarizer,
    corners,
    decoded,
    read,
    read_either,
    scale_and_shift,
    side,
)

_MAX_REGIONS = 8  # symbols seen that get unwrapped or warped, per image
_MIN_SIDE = 12.0  # pixels: smaller detections are noise
_DETECT_SIDE = 1600  # OpenCV's detector looks at the image at most this long
_CYL_PAD = 0.35  # fraction of a symbol's size added around it before unwrapping
_CYL_SIDE = 500  # the crop is unwrapped at most this long
_CURVATURES = (0.6, 0.8, 0.92, 0.98)  # the crop's half-width over the cylinder's radius
_AXIS_OFFSETS = (0.0, -0.15, 0.15)  # the cylinder's axis, off the crop's centre
_WARP_MARGIN = 1.72  # a detector crop takes in this much more than the symbol
_WARP_SIDE = (240, 480)  # ... and is warped to a square between these sizes
_CLOSING = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
_LIFTS = (None, (16.0, 4), (2.0, 8))  # a detector crop: plain, then CLAHE (clip, grid)
_LADDER = (400, 560, 800, 1120, 1600, 2240)  # longest sides in pixels, steps of sqrt 2
_LADDER_MAX_UPSCALE = 2.0


def _clahe(clip: float, tiles: int) -> cv2.CLAHE:
    """A new CLAHE each time: OpenCV's keeps buffers, so one shared by threads is unsafe."""
    return cv2.createCLAHE(clipLimit=clip, tileGridSize=(tiles, tiles))


def _fit(image: np.ndarray, longest: int) -> tuple[np.ndarray, float]:
    scale = min(1.0, longest / max(image.shape))
    return resized(image, scale), scale


def _detected(grey: np.ndarray) -> list[np.ndarray]:
    """Symbol corners OpenCV's detector finds, in the image's pixels."""
    small, scale = _fit(grey, _DETECT_SIDE)
    try:
        ok, points = cv2.QRCodeDetectorAruco().detectMulti(small)
    except cv2.error:
        return []
    if not ok or points is None:
        return []
    return [quad / scale for quad in points.reshape(-1, 4, 2).astype(np.float64)]


def _seen(grey: np.ndarray) -> list[np.ndarray]:
    """Where symbols are: OpenCV's detections, then zxing-cpp's failures, both binarisers."""
    quads = _detected(grey)
    for binarizer in (Binarizer.LocalAverage, Binarizer.GlobalHistogram):
        quads += [np.array(corners(b.position), np.float64)
                  for b in read(grey, binarizer=binarizer, errors=True) if not b.valid]
    return [q for q in quads if side(_as_corners(q)) >= _MIN_SIDE]


def _as_corners(quad: np.ndarray) -> Corners:
    return tuple((float(x), float(y)) for x, y in quad)  # type: ignore[return-value]


def _unwrap_maps(width: int, height: int, curvature: float, offset: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Remap tables that lay a crop bent over a vertical cylinder flat (x along the arc)."""
    centre = width / 2 * (1 + offset)
    radius = (width / 2) / curvature
    start = np.arcsin(np.clip(-centre / radius, -1, 1))
    end = np.arcsin(np.clip((width - centre) / radius, -1, 1))
    arc = np.arange(max(1, int(radius * (end - start))), dtype=np.float32)
    xs = (centre + radius * np.sin(start + arc / radius)).astype(np.float32)
    return (np.tile(xs, (height, 1)),
            np.tile(np.arange(height, dtype=np.float32)[:, None], (1, xs.size)))


def _unwrapped_reads(grey: np.ndarray, quad: np.ndarray) -> list[DecodedCode]:
    """The crop around one symbol unwrapped for each curvature, axis and axis position."""
    h, w = grey.shape
    pad = side(_as_corners(quad)) * _CYL_PAD
    x0, y0 = int(max(0, quad[:, 0].min() - pad)), int(max(0, quad[:, 1].min() - pad))
    x1, y1 = int(min(w, quad[:, 0].max() + pad)), int(min(h, quad[:, 1].max() + pad))
    if x1 - x0 < 30 or y1 - y0 < 30:
        return []
    crop, scale = _fit(grey[y0:y1, x0:x1], _CYL_SIDE)
    for across in (False, True):  # the cylinder's axis upright, then lying
        image = crop.T.copy() if across else crop
        for curvature in _CURVATURES:
            for offset in _AXIS_OFFSETS:
                map_x, map_y = _unwrap_maps(image.shape[1], image.shape[0], curvature, offset)
                flat = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR)
                found = [b for b in read(flat, downscale=False) if b.valid]
                if found:
                    return [_unwrapped_code(b, map_x[0], across, scale, x0, y0)
                            for b in found]
    return []


def _unwrapped_code(barcode: zxingcpp.Barcode, xs: np.ndarray, across: bool, scale: float,
                    x0: int, y0: int) -> DecodedCode:
    """A code read on an unwrapped crop, its corners mapped back onto the image."""
    (code,) = decoded([barcode], "cylinder")
    points = []
    for x, y in code.corners:
        u = float(xs[int(np.clip(x, 0, xs.size - 1))])
        px, py = (y, u) if across else (u, y)
        points.append((px / scale + x0, py / scale + y0))
    return DecodedCode(code.text, code.raw, tuple(points), "cylinder")  # type: ignore[arg-type]


def _cylinder(view: View) -> list[DecodedCode]:
    """Symbols bent over a cylinder (a bottle, a can, a curled pass), unwrapped and read."""
    found: list[DecodedCode] = []
    for quad in _seen(view.grey)[:_MAX_REGIONS]:
        found += _unwrapped_reads(view.grey, quad)
    return found


def _cylinder_lifted(view: View) -> list[DecodedCode]:
    """The same after the strong CLAHE: a bent pass in a dark scene or under a stain."""
    return [DecodedCode(c.text, c.raw, c.corners, "cylinder-contrast")
            for c in _cylinder(View(_clahe(16.0, 4).apply(view.grey)))]


def _warped_reads(grey: np.ndarray, quad: np.ndarray) -> list[DecodedCode]:
    """One detected symbol warped flat and square, read plain and contrast-lifted."""
    centre = quad.mean(axis=0)
    src = (centre + (quad - centre) * _WARP_MARGIN).astype(np.float32)
    extent = max(np.ptp(src[:, 0]), np.ptp(src[:, 1])) / _WARP_MARGIN
    size = int(np.clip(2 * extent, *_WARP_SIDE))
    dst = np.array([[0, 0], [size, 0], [size, size], [0, size]], np.float32)
    to_crop = cv2.getPerspectiveTransform(src, dst)
    flat = cv2.warpPerspective(grey, to_crop, (size, size), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    back = np.linalg.inv(to_crop)
    for lift in _LIFTS:
        image = flat if lift is None else _clahe(*lift).apply(flat)
        codes = read_either(image, "detector-crops", back)
        if codes:
            return codes
    return []


def _detector_crops(view: View) -> list[DecodedCode]:
    """Symbols OpenCV's detector finds, each warped flat and read by zxing-cpp."""
    found: list[DecodedCode] = []
    for quad in _detected(view.grey)[:_MAX_REGIONS]:
        found += _warped_reads(view.grey, quad)
    return found


def _sharpened_quarter(view: View) -> list[DecodedCode]:
    """The whole image at a quarter of its size, unsharp-masked: blurred photos."""
    small = resized(view.grey, 0.25)
    blurred = cv2.GaussianBlur(small, (0, 0), 2.0)
    sharp = cv2.addWeighted(small, 2.5, blurred, -1.5, 0)
    return decoded(read(sharp, downscale=False), "sharpen/4", scale_and_shift(0.25))


def _small_strong_contrast(view: View) -> list[DecodedCode]:
    """The strong CLAHE on the image at most 1000 pixels long (stains, worn print)."""
    small, scale = _fit(view.grey, 1000)
    return decoded(read(_clahe(16.0, 4).apply(small)), "contrast-strong/1000",
                   scale_and_shift(scale))


def _closed(view: View) -> list[DecodedCode]:
    """A 5x5 closing on the image at most 800 pixels long: specks in dark modules filled."""
    small, scale = _fit(view.grey, 800)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, _CLOSING)
    return decoded(read(closed), "closed/800", scale_and_shift(scale))


def _scale_ladder(view: View) -> list[DecodedCode]:
    """Both binarisers on the whole image at each size of the ladder (no pyramid)."""
    found: list[DecodedCode] = []
    longest = max(view.grey.shape)
    for target in _LADDER:
        scale = target / longest
        if scale > _LADDER_MAX_UPSCALE:
            continue
        image = resized(view.grey, scale)
        for binarizer in (Binarizer.LocalAverage, Binarizer.GlobalHistogram):
            found += decoded(read(image, binarizer=binarizer, downscale=False),
                             "scale-ladder", scale_and_shift(scale))
    return found


def stretched(name: str, fx: float, fy: float) -> Alternative:
    """The image, at most 1600 pixels long, stretched along one axis (steep angles)."""

    def run(view: View) -> list[DecodedCode]:
        small, scale = _fit(view.grey, _DETECT_SIDE)
        wide = cv2.resize(small, None, fx=fx, fy=fy, interpolation=cv2.INTER_CUBIC)
        back = np.array([[1 / (scale * fx), 0, 0], [0, 1 / (scale * fy), 0], [0, 0, 1.0]])
        return decoded(read(wide, downscale=False), name, back)

    return Alternative(name, run, still_only=True)


STILL_ONLY: Sequence[Alternative] = (
    Alternative("cylinder", _cylinder, still_only=True),
    Alternative("cylinder-contrast", _cylinder_lifted, still_only=True),
    Alternative("detector-crops", _detector_crops, still_only=True),
    Alternative("sharpen/4", _sharpened_quarter, still_only=True),
    Alternative("contrast-strong/1000", _small_strong_contrast, still_only=True),
    Alternative("closed/800", _closed, still_only=True),
    stretched("stretch-x2", 2.0, 1.0),
    Alternative("finder-grid", finder_grid, still_only=True),
    Alternative("mesh-grid", mesh_grid, still_only=True),
    Alternative("outline", outline, still_only=True),
    Alternative("scale-ladder", _scale_ladder, still_only=True),
)
