"""Half-block preview: size, colours, the code outline, mirroring, Rich rendering."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console

from kiosk.demo.synth import camera_view
from kiosk.passes.token import encode_token
from kiosk.scanner.decode import ZxingDecoder
from kiosk.scanner.preview import (
    UPPER_HALF,
    HalfBlockImage,
    fit_size,
    placeholder,
    render_halfblock,
)

TOKEN = encode_token(bytes(range(16)))


def cell_colours(image: HalfBlockImage) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """(top, bottom) RGB of every cell, left to right, top to bottom."""
    out = []
    for line in image.lines:
        for seg in line:
            top, bottom = seg.style.color.triplet, seg.style.bgcolor.triplet
            out += [(tuple(top), tuple(bottom))] * len(seg.text)
    return out


def test_size_fits_the_box_and_keeps_the_aspect_ratio() -> None:
    assert fit_size((1280, 720), 48, 18) == (48, 27)
    assert fit_size((640, 480), 80, 10) == (27, 20)
    image = render_halfblock(np.zeros((720, 1280, 3), np.uint8), 48, 18)
    assert (image.width, image.height) == (48, 14)  # 27 pixel rows padded to 28
    assert len(image.lines) == 14
    assert all(sum(len(s.text) for s in line) == 48 for line in image.lines)
    assert {ch for line in image.lines for s in line for ch in s.text} == {UPPER_HALF}


def test_two_pixels_per_cell_top_as_foreground() -> None:
    frame = np.zeros((4, 2, 3), np.uint8)
    frame[0] = (0, 0, 255)  # BGR red on the first pixel row
    frame[1] = (255, 0, 0)  # blue on the second
    image = render_halfblock(frame, 2, 2)
    assert cell_colours(image)[:2] == [((248, 0, 0), (0, 0, 248))] * 2
    assert len(image.lines[0]) == 1  # equal cells merged into one segment


def test_detected_code_outline_is_drawn_in_green() -> None:
    frame = camera_view([TOKEN], size=(640, 480), code_frac=0.4, seed=3)
    (code,) = ZxingDecoder().decode(frame)
    green = (56, 224, 56)  # OUTLINE_BGR quantised
    plain = cell_colours(render_halfblock(frame, 64, 24))
    drawn = cell_colours(render_halfblock(frame, 64, 24, [code.corners]))
    assert sum(green in cell for cell in drawn) > sum(green in cell for cell in plain) + 20


def test_mirror_flips_left_and_right() -> None:
    frame = np.zeros((20, 20), np.uint8)
    frame[:, :10] = 255  # grey input: left half white
    left = cell_colours(render_halfblock(frame, 10, 5))[0]
    mirrored = cell_colours(render_halfblock(frame, 10, 5, mirror=True))[0]
    assert left == ((248, 248, 248),) * 2 and mirrored == ((0, 0, 0),) * 2


def test_renders_in_rich_and_as_text() -> None:
    image = render_halfblock(camera_view([TOKEN], seed=1), 40, 12)
    console = Console(width=60, record=True, color_system="truecolor", force_terminal=True,
                      file=io.StringIO())
    console.print(image)
    rows = console.export_text(clear=False).splitlines()
    assert rows == [UPPER_HALF * image.width] * image.height
    assert "38;2;" in console.export_text(styles=True)  # true-colour foreground codes
    assert image.to_text().plain.splitlines() == rows


def test_placeholder_has_the_preview_size() -> None:
    box = placeholder(20, 5, ["No camera", "yet"])
    text = [("".join(s.text for s in line)) for line in box.lines]
    assert len(text) == 5 and all(len(row) == 20 for row in text)
    assert text[1].strip() == "No camera" and text[2].strip() == "yet"


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one cell"):
        render_halfblock(np.zeros((10, 10), np.uint8), 0, 5)
