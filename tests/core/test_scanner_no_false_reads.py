"""No alternative ever invents a payload: code-free images read nothing, damaged codes read true."""

from __future__ import annotations

import cv2
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.demo.synth import qr_matrix
from kiosk.passes.token import encode_token
from kiosk.scanner.alternatives import confirmed_payload
from kiosk.scanner.decode import ZxingDecoder

TOKEN = encode_token(bytes(range(40, 56)))
STILL = ZxingDecoder(still=True)
SLOW = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def _symbol(ppm: int = 4) -> np.ndarray:
    cells = np.where(qr_matrix(TOKEN), 0, 255).astype(np.uint8)
    return np.kron(cells, np.ones((ppm, ppm), np.uint8))


shapes = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 300), st.integers(0, 220),
                            st.integers(3, 60), st.integers(0, 255)), max_size=25)


@SLOW
@given(shapes, st.integers(0, 255), st.integers(0, 40), st.integers(0, 2**31 - 1))
def test_a_picture_with_no_code_never_reads(shapes: list[tuple[int, int, int, int, int]],
                                            background: int, noise: int, seed: int) -> None:
    image = np.full((240, 320), background, np.uint8)
    for kind, x, y, size, shade in shapes:
        if kind == 0:  # a block
            cv2.rectangle(image, (x, y), (x + size, y + size // 2), shade, -1)
        elif kind == 1:  # a finder-pattern look-alike
            for k, value in ((0, 0), (1, 255), (2, 0)):
                step = max(1, size // 7)
                cv2.rectangle(image, (x + k * step, y + k * step),
                              (x + (7 - k) * step, y + (7 - k) * step), value, -1)
        elif kind == 2:  # a line
            cv2.line(image, (x, y), (y, x), shade, max(1, size // 10))
        else:  # a checkerboard patch
            cell = max(2, size // 8)
            patch = (np.indices((8, 8)).sum(axis=0) % 2 * 255).astype(np.uint8)
            patch = np.kron(patch, np.ones((cell, cell), np.uint8))
            h, w = image[y:y + patch.shape[0], x:x + patch.shape[1]].shape
            image[y:y + h, x:x + w] = patch[:h, :w]
    rng = np.random.default_rng(seed)
    image = np.clip(image + rng.normal(0, noise, image.shape), 0, 255).astype(np.uint8)
    assert STILL.decode(image) == []


@SLOW
@given(st.lists(st.tuples(st.integers(0, 36), st.integers(0, 36)), max_size=60),
       st.tuples(st.integers(0, 140), st.integers(0, 140), st.integers(0, 60),
                 st.integers(0, 60)),
       st.floats(0.0, 2.5), st.integers(0, 120))
def test_a_damaged_code_reads_true_or_not_at_all(flips: list[tuple[int, int]],
                                                 blot: tuple[int, int, int, int],
                                                 blur: float, fade: int) -> None:
    image = _symbol().astype(np.float32)
    for row, col in flips:  # modules printed wrong
        cell = image[row * 4:row * 4 + 4, col * 4:col * 4 + 4]
        cell[...] = 255 - cell
    x, y, w, h = blot  # a stain
    image[y:y + h, x:x + w] = 128
    if blur > 0.3:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    image = fade + image * (255 - 2 * fade) / 255  # faint print
    codes = STILL.decode(np.clip(image, 0, 255).astype(np.uint8))
    assert all(c.text == TOKEN for c in codes)


def test_the_camera_schedule_never_misreads_a_damaged_code_either() -> None:
    rng = np.random.default_rng(5)
    decoder = ZxingDecoder(budget_ms=1e6)
    for _ in range(8):
        image = _symbol().copy()
        for row, col in rng.integers(0, 37, (45, 2)):
            image[row * 4:row * 4 + 4, col * 4:col * 4 + 4] ^= 255
        assert all(c.text == TOKEN for c in decoder.decode(image))


def test_an_opencv_read_counts_only_when_confirmed() -> None:
    straight = np.where(qr_matrix(TOKEN)[4:-4, 4:-4], 0, 255).astype(np.uint8)
    assert confirmed_payload(TOKEN, straight) == TOKEN.encode()  # zxing-cpp reads it too
    assert confirmed_payload("https://example.org/other", straight) is None  # disagrees
    assert confirmed_payload("https://example.org/x", None) is None  # nothing confirms it
    assert confirmed_payload(TOKEN, None) == TOKEN.encode()  # a well-formed pass
    broken = TOKEN[:-1] + ("A" if TOKEN[-1] != "A" else "B")
    assert confirmed_payload(broken, None) is None  # its check value fails
