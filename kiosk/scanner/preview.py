"""Terminal preview of a camera frame: half-block cells, two pixels each, code outline drawn.

Each cell is "▀" with the upper pixel as foreground and the lower one as background colour,
so a 48x18-cell preview shows 48x36 pixels. Colours are quantised (5 bits a channel) and
runs of equal cells merged, so a frame costs a few hundred Rich segments. Rich (and Textual)
downgrade the colours on terminals without true colour. The result is a Rich renderable;
nothing here imports textual.

    image = render_halfblock(frame, 48, 18, [code.corners for code in codes])
    static.update(image)                 # a Textual Static, or console.print(image)
    Strip(image.lines[0])                # or line by line in a Textual render_line
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from kiosk.scanner.results import Corners

UPPER_HALF = "▀"
OUTLINE_BGR = (60, 230, 60)  # green: "I see your code"
_QUANT_SHIFT = 3
_STYLE_CACHE: dict[int, Style] = {}
_STYLE_CACHE_MAX = 8192


@dataclass(frozen=True)
class HalfBlockImage:
    """Preview lines as Rich segments; renders in Rich and Textual as they are."""

    lines: list[list[Segment]]
    width: int  # cells
    height: int  # cells (each two pixel rows)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield each line's segments followed by a newline."""
        newline = Segment.line()
        for line in self.lines:
            yield from line
            yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The preview is exactly `width` cells wide."""
        return Measurement(self.width, self.width)

    def to_text(self) -> Text:
        """The same preview as one rich.text.Text (slower to build; handy for tests)."""
        text = Text(no_wrap=True, end="")
        for row, line in enumerate(self.lines):
            if row:
                text.append("\n")
            for segment in line:
                text.append(segment.text, segment.style)
        return text


def _style(key: int) -> Style:
    style = _STYLE_CACHE.get(key)
    if style is None:
        top, bottom = key >> 24, key & 0xFFFFFF
        style = Style(
            color=Color.from_rgb(top >> 16, (top >> 8) & 0xFF, top & 0xFF),
            bgcolor=Color.from_rgb(bottom >> 16, (bottom >> 8) & 0xFF, bottom & 0xFF),
        )
        if len(_STYLE_CACHE) >= _STYLE_CACHE_MAX:
            _STYLE_CACHE.clear()
        _STYLE_CACHE[key] = style
    return style


def fit_size(frame_size: tuple[int, int], width: int, height: int) -> tuple[int, int]:
    """Pixel size (w, h) of the preview: the frame scaled into width x 2*height, aspect kept."""
    fw, fh = frame_size
    scale = min(width / fw, 2 * height / fh)
    return max(1, round(fw * scale)), max(2, round(fh * scale))


def render_halfblock(image: np.ndarray, width: int, height: int,
                     outlines: Iterable[Corners] = (), *, mirror: bool = False) -> HalfBlockImage:
    """Downscale a BGR or grey frame into at most width x height cells, outlines drawn.

    `outlines` are code corners in frame pixels (DecodedCode.corners / ScanEvent.corners).
    `mirror` flips left and right, as people expect from a camera facing them.
    """
    if width < 1 or height < 1:
        raise ValueError("a preview needs at least one cell")
    frame = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    fh, fw = frame.shape[:2]
    pw, ph = fit_size((fw, fh), width, height)
    # Skip pixels first (OpenCV's area averaging is slow at odd ratios), then average ~2x2.
    step = max(1, min(fw // (2 * pw), fh // (2 * ph)))
    small = cv2.resize(frame[::step, ::step, :3], (pw, ph), interpolation=cv2.INTER_AREA)
    sx, sy = pw / fw, ph / fh
    for corners in outlines:
        pts = np.array([[x * sx, y * sy] for x, y in corners], np.float32)
        cv2.polylines(small, [np.round(pts).astype(np.int32)], True, OUTLINE_BGR, 1,
                      cv2.LINE_8)
    if mirror:
        small = small[:, ::-1]
    if ph % 2:
        small = np.vstack([small, np.zeros((1, pw, 3), np.uint8)])
    return HalfBlockImage(_segments(small), pw, small.shape[0] // 2)


def _segments(bgr: np.ndarray) -> list[list[Segment]]:
    """Pair pixel rows into cells, pack colours into integer keys, merge equal runs."""
    q = (bgr >> _QUANT_SHIFT).astype(np.int64) << _QUANT_SHIFT
    rgb = (q[:, :, 2] << 16) | (q[:, :, 1] << 8) | q[:, :, 0]
    keys = (rgb[0::2] << 24) | rgb[1::2]
    lines = []
    for row in keys:
        cuts = np.flatnonzero(row[1:] != row[:-1]) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [row.size]))
        lines.append([Segment(UPPER_HALF * int(e - s), _style(int(row[s])))
                      for s, e in zip(starts.tolist(), ends.tolist(), strict=True)])
    return lines


def placeholder(width: int, height: int, message: Sequence[str] = ()) -> HalfBlockImage:
    """A dark box of the preview's size, with optional short lines (no camera yet)."""
    blank = Style(color=Color.from_rgb(200, 200, 200), bgcolor=Color.from_rgb(24, 24, 24))
    top = (height - len(message)) // 2
    lines = []
    for row in range(height):
        k = row - top
        text = message[k] if 0 <= k < len(message) else ""
        lines.append([Segment(text[:width].center(width), blank)])
    return HalfBlockImage(lines, width, height)
