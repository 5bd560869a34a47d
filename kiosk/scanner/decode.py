"""QR decoding: a fast zxing-cpp pass on every frame, then a schedule of alternatives.

Chosen by measurement (benchmarks/bench_scanner.py, docs/scanner.md): zxing-cpp on a grey
frame reads more and costs less than OpenCV's detectors, and already handles rotation,
light-on-dark and mirrored symbols. A dark, flat frame has its contrast stretched first.

The fast pass also reports symbols it found but could not decode (finder patterns seen,
error correction failed). Only then, so an empty frame never pays for them, the camera path
spends what is left of its frame budget on the alternatives (alternatives.py), rotating
through them across consecutive frames, since a door camera shows the same pass for many
frames: within about ten frames every alternative has had its turn. A sighting is held for
`hold_frames` frames, so a bent pass that the fast pass only sometimes sees still gets its
turns. While nothing is read, seen or held, one scout a frame (alternatives.SCOUTS, about a
millisecond each) looks for a symbol the fast pass did not even see, such as a dim phone
screen, and its sighting starts the alternatives. A still image (`still=True`) tries every
alternative at once, the still-only ones (still_only.py) included.

Every result is one zxing-cpp's error correction accepted (or a well-formed pass, see
alternatives.confirmed_payload). Any payload, including non-UTF-8 bytes, comes back as
text; the pass parser later calls anything not ours `not_a_pass`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.scanner.alternatives import ALTERNATIVES, SCOUTS, Alternative, Scout, View
from kiosk.scanner.results import Corners, DecodedCode
from kiosk.scanner.still_only import STILL_ONLY
from kiosk.scanner.zxing_read import (
    QR_FORMATS,
    corners,
    covered,
    decoded,
    lift_dark,
    payload_text,
    read,
    side,
    to_grey,
)

__all__ = ["EVERY_ALTERNATIVE", "QR_FORMATS", "Decoder", "ZxingDecoder", "default_decoder",
           "lift_dark", "payload_text", "timed_decode", "to_grey"]

log = logging.getLogger(__name__)

FRAME_BUDGET_MS = 8.0  # decoding time a camera frame may take, alternatives included
HOLD_FRAMES = 10  # frames a sighting keeps the alternatives going (1/3 s at 30 fps)
_MIN_SYMBOL_SIDE = 8.0  # pixels: smaller (or degenerate, all-zero) detections are not sightings
_COST_WEIGHT = 0.3  # weight of the newest measurement in an alternative's running cost
# The camera's rotation, then the ones only a still image can afford (still_only.py).
EVERY_ALTERNATIVE: tuple[Alternative, ...] = (*ALTERNATIVES, *STILL_ONLY)


class Decoder(Protocol):
    """Anything that finds QR codes in an image (a BGR or grey numpy array)."""

    name: str

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Return every code found in the image, with corner points in its pixels."""
        ...


@dataclass
class AlternativeStats:
    """How often one alternative ran, how many codes it rescued, and its time (for figures)."""

    tried: int = 0
    rescued: int = 0
    total_ms: float = 0.0
    cost_ms: float = 1.0  # running estimate the schedule budgets with


class ZxingDecoder:
    """The fast zxing-cpp pass plus the schedule of alternatives for unread sightings.

    One instance per frame stream: it remembers the sighting and whose turn is next.
    `retry=False` is the fast pass alone; `still=True` runs every alternative on each image.
    `budget_ms=0` gives exactly one alternative a frame (deterministic, for tests).
    """

    def __init__(self, *, retry: bool = True, still: bool = False,
                 alternatives: Sequence[Alternative] = EVERY_ALTERNATIVE,
                 scouts: Sequence[Scout] = SCOUTS,
                 budget_ms: float = FRAME_BUDGET_MS, hold_frames: int = HOLD_FRAMES,
                 try_downscale: bool = True,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.retry = retry
        self.still = still
        self.alternatives = tuple(a for a in alternatives if still or not a.still_only) \
            if retry else ()
        self.scouts = tuple(scouts) if retry and not still else ()
        self.budget_ms = budget_ms
        self.hold_frames = hold_frames
        self.try_downscale = try_downscale
        self.name = ("zxing+all" if still else "zxing+schedule") if retry else "zxing"
        self._clock = clock
        self._next = 0  # whose turn it is
        self._scout_next = 0
        self._held: tuple[Corners, ...] = ()
        self._hold_left = 0
        named: list[Scout | Alternative] = [*self.scouts, *self.alternatives]
        self.stats = {a.name: AlternativeStats() for a in named}

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Return every QR code in the image; never raises on odd pixels or payloads."""
        start = self._clock()
        grey, found, seen = self.fast_pass(image)
        if grey is None or not self.alternatives:
            return found
        if self.still:
            return self._run_all(View(grey, seen), found)
        return self._run_scheduled(grey, seen, found, start)

    def fast_pass(self, image: np.ndarray
                  ) -> tuple[np.ndarray | None, list[DecodedCode], tuple[Corners, ...]]:
        """The every-frame pass: (grey frame, codes read, symbols seen but not read)."""
        grey = to_grey(image)
        if grey.shape[0] < 21 or grey.shape[1] < 21:
            return None, [], ()
        grey = lift_dark(grey)
        results = read(grey, downscale=self.try_downscale, errors=bool(self.alternatives))
        found = decoded(results, "zxing")
        seen = tuple(q for q in (corners(b.position) for b in results if not b.valid)
                     if side(q) >= _MIN_SYMBOL_SIDE and not covered(q, found))
        return grey, found, seen

    def reset(self) -> None:
        """Forget the held sighting and start the rotation again (a new source, say)."""
        self._next, self._held, self._hold_left = 0, (), 0

    def _run_all(self, view: View, found: list[DecodedCode]) -> list[DecodedCode]:
        for alternative in self.alternatives:
            if alternative.needs_sighting and not view.sightings:
                continue
            self._attempt(alternative, view, found)
        return found

    def _run_scheduled(self, grey: np.ndarray, seen: tuple[Corners, ...],
                       found: list[DecodedCode], start: float) -> list[DecodedCode]:
        if seen:
            self._held, self._hold_left = seen, self.hold_frames
        elif self._hold_left > 0:
            self._hold_left -= 1
            seen = tuple(q for q in self._held if not covered(q, found))
        elif not found and self.scouts:
            seen = self._scout(grey, found)
            if seen:
                self._held, self._hold_left = seen, self.hold_frames
        if not seen:
            self.reset()
            return found
        view = View(grey, seen, local=True)
        for ran in range(len(self.alternatives)):
            alternative = self.alternatives[self._next]
            spent = (self._clock() - start) * 1000.0
            if ran and spent + self.stats[alternative.name].cost_ms > self.budget_ms:
                break
            if self._attempt(alternative, view, found):
                break  # it worked: it goes first on the next frame too
            self._next = (self._next + 1) % len(self.alternatives)
        return found

    def _scout(self, grey: np.ndarray, found: list[DecodedCode]) -> tuple[Corners, ...]:
        """This frame's scout (they take turns): codes it read go into `found`; its sightings."""
        scout = self.scouts[self._scout_next]
        self._scout_next = (self._scout_next + 1) % len(self.scouts)
        t0 = self._clock()
        codes, seen = scout.run(grey)
        stats = self.stats[scout.name]
        stats.tried += 1
        stats.total_ms += (self._clock() - t0) * 1000.0
        stats.rescued += len(codes)
        found += codes
        return tuple(q for q in seen if side(q) >= _MIN_SYMBOL_SIDE and not covered(q, found))

    def _attempt(self, alternative: Alternative, view: View,
                 found: list[DecodedCode]) -> bool:
        """Run one alternative; keep its codes that are not already found. True if any."""
        t0 = self._clock()
        new = [c for c in alternative.run(view) if not covered(c.corners, found)]
        ms = (self._clock() - t0) * 1000.0
        stats = self.stats[alternative.name]
        stats.cost_ms += _COST_WEIGHT * (ms - stats.cost_ms)
        stats.tried += 1
        stats.total_ms += ms
        for code in new:
            if not covered(code.corners, found):
                found.append(code)
                stats.rescued += 1
        return bool(new)


def timed_decode(decoder: Decoder, image: np.ndarray) -> tuple[list[DecodedCode], float]:
    """Decode and return the codes with the wall time taken, in milliseconds."""
    start = time.perf_counter()
    codes = decoder.decode(image)
    return codes, (time.perf_counter() - start) * 1000.0


def default_decoder(*, still: bool = False) -> Decoder:
    """The decoder the kiosk uses: camera schedule, or every alternative for a still image."""
    return ZxingDecoder(still=still)
