"""The still-only alternatives on generated images: a pass on a can, a blurred photo, a tilt."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.demo import synth
from kiosk.passes.token import encode_token
from kiosk.scanner import finder_grid, mesh_grid
from kiosk.scanner.alternatives import ALTERNATIVES, View
from kiosk.scanner.decode import EVERY_ALTERNATIVE, ZxingDecoder
from kiosk.scanner.still_only import STILL_ONLY

TOKEN = encode_token(bytes(range(16)))
BY_NAME = {a.name: a for a in STILL_ONLY}


def symbol(ppm: int) -> np.ndarray:
    """The pass's symbol, black on white, with its quiet zone, `ppm` pixels a module."""
    cells = np.pad(np.where(synth.qr_matrix(TOKEN), 0, 255).astype(np.uint8), 4,
                   constant_values=255)
    return np.kron(cells, np.ones((ppm, ppm), np.uint8))


def on_a_can(ppm: int = 6) -> np.ndarray:
    """The symbol wrapped half-way round a cylinder, seen from the front."""
    flat = symbol(ppm)
    height, width = flat.shape
    radius = width / np.pi  # the symbol covers half the can's circumference
    xs = np.arange(int(2 * radius) + 40) - (int(2 * radius) + 40) / 2
    along = radius * np.arcsin(np.clip(xs / radius, -1, 1)) + width / 2
    map_x = np.tile(along.astype(np.float32), (height, 1))
    map_y = np.tile(np.arange(height, dtype=np.float32)[:, None], (1, xs.size))
    image = cv2.remap(flat, map_x, map_y, cv2.INTER_LINEAR, borderValue=255)
    image = cv2.copyMakeBorder(image, 30, 30, 0, 0, cv2.BORDER_CONSTANT, value=255)
    return cv2.GaussianBlur(image, (0, 0), 0.8)


def centre(corners: tuple[tuple[float, float], ...]) -> np.ndarray:
    return np.mean(np.array(corners), axis=0)


@pytest.mark.parametrize("lying", [False, True])
def test_a_pass_round_a_can_is_read_only_when_unwrapped(lying: bool) -> None:
    image = on_a_can()
    image = image.T.copy() if lying else image
    grey, found, seen = ZxingDecoder().fast_pass(image)
    assert grey is not None and found == []
    view = View(grey, seen)
    assert not any(a.run(view) for a in ALTERNATIVES)  # nothing straight reads it
    codes = BY_NAME["cylinder"].run(view)
    assert codes and {c.text for c in codes} == {TOKEN}
    middle = np.array(image.shape[::-1]) / 2
    assert all(np.abs(centre(c.corners) - middle).max() < 10 for c in codes)
    assert [c.text for c in ZxingDecoder(still=True).decode(image)] == [TOKEN]


def test_a_faint_pass_round_a_can_is_read_after_the_contrast_lift() -> None:
    faint = (on_a_can().astype(np.float32) * (30 / 255) + 20).astype(np.uint8)
    grey, found, seen = ZxingDecoder().fast_pass(faint)
    assert grey is not None and found == []
    codes = BY_NAME["cylinder-contrast"].run(View(grey, seen))
    assert codes and {(c.text, c.decoder) for c in codes} == {(TOKEN, "cylinder-contrast")}


def test_a_blurred_photo_is_read_sharpened_at_a_quarter_size() -> None:
    image = cv2.copyMakeBorder(cv2.GaussianBlur(symbol(24), (0, 0), 10), 100, 40, 60, 0,
                               cv2.BORDER_CONSTANT, value=255)
    codes = BY_NAME["sharpen/4"].run(View(image))
    assert [c.text for c in codes] == [TOKEN]
    middle = np.array([60 + symbol(24).shape[1] / 2, 100 + symbol(24).shape[0] / 2])
    assert np.abs(centre(codes[0].corners) - middle).max() < 24


def test_a_detected_symbol_is_warped_flat_and_read_in_place() -> None:
    flat = symbol(6)
    size = flat.shape[0]
    quad = np.float32([[80, 60], [80 + size, 90], [60 + size, 70 + size], [40, 50 + size]])
    square = np.float32([[0, 0], [size, 0], [size, size], [0, size]])
    image = cv2.warpPerspective(flat, cv2.getPerspectiveTransform(square, quad),
                                (size + 160, size + 160), borderValue=255)
    codes = BY_NAME["detector-crops"].run(View(image))
    assert [c.text for c in codes] == [TOKEN]
    assert np.abs(centre(codes[0].corners) - quad.mean(axis=0)).max() < 12


def test_the_still_only_alternatives_read_nothing_in_a_code_free_scene() -> None:
    rng = np.random.default_rng(5)
    scene = cv2.GaussianBlur((rng.random((400, 600)) * 255).astype(np.uint8), (0, 0), 3)
    cv2.rectangle(scene, (100, 100), (220, 220), 0, -1)
    cv2.rectangle(scene, (130, 130), (190, 190), 255, -1)
    for alternative in STILL_ONLY:
        assert alternative.run(View(scene)) == [], alternative.name


def test_the_still_only_alternatives_never_reach_the_camera() -> None:
    assert all(a.still_only for a in STILL_ONLY)
    assert EVERY_ALTERNATIVE[-len(STILL_ONLY):] == tuple(STILL_ONLY)
    camera = ZxingDecoder()
    assert not {a.name for a in STILL_ONLY} & set(camera.stats)
    assert {a.name for a in STILL_ONLY} <= set(ZxingDecoder(still=True).stats)


def test_a_symbol_seen_at_a_steep_angle_is_read_stretched() -> None:
    squashed = cv2.resize(symbol(6), None, fx=0.2, fy=1.0, interpolation=cv2.INTER_AREA)
    image = cv2.copyMakeBorder(squashed, 20, 20, 40, 40, cv2.BORDER_CONSTANT, value=255)
    grey, found, seen = ZxingDecoder().fast_pass(image)
    assert grey is not None and found == []
    assert not any(a.run(View(grey, seen)) for a in ALTERNATIVES)
    codes = BY_NAME["stretch-x2"].run(View(grey, seen))
    assert [c.text for c in codes] == [TOKEN]
    middle = np.array(image.shape[::-1]) / 2
    assert np.abs(centre(codes[0].corners) - middle).max() < 6


def edge_on(ppm: int = 4, narrow: float = 0.3, taper: float = 0.0
            ) -> tuple[np.ndarray, np.ndarray]:
    """The symbol seen almost edge-on (its width squashed, its far side shorter), slightly
    blurred; and where its centre is."""
    flat = symbol(ppm)
    size = flat.shape[0]
    quad = np.float32([[60, 40], [60 + size * narrow, 40 + size * taper],
                       [60 + size * narrow, 40 + size * (1 - 0.3 * taper)], [60, 40 + size]])
    square = np.float32([[0, 0], [size, 0], [size, size], [0, size]])
    image = cv2.warpPerspective(flat, cv2.getPerspectiveTransform(square, quad),
                                (int(120 + size * narrow), 80 + size), flags=cv2.INTER_AREA,
                                borderValue=255)
    return cv2.GaussianBlur(image, (0, 0), 0.6), quad.mean(axis=0)


def test_a_symbol_too_squashed_for_its_finder_patterns_is_read_by_its_outline() -> None:
    image, middle = edge_on(ppm=5, narrow=0.25, taper=0.15)
    grey, found, seen = ZxingDecoder().fast_pass(image)
    assert grey is not None and found == []
    view = View(grey, seen)
    assert not any(a.run(view) for a in ALTERNATIVES)
    assert finder_grid.finder_grid(view) == []
    codes = BY_NAME["outline"].run(view)
    assert [c.text for c in codes] == [TOKEN]
    assert np.abs(centre(codes[0].corners) - middle).max() < 6


def test_a_symbol_whose_size_zxing_cannot_tell_is_rebuilt_from_its_finder_patterns() -> None:
    image, middle = edge_on()
    grey, found, seen = ZxingDecoder().fast_pass(image)
    assert grey is not None and found == []
    view = View(grey, seen)
    assert not any(a.run(view) for a in ALTERNATIVES)
    codes = BY_NAME["finder-grid"].run(view)
    assert [c.text for c in codes] == [TOKEN]
    assert np.abs(centre(codes[0].corners) - middle).max() < 4
    assert [c.text for c in ZxingDecoder(still=True).decode(image)] == [TOKEN]


def test_finder_grid_takes_the_three_finder_patterns_of_a_flat_symbol() -> None:
    mask = cv2.bitwise_not(symbol(6))
    found = finder_grid.finders(mask)
    assert len(found) == 3
    (trio,) = finder_grid.trios(found)
    width = synth.qr_matrix(TOKEN).shape[0] - 8  # the matrix has its quiet zone
    assert abs(trio.modules - width) < 1
    top_left = trio.top_left.centre
    assert np.abs(top_left - (8 + 3.5) * 6).max() < 2  # 8 modules of quiet zone in all
    assert trio.top_right.centre[0] > top_left[0] and trio.bottom_left.centre[1] > top_left[1]


def test_the_scale_ladder_reads_a_blurred_poster_at_a_small_size_in_place() -> None:
    big = cv2.GaussianBlur(symbol(24), (0, 0), 9)
    image = cv2.copyMakeBorder(big, 60, 0, 120, 0, cv2.BORDER_CONSTANT, value=255)
    codes = BY_NAME["scale-ladder"].run(View(image))
    assert codes and {c.text for c in codes} == {TOKEN}
    middle = np.array([120 + big.shape[1] / 2, 60 + big.shape[0] / 2])
    assert all(np.abs(centre(c.corners) - middle).max() < 24 for c in codes)


def crumpled(ppm: int = 6, amplitude: float = 0.6, period: float = 40) -> np.ndarray:
    """The symbol on crumpled paper: every module shifted by a smooth wave (in modules)."""
    flat = cv2.copyMakeBorder(symbol(ppm), 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=255)
    height, width = flat.shape
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float32),
                         np.arange(height, dtype=np.float32))
    wave, size = 2 * np.pi / (period * ppm), amplitude * ppm
    map_x = xs + size * np.sin(wave * ys) * np.sin(np.pi * xs / width)
    map_y = ys + size * np.sin(wave * xs + 1.0) * np.sin(np.pi * ys / height)
    image = cv2.remap(flat, map_x, map_y, cv2.INTER_LINEAR, borderValue=255)
    return cv2.GaussianBlur(image, (0, 0), 0.7)


def test_a_crumpled_pass_is_read_only_by_following_its_grid() -> None:
    image = crumpled()
    grey, found, seen = ZxingDecoder().fast_pass(image)
    assert grey is not None and found == []
    view = View(grey, seen)
    others = [a.name for a in EVERY_ALTERNATIVE if a.name != "mesh-grid" and a.run(view)]
    assert others == []  # no straight grid, unwrapping or finder rebuild reads it
    codes = BY_NAME["mesh-grid"].run(view)
    assert codes and {c.text for c in codes} == {TOKEN}
    middle = np.array(image.shape[::-1]) / 2
    assert all(np.abs(centre(c.corners) - middle).max() < 8 for c in codes)
    assert [c.text for c in ZxingDecoder(still=True).decode(image)] == [TOKEN]


def test_timing_patterns_tell_the_true_version_from_its_neighbours() -> None:
    image = symbol(8)  # 8 modules of quiet zone, then the symbol, 8 px a module
    size = synth.qr_matrix(TOKEN).shape[0] - 8
    start, end = 8 * 8, (8 + size) * 8
    quad = np.float32([[start, start], [end, start], [end, end], [start, end]])

    def score(modules: int) -> float:
        square = np.float32([[0, 0], [modules, 0], [modules, modules], [0, modules]])
        grid = cv2.getPerspectiveTransform(square, quad)
        flat, _ = mesh_grid.flat_symbol(image, grid, modules, 8)  # mesh-grid's first pitch
        return mesh_grid.timing_score(flat, modules, 8)

    assert score(size) > 0.9
    assert score(size - 4) < 0.5 and score(size + 4) < 0.5
