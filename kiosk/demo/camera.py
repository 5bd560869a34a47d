"""A pretend camera for the demo: an empty entrance until it is asked to show a pass.

`present(token)` makes the next frames show that pass the way a parent would: a phone or
card comes into view, is held still for a moment with a slightly shaking hand, and goes
away. The frames go through the same decoder and de-duplication as a real camera, so a
new user sees a real camera-path scan without a camera. Nothing is written anywhere.

    demo = DemoSource(tokens=[token_a, token_b])
    service = ScanService(demo, on_message=post)   # see service.py
    service.start()
    demo.present_next()          # from the UI thread: safe, returns the token shown
"""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kiosk.demo import optics, synth
from kiosk.scanner.results import Frame

NOMINAL_FPS = 15.0
ENTER_S, EXIT_S = 0.4, 0.3  # seconds a pass takes to come into view and to leave it
_NOISE_FRAMES = 4


@dataclass
class _Presentation:
    face: synth.Face
    start: int  # frame index when it began
    frames: int  # total frames it lasts
    centre: tuple[float, float]
    code_height: float
    rotation: float
    tilt: tuple[float, float]
    wobble: float  # phase of the hand shake


class DemoSource:
    """A live-looking frame source that shows demo passes on request."""

    live = True

    def __init__(self, tokens: Sequence[str] = (), *, size: tuple[int, int] = (640, 480),
                 fps: float | None = NOMINAL_FPS, hold_s: float = 2.0,
                 auto_present_s: float | None = None, seed: int | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """`fps=None` delivers frames as fast as they are read (tests); time stays nominal."""
        self.description = "the demo camera"
        self.size = size
        self.pace = fps
        self.hold_s = hold_s
        self.auto_present_s = auto_present_s
        self._tokens = list(tokens)
        self._next_token = 0
        self._rng = np.random.default_rng(seed)
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._queue: collections.deque[tuple[str, synth.FaceStyle | None]] = collections.deque()
        self._current: _Presentation | None = None
        self._index = 0
        self._idle_since = 0
        self._background: np.ndarray | None = None
        self._empty: list[np.ndarray] = []

    # --- what the UI calls (any thread) ---------------------------------------------------

    def present(self, token: str, style: synth.FaceStyle | None = None) -> None:
        """Show this token next (phone, dark-mode phone or paper card; random if None)."""
        with self._lock:
            self._queue.append((token, style))

    def present_next(self) -> str:
        """Show the next demo token (cycling through `tokens`) and return it."""
        with self._lock:
            if not self._tokens:
                raise ValueError("the demo source was given no tokens to present")
            token = self._tokens[self._next_token % len(self._tokens)]
            self._next_token += 1
            self._queue.append((token, None))
        return token

    @property
    def presenting(self) -> bool:
        """True while a pass is in view or waiting to be shown."""
        with self._lock:
            return self._current is not None or bool(self._queue)

    # --- the FrameSource interface (the scanner thread) ----------------------------------

    def open(self) -> None:
        """Build the empty entrance scene (once) and start the frame clock."""
        if self._background is None:
            scene = optics.scene(self._rng, self.size)
            lit = optics.light(scene, np.zeros(scene.shape[:2], np.float32),
                               optics.illumination(self._rng, self.size, 0.85, 0.3))
            self._background = lit
            self._empty = [optics.to_uint8(optics.sensor_noise(lit, self._rng, 0.01))
                           for _ in range(_NOISE_FRAMES)]
        self._index = 0
        self._idle_since = 0
        with self._lock:
            self._current = None

    def read(self) -> Frame:
        """The next frame: the empty scene, or a pass on its way in, held, or leaving."""
        if self._background is None:
            self.open()
        index = self._index
        self._index += 1
        t = self._monotonic() if self.pace else index / NOMINAL_FPS
        shot = self._presentation_for(index)
        if shot is None:
            return Frame(self._empty[index % len(self._empty)].copy(), t, index)
        return Frame(self._render(shot, index), t, index)

    def close(self) -> None:
        """Nothing to release; a pass in view is dropped."""
        with self._lock:
            self._current = None

    # --- rendering -------------------------------------------------------------------------

    def _presentation_for(self, index: int) -> _Presentation | None:
        with self._lock:
            cur = self._current
            if cur is not None and index >= cur.start + cur.frames:
                self._current = cur = None
                self._idle_since = index
            idle = (index - self._idle_since) / NOMINAL_FPS
            if (cur is None and not self._queue and self._tokens
                    and self.auto_present_s is not None and idle >= self.auto_present_s):
                self._queue.append((self._tokens[self._next_token % len(self._tokens)], None))
                self._next_token += 1
            if cur is None and self._queue:
                token, style = self._queue.popleft()
                cur = self._current = self._new_presentation(token, style, index)
            return cur

    def _new_presentation(self, token: str, style: synth.FaceStyle | None,
                          index: int) -> _Presentation:
        rng = self._rng
        chosen = style or str(rng.choice(["phone", "phone_dark", "paper"], p=[0.5, 0.2, 0.3]))
        face = synth.make_face(synth.qr_matrix(token), chosen, 6, rng)  # type: ignore[arg-type]
        w, h = self.size
        frames = round((ENTER_S + self.hold_s + EXIT_S) * NOMINAL_FPS)
        return _Presentation(
            face=face, start=index, frames=frames,
            centre=(w * rng.uniform(0.4, 0.6), h * rng.uniform(0.42, 0.58)),
            code_height=h * rng.uniform(0.2, 0.28), rotation=rng.uniform(-12, 12),
            tilt=(rng.uniform(-15, 15), rng.uniform(-15, 15)), wobble=rng.uniform(0, 6.28),
        )

    def _render(self, p: _Presentation, index: int) -> np.ndarray:
        assert self._background is not None
        w, h = self.size
        t = (index - p.start) / NOMINAL_FPS
        total = p.frames / NOMINAL_FPS
        if t < ENTER_S:  # rising into view from below the frame
            travel = (1 - t / ENTER_S) ** 2
        elif t > total - EXIT_S:  # dropping away
            travel = ((t - (total - EXIT_S)) / EXIT_S) ** 2
        else:
            travel = 0.0
        shake = math.sin(p.wobble + t * 9.0)
        centre = (p.centre[0] + shake * w * 0.004, p.centre[1] + travel * h * 0.9)
        hom = synth.pose_homography(p.face, self.size, p.code_height * (1 - 0.25 * travel),
                                    centre, p.rotation + 1.5 * shake,
                                    (p.tilt[0] + 20 * travel, p.tilt[1]))
        placed = synth.place(self._background, p.face, hom)
        image = placed.image
        if travel > 0:  # a moving hand blurs the picture
            image = optics.motion_blur(image, travel * p.code_height * 0.15, 90.0)
        image = optics.sensor_noise(image, self._rng, 0.01)
        return optics.to_uint8(image)
