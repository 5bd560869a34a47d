"""A symbol rebuilt from its three finder patterns: one homography from their twelve corners.

zxing-cpp works out a symbol's size (its version) from the finder patterns' centres and
widths. Seen at a steep angle, printed small, or with one finder smudged, that estimate is
off: it gives up ("Invalid symbol size") or samples the wrong grid. Here the finder patterns
are found as nested contours (three binarisations), every plausible trio is taken, and for
the versions near its estimate the trio's twelve outer corners are mapped onto the module
grid with one least-squares homography, then corrected by the alignment pattern where the
version has one. The symbol, warped flat at a few pixels a module with its quiet zone, is
read by zxing-cpp, whose Reed-Solomon error correction must accept it.

Still images only (see docs/scanner.md for what it rescued on real photographs and costs).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.scanner.alternatives import View, resized
from kiosk.scanner.results import Corners, DecodedCode
from kiosk.scanner.zxing_read import covered, read_either

NAME = "finder-grid"
_LONGEST = 1600  # the image is searched at most this long ...
_UPSCALED = 1100  # ... and also at twice its size when no longer than this
_MAX_FINDERS = 30  # the largest finder-like contours kept per binarisation
_MAX_TRIOS = 6  # trios tried per binarisation (the most square-looking first)
_PPM = 6  # pixels a module in the warped symbol
_QUIET = 4  # modules of quiet zone around it
_VERSION_STEPS = (0, -1, 1, -2, 2)  # versions tried around the estimate, nearest first
_MIN_AREA = 36.0  # pixels: smaller contours are specks
_RING_RATIO = (1.2, 4.5)  # a finder's outer area over its first hole's (49/25 when ideal)
_MAX_AREA_RATIO = 6.0  # finders of one symbol differ at most this much in area
_MAX_ARM_RATIO = 4.0  # ... and its two arms (corner finder to the others) in length
_MAX_COS = 0.85  # the arms' angle is at least about 32 degrees (a steep view squashes it)
_ALIGN_MIN_SCORE = 0.3  # template match needed to trust an alignment pattern
_ALIGN_WEIGHTS = (3, 12)  # how strongly the alignment pattern pulls the homography


# An alignment pattern (dark ring, light ring, dark centre) in its light margin, _PPM a module.
_ALIGNMENT_TEMPLATE = np.kron(
    np.array([[255, 255, 255, 255, 255, 255, 255],
              [255, 0, 0, 0, 0, 0, 255],
              [255, 0, 255, 255, 255, 0, 255],
              [255, 0, 255, 0, 255, 0, 255],
              [255, 0, 255, 255, 255, 0, 255],
              [255, 0, 0, 0, 0, 0, 255],
              [255, 255, 255, 255, 255, 255, 255]], np.uint8),
    np.ones((_PPM, _PPM), np.uint8)).astype(np.uint8)


@dataclass(frozen=True)
class Finder:
    """One finder-pattern candidate: its four outer corners and its area, in search pixels."""

    quad: np.ndarray
    area: float

    @property
    def centre(self) -> np.ndarray:
        return self.quad.mean(axis=0)


@dataclass(frozen=True)
class Trio:
    """Three finders as one symbol's top-left, top-right and bottom-left, and its size."""

    top_left: Finder
    top_right: Finder
    bottom_left: Finder
    modules: float  # the symbol's width in modules, estimated from the finders


def binaries(grey: np.ndarray) -> Iterator[np.ndarray]:
    """Dark-is-white masks: two adaptive thresholds (fine and coarse) and Otsu's."""
    longest = max(grey.shape)
    for block in (longest // 40, longest // 15):
        size = max(11, block | 1)
        yield cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                    cv2.THRESH_BINARY_INV, size, 5)
    yield cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]


def _depth(hierarchy: np.ndarray, index: int) -> int:
    """How many contours nest inside one another below this one (a finder has two)."""
    depth, child = 0, hierarchy[index][2]
    while child != -1 and depth < 3:
        depth, child = depth + 1, hierarchy[child][2]
    return depth


def finders(mask: np.ndarray) -> list[Finder]:
    """Contours with two nested below them and a finder's ring proportions, largest first."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    tree = hierarchy[0]
    found: list[Finder] = []
    for index, contour in enumerate(contours):
        area = cv2.contourArea(contour)
        if area < _MIN_AREA or _depth(tree, index) < 2:
            continue
        hole = cv2.contourArea(contours[tree[index][2]])
        if hole <= 0 or not _RING_RATIO[0] < area / hole < _RING_RATIO[1]:
            continue
        poly = cv2.approxPolyDP(contour, 0.08 * cv2.arcLength(contour, True), True)
        if len(poly) != 4 or not cv2.isContourConvex(poly):
            poly = cv2.boxPoints(cv2.minAreaRect(contour))
        found.append(Finder(poly.reshape(4, 2).astype(np.float64), area))
    kept: list[Finder] = []
    for finder in sorted(found, key=lambda f: -f.area):
        if all(np.linalg.norm(finder.centre - k.centre) >= 0.3 * np.sqrt(k.area)
               for k in kept):
            kept.append(finder)
    return kept[:_MAX_FINDERS]


def _as_trio(three: tuple[Finder, Finder, Finder]) -> tuple[float, Trio] | None:
    """The three as a symbol's corners, with a badness score; None if they cannot be one."""
    areas = [f.area for f in three]
    if max(areas) / min(areas) > _MAX_AREA_RATIO:
        return None
    centres = [f.centre for f in three]
    opposite = [np.linalg.norm(centres[(k + 1) % 3] - centres[(k + 2) % 3]) for k in range(3)]
    corner = int(np.argmax(opposite))  # the corner finder faces the longest side
    one, other = three[(corner + 1) % 3], three[(corner + 2) % 3]
    arm1, arm2 = one.centre - centres[corner], other.centre - centres[corner]
    len1, len2 = float(np.linalg.norm(arm1)), float(np.linalg.norm(arm2))
    if min(len1, len2) <= 0 or max(len1, len2) / min(len1, len2) > _MAX_ARM_RATIO:
        return None
    cos = abs(float(np.dot(arm1, arm2))) / (len1 * len2)
    if cos > _MAX_COS:
        return None
    if arm1[0] * arm2[1] - arm1[1] * arm2[0] < 0:  # image y runs down: TR turns to BL
        one, other = other, one
    module = np.sqrt(np.mean(areas)) / 7.0
    trio = Trio(three[corner], one, other, (len1 + len2) / 2 / module + 7)
    return cos + abs(np.log(len1 / len2)), trio


def trios(found: list[Finder]) -> list[Trio]:
    """Plausible trios among the finders, the most square-looking first."""
    scored = [t for t in map(_as_trio, itertools.combinations(found, 3)) if t is not None]
    return [trio for _, trio in sorted(scored, key=lambda t: t[0])[:_MAX_TRIOS]]


def _finder_corners(trio: Trio, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(module points, image points) for the twelve outer finder corners of one trio."""
    centres = np.array([f.centre for f in (trio.top_left, trio.top_right, trio.bottom_left)],
                       np.float32)
    grid_centres = np.array([[3.5, 3.5], [size - 3.5, 3.5], [3.5, size - 3.5]], np.float32)
    rough = cv2.getAffineTransform(grid_centres, centres)  # modules -> image, from centres
    modules, image = [], []
    for finder, (x0, y0) in ((trio.top_left, (0, 0)), (trio.top_right, (size - 7, 0)),
                             (trio.bottom_left, (0, size - 7))):
        square = np.array([[x0, y0], [x0 + 7, y0], [x0 + 7, y0 + 7], [x0, y0 + 7]], np.float64)
        guessed = square @ rough[:, :2].T + rough[:, 2]
        for point, guess in zip(square, guessed, strict=True):
            modules.append(point)
            image.append(finder.quad[int(np.argmin(np.linalg.norm(finder.quad - guess, axis=1)))])
    return np.array(modules), np.array(image)


def grid_homography(trio: Trio, size: int) -> np.ndarray | None:
    """Modules to image for a symbol `size` modules wide, from the trio's twelve corners."""
    to_image, _ = cv2.findHomography(*_finder_corners(trio, size), 0)
    return to_image


def _alignment(flat: np.ndarray, size: int) -> np.ndarray | None:
    """Where the bottom-right alignment pattern really is in a warped symbol, if clear."""
    template = _ALIGNMENT_TEMPLATE
    expected = (size - 6.5 + _QUIET) * _PPM
    half = template.shape[0] / 2
    lo, hi = int(expected - 4 * _PPM - half), int(expected + 4 * _PPM + half)
    roi = flat[max(0, lo):hi, max(0, lo):hi]
    if min(roi.shape) < template.shape[0]:
        return None
    _, score, _, at = cv2.minMaxLoc(cv2.matchTemplate(roi, template, cv2.TM_CCOEFF_NORMED))
    if score < _ALIGN_MIN_SCORE:
        return None
    return np.array([[max(0, lo) + at[0] + half, max(0, lo) + at[1] + half]])


def flat_symbol(grey: np.ndarray, to_image: np.ndarray, size: int, ppm: int = _PPM
                ) -> tuple[np.ndarray, np.ndarray]:
    """The symbol warped flat with its quiet zone, and the map from its pixels to the image."""
    pixels = (size + 2 * _QUIET) * ppm
    to_modules = np.array([[1 / ppm, 0, -_QUIET], [0, 1 / ppm, -_QUIET], [0, 0, 1.0]])
    back = to_image @ to_modules
    flat = cv2.warpPerspective(grey, back, (pixels, pixels),
                               flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_REPLICATE)
    return flat, back


def grids(grey: np.ndarray, trio: Trio) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Warped symbols for the versions near the trio's estimate: (flat image, back map)."""
    estimate = (trio.modules - 17) / 4
    versions = dict.fromkeys(int(np.clip(round(estimate) + step, 1, 40))
                             for step in _VERSION_STEPS)
    for version in versions:
        size = 17 + 4 * version
        modules, image = _finder_corners(trio, size)
        to_image, _ = cv2.findHomography(modules, image, 0)
        if to_image is None:
            continue
        flat, back = flat_symbol(grey, to_image, size)
        yield flat, back
        found = _alignment(flat, size) if version >= 2 else None
        if found is None:
            continue
        at = cv2.perspectiveTransform(found.reshape(1, 1, 2), back)[0]
        centre = np.array([[size - 6.5, size - 6.5]])
        for weight in _ALIGN_WEIGHTS:
            pulled, _ = cv2.findHomography(np.vstack([modules, *[centre] * weight]),
                                           np.vstack([image, *[at] * weight]), 0)
            if pulled is not None:
                yield flat_symbol(grey, pulled, size)
        corners = np.array([[3.5, 3.5], [size - 3.5, 3.5], [3.5, size - 3.5]], np.float32)
        seen = cv2.perspectiveTransform(corners.reshape(1, 3, 2).astype(np.float64), to_image)[0]
        four = cv2.getPerspectiveTransform(np.vstack([corners, centre]).astype(np.float32),
                                           np.vstack([seen, at]).astype(np.float32))
        yield flat_symbol(grey, four, size)


def scales(grey: np.ndarray) -> list[float]:
    """The sizes the finders are looked for at: fitted to _LONGEST, and twice when small."""
    longest = max(grey.shape)
    scales = [min(1.0, _LONGEST / longest)]
    if longest <= _UPSCALED:
        scales.append(2.0)
    return scales


def _read_trio(grey: np.ndarray, trio: Trio, scale: float) -> list[DecodedCode]:
    """The first warp of this trio zxing-cpp reads, in frame pixels; [] if none does."""
    to_frame = np.diag([1 / scale, 1 / scale, 1.0])
    for flat, back in grids(grey, trio):
        codes = read_either(flat, NAME, to_frame @ back)
        if codes:
            return codes
    return []


def _as_corners(centres: np.ndarray) -> Corners:
    """The trio's centres as a quadrilateral: TL, TR, the symbol's middle, BL."""
    middle = (centres[1] + centres[2]) / 2
    points = (centres[0], centres[1], middle, centres[2])
    return tuple((float(x), float(y)) for x, y in points)  # type: ignore[return-value]


def located_trios(grey: np.ndarray) -> Iterator[tuple[np.ndarray, float, Trio, np.ndarray]]:
    """(the image at a search scale, that scale, a trio in it, its centres in image pixels).

    Every binarisation at every scale: each gives slightly other corners.
    """
    for scale in scales(grey):
        small = resized(grey, scale)
        for mask in binaries(small):
            for trio in trios(finders(mask)):
                yield small, scale, trio, np.array(
                    [f.centre / scale for f in (trio.top_left, trio.top_right, trio.bottom_left)])


def finder_grid(view: View) -> list[DecodedCode]:
    """Every symbol whose finder patterns are found, rebuilt on its module grid and read."""
    found: list[DecodedCode] = []
    for grey, scale, trio, centres in located_trios(view.grey):
        if not covered(_as_corners(centres), found):
            found += _read_trio(grey, trio, scale)
    return found
