"""A bent symbol followed module by module: its grid refined tile by tile on its own edges.

A pass curled round a hand, creased or crumpled is no longer flat, so no single homography
(zxing-cpp's, finder_grid.py's) puts every module where it is: near the finder patterns the
grid fits, further off it drifts by a module or more and error correction gives up. Here a
first grid comes from each finder-pattern trio (finder_grid.py) or each symbol zxing-cpp saw
but could not read, for the versions its timing patterns agree with. The symbol is warped
flat at 8 (then 6) pixels a module; then, tile by tile outward from the top-left finder,
the shift is found that puts the module edges (the image's gradients) on the grid lines,
starting from the shifts of the tiles already done so the grid bends smoothly with the
paper. The flat symbol, remapped by those shifts, is read by zxing-cpp, whose error
correction must accept it. Still images only (docs/scanner.md: rescues and cost).
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from kiosk.scanner import finder_grid
from kiosk.scanner.alternatives import View, resized
from kiosk.scanner.finder_grid import flat_symbol
from kiosk.scanner.results import DecodedCode
from kiosk.scanner.zxing_read import Binarizer, corners, covered, map_points, read, read_either

NAME = "mesh-grid"
# Pixels a module in the flat symbol, tried in turn: each pitch follows some bends the other
# misses (measured on the real photographs, docs/scanner.md).
_PPMS = (8, 6)
_QUIET = 4  # modules of quiet zone around it
_TILE = 6  # modules a tile spans, each way
_STEP = 3  # modules between tile centres
_TRIO_VERSIONS = (0, -1, 1)  # versions tried around a trio's estimate
_SEEN_VERSIONS = range(1, 9)  # a symbol zxing-cpp saw gives no size: versions 1 to 8
_MIN_TIMING = 0.15  # timing patterns must alternate at least this clearly
_MIN_SIDE = 20.0  # pixels: smaller sightings are not worth following
_SEEN_SIDE = 1600  # zxing-cpp's other binariser looks at the image at most this long
_SEEN_LIMIT = 4  # sightings followed per image


def timing_score(flat: np.ndarray, size: int, ppm: int = _PPMS[0]) -> float:
    """How clearly both timing patterns alternate (dark on even modules): about 1 when true.

    A grid of the wrong version puts the samples off the timing modules, so this says
    which versions are worth following.
    """
    modules = np.arange(8, size - 8)
    if modules.size < 3:
        return 0.0
    along = (modules + _QUIET) * ppm + ppm // 2
    across = (6 + _QUIET) * ppm + ppm // 2
    sign = np.where(modules % 2 == 0, -1.0, 1.0)
    score = 0.0
    for samples in (flat[across, along], flat[along, across]):
        values = samples.astype(np.float64)
        spread = values.std()
        if spread < 1:
            return 0.0
        score += float((sign * (values - values.mean())).mean() / spread)
    return score / 2


def _combed(profiles: np.ndarray, ppm: int) -> np.ndarray:
    """Each profile summed at every module pitch across a tile: peaks where edges line up."""
    comb = np.zeros((1, _TILE * ppm + 1), np.float32)
    comb[0, ::ppm] = 1
    return cv2.filter2D(profiles, -1, comb, borderType=cv2.BORDER_CONSTANT)


def follow(flat: np.ndarray, size: int, ppm: int = _PPMS[0]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The flat symbol with its grid bent onto the module edges, and the shifts (x, y) used.

    Tiles are done by anti-diagonals from the top-left finder (where the first grid is
    best); each starts from the mean shift of its done neighbours and moves at most half
    a module from it, so the grid follows the paper instead of jumping a whole module.
    """
    pixels = flat.shape[0]
    smooth = cv2.GaussianBlur(flat, (0, 0), 1.0)
    grad_x = np.abs(cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3))
    grad_y = np.abs(cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3))
    centres = ((np.array([*range(0, size, _STEP), size]) + _QUIET) * ppm).astype(int)
    count = centres.size
    reach = _TILE * ppm // 2
    low, high = np.clip(centres - reach, 0, pixels), np.clip(centres + reach, 0, pixels)
    rows = np.vstack([np.zeros((1, pixels), np.float32), np.cumsum(grad_x, axis=0)])
    cols = np.vstack([np.zeros((1, pixels), np.float32), np.cumsum(grad_y.T, axis=0)])
    across_x = _combed(rows[high] - rows[low], ppm)  # per tile row: x-edge profile
    across_y = _combed(cols[high] - cols[low], ppm)  # per tile column: y-edge profile
    offsets = np.arange(-(ppm // 2), ppm // 2 + 1)
    shift_x = np.zeros((count, count), np.float32)
    shift_y = np.zeros((count, count), np.float32)
    for diagonal in range(2 * count - 1):
        i = np.arange(max(0, diagonal - count + 1), min(count, diagonal + 1))
        j = diagonal - i
        start_x, start_y, done = (np.zeros(i.size, np.float32) for _ in range(3))
        for di, dj in ((1, 0), (0, 1), (1, 1)):
            a, b = i - di, j - dj
            ok = (a >= 0) & (b >= 0)
            start_x[ok] += shift_x[a[ok], b[ok]]
            start_y[ok] += shift_y[a[ok], b[ok]]
            done[ok] += 1
        start_x = np.round(start_x / np.maximum(done, 1)).astype(int)
        start_y = np.round(start_y / np.maximum(done, 1)).astype(int)
        xs = np.clip(centres[j][:, None] + start_x[:, None] + offsets, 0, pixels - 1)
        ys = np.clip(centres[i][:, None] + start_y[:, None] + offsets, 0, pixels - 1)
        pick = np.arange(i.size)
        shift_x[i, j] = xs[pick, np.argmax(across_x[i[:, None], xs], axis=1)] - centres[j]
        shift_y[i, j] = ys[pick, np.argmax(across_y[j[:, None], ys], axis=1)] - centres[i]
    at = np.interp(np.arange(pixels), centres, np.arange(count)).astype(np.float32)
    map_x, map_y = np.tile(at, (pixels, 1)), np.tile(at[:, None], (1, pixels))
    dense_x = cv2.remap(shift_x, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    dense_y = cv2.remap(shift_y, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    grid_x, grid_y = np.meshgrid(np.arange(pixels, dtype=np.float32),
                                 np.arange(pixels, dtype=np.float32))
    bent = cv2.remap(flat, grid_x + dense_x, grid_y + dense_y, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)
    return bent, dense_x, dense_y


def _trio_grids(grey: np.ndarray) -> Iterator[tuple[np.ndarray, int]]:
    """(modules-to-image homography, width in modules) from each distinct finder trio."""
    done: list[np.ndarray] = []
    for _small, scale, trio, centres in finder_grid.located_trios(grey):
        if any(np.abs(centres - k).max() < 4 for k in done):
            continue  # its first grid differs by a pixel: following fixes that
        done.append(centres)
        to_image = np.diag([1 / scale, 1 / scale, 1.0])
        estimate = round((trio.modules - 17) / 4)
        for step in _TRIO_VERSIONS:
            size = 17 + 4 * int(np.clip(estimate + step, 1, 40))
            found = finder_grid.grid_homography(trio, size)
            if found is not None:
                yield to_image @ found, size


def _seen_grids(view: View) -> Iterator[tuple[np.ndarray, int]]:
    """(homography, width) for each symbol zxing-cpp saw unread, for each small version."""
    scale = min(1.0, _SEEN_SIDE / max(view.grey.shape))
    small = resized(view.grey, scale)
    other = [corners(b.position, np.diag([1 / scale, 1 / scale, 1.0]))
             for b in read(small, binarizer=Binarizer.GlobalHistogram, errors=True)
             if not b.valid]
    quads = [q for q in (*view.sightings, *other) if np.ptp(np.array(q)[:, 0]) >= _MIN_SIDE]
    for quad in quads[:_SEEN_LIMIT]:
        for version in _SEEN_VERSIONS:
            size = 17 + 4 * version
            square = np.array([[0, 0], [size, 0], [size, size], [0, size]], np.float32)
            yield cv2.getPerspectiveTransform(square, np.array(quad, np.float32)), size


def _read_followed(grey: np.ndarray, to_image: np.ndarray, size: int) -> list[DecodedCode]:
    """The grid followed and read, its corners mapped back onto the image; [] if unread."""
    for ppm in _PPMS:
        flat, back = flat_symbol(grey, to_image, size, ppm)
        if ppm == _PPMS[0] and timing_score(flat, size, ppm) < _MIN_TIMING:
            return []
        bent, shift_x, shift_y = follow(flat, size, ppm)
        codes = read_either(bent, NAME)
        if codes:
            return [_placed(code, shift_x, shift_y, back) for code in codes]
    return []


def _placed(code: DecodedCode, shift_x: np.ndarray, shift_y: np.ndarray,
            back: np.ndarray) -> DecodedCode:
    """A code read on the bent symbol, its corners put back where they are in the image."""
    limit = shift_x.shape[0] - 1
    points = []
    for x, y in code.corners:
        col, row = int(np.clip(x, 0, limit)), int(np.clip(y, 0, limit))
        points.append((x + shift_x[row, col], y + shift_y[row, col]))
    return DecodedCode(code.text, code.raw, map_points(np.array(points), back), NAME)


def mesh_grid(view: View) -> list[DecodedCode]:
    """Every symbol found by its finder patterns or by zxing-cpp, followed and read."""
    found: list[DecodedCode] = []
    for grids in (_trio_grids(view.grey), _seen_grids(view)):
        for to_image, size in grids:
            middle = cv2.perspectiveTransform(np.array([[[size / 2, size / 2]]]), to_image)[0, 0]
            if covered(((middle[0], middle[1]),) * 4, found):
                continue
            found += _read_followed(view.grey, to_image, size)
    return found
