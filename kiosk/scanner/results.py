"""Value types the scanner hands out: decoded codes, scan events and status changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from kiosk.passes.token import looks_like_ours

Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]


@dataclass(frozen=True)
class DecodedCode:
    """One QR code found in a frame: its text, raw bytes and corner points (pixels)."""

    text: str
    raw: bytes
    corners: Corners  # top-left, top-right, bottom-right, bottom-left of the symbol
    decoder: str = "zxing"

    @property
    def looks_like_pass(self) -> bool:
        """True when the payload carries our pass prefix (validity is checked elsewhere)."""
        return looks_like_ours(self.text)


@dataclass(frozen=True)
class Frame:
    """One picture from a source; `t` is the source's clock in seconds, kept in memory only."""

    image: np.ndarray = field(repr=False)
    t: float
    index: int


ScanOrigin = Literal["camera", "scanner", "keyboard"]  # the check-in `method` words


@dataclass(frozen=True)
class ScanEvent:
    """One presentation of a code: what the door screen passes on to check-in."""

    text: str
    origin: ScanOrigin
    t: float  # source clock (monotonic seconds for live sources, media time for files)
    corners: Corners | None = None  # None for handheld-scanner and typed codes
    decode_ms: float = 0.0
    frame_index: int | None = None

    @property
    def looks_like_pass(self) -> bool:
        """True when the payload carries our pass prefix (validity is checked elsewhere)."""
        return looks_like_ours(self.text)


SourceState = Literal["starting", "running", "unavailable", "finished", "failed", "stopped"]


@dataclass(frozen=True)
class ScannerStatus:
    """A change in the frame source's state, with one plain sentence for the screen."""

    state: SourceState
    message: str


ScannerMessage = ScanEvent | ScannerStatus
