"""Door-screen test helpers: the app with fakes, the screen as text, waiting on messages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from textual import events
from textual.keys import _character_to_key
from textual.message import Message
from textual.pilot import Pilot

from kiosk.clock import fixed_clock
from kiosk.demo import synth
from kiosk.demo.deck import DemoDeck
from kiosk.scanner.results import Frame
from kiosk.scanner.sources import SourceUnavailable
from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.card import ResultCard
from kiosk.ui.demo_app import DemoKioskApp
from kiosk.ui.door import DoorScreen
from kiosk.ui.wedge import WedgeBuffer

WAIT_LIMIT = 15.0  # seconds before a wait gives up (a failure, never a pause)


@dataclass
class Bells:
    """Records how many bells each result rang."""

    rings: list[int] = field(default_factory=list)

    def __call__(self, count: int) -> None:
        self.rings.append(count)


class Messages:
    """Every message the app handled (once each, though bubbling shows it to many nodes)."""

    def __init__(self) -> None:
        self.seen: list[Message] = []  # kept, so no id is reused while we count
        self._ids: set[int] = set()
        self._by_kind: dict[type, list[Message]] = {}

    def __call__(self, message: Message) -> None:
        if id(message) not in self._ids:
            self._ids.add(id(message))
            self.seen.append(message)
            self._by_kind.setdefault(type(message), []).append(message)

    def of(self, kind: type) -> list:
        return self._by_kind.get(kind, [])


def make_app(store: Store, now: datetime, **kwargs) -> tuple[KioskApp, Bells]:
    """The kiosk app on a fixed clock, with a bell recorder; long return delay unless told.

    With `demo=` (a deck) it is the demo app, whose N key shows the deck's next pass.
    """
    bells = Bells()
    kwargs.setdefault("return_after", 1000.0)
    kwargs.setdefault("kiosk_id", "Main door")
    scanner_gap_s = kwargs.pop("scanner_gap_s", 0.0)  # tests re-scan at once on purpose
    event_id = kwargs.pop("event_id", "nativity")
    deck = kwargs.pop("demo", None)
    app = (DemoKioskApp(store, event_id, deck=deck, clock=fixed_clock(now), bell=bells, **kwargs)
           if deck is not None else
           KioskApp(store, event_id, clock=fixed_clock(now), bell=bells, **kwargs))
    app.door.wedge = WedgeBuffer(repeat_gap_s=scanner_gap_s)
    return app, bells


def screen_text(app: KioskApp) -> str:
    """Everything on the terminal now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def card(app: KioskApp) -> ResultCard:
    return app.door.query_one(ResultCard)


async def wait_until(pilot: Pilot, predicate: Callable[[], bool], what: str,
                     limit: float = WAIT_LIMIT) -> None:
    """Let the app run until `predicate()` holds (fails after `limit` seconds)."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.002)


async def wait_shown(pilot: Pilot, messages: Messages, count: int) -> DoorScreen.ResultShown:
    """Wait for the `count`-th result card to be on screen; return its message."""
    await wait_until(pilot, lambda: len(messages.of(DoorScreen.ResultShown)) >= count,
                     f"result {count}")
    return messages.of(DoorScreen.ResultShown)[count - 1]


async def type_code(pilot: Pilot, text: str, *, enter: bool = True) -> None:
    """Type like a keyboard-wedge scanner: every character in one burst, then Enter."""
    app = pilot.app
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        app.post_message(events.Key(key, char))
    if enter:
        app.post_message(events.Key("enter", "\r"))
    await pilot.pause()


def qr_image(token: str, module_px: int = 4, size: tuple[int, int] = (320, 240)) -> np.ndarray:
    """A clean grey frame with the token's QR code in the middle."""
    matrix = synth.qr_matrix(token)
    code = np.kron(np.where(matrix, 0, 255).astype(np.uint8),
                   np.ones((module_px, module_px), np.uint8))
    frame = np.full((size[1], size[0]), 200, np.uint8)
    y = (size[1] - code.shape[0]) // 2
    x = (size[0] - code.shape[1]) // 2
    frame[y:y + code.shape[0], x:x + code.shape[1]] = code
    return frame


class InjectSource:
    """A test camera: blank frames, and a token's QR code for a few frames when injected.

    Media time jumps 10 s after each presentation so the scanner's de-duplication treats
    the same pass shown again as a new presentation. `fail_opens` makes the first opens
    fail; `unplug()` makes reads and opens fail until `plug_in()`.
    """

    live = True
    description = "test camera"

    def __init__(self, *, pace: float = 200.0, hold_frames: int = 3,
                 fail_opens: int = 0) -> None:
        self.pace = pace
        self.hold_frames = hold_frames
        self.fail_opens = fail_opens
        self.opens = 0
        self.injected_at: list[float] = []  # perf_counter when a code frame was first read
        self._blank = np.full((240, 320), 200, np.uint8)
        self._pending: list[np.ndarray] = []
        self._showing: tuple[np.ndarray, int] | None = None
        self._lock = threading.Lock()
        self._unplugged = False
        self._t = 0.0
        self._index = 0

    def inject(self, token: str) -> None:
        """Show this token in the next frames."""
        image = qr_image(token)
        with self._lock:
            self._pending.append(image)

    def unplug(self) -> None:
        """The camera is pulled out: reads and opens fail until it is plugged in."""
        self._unplugged = True

    def plug_in(self) -> None:
        """The camera is back."""
        self._unplugged = False

    def open(self) -> None:
        self.opens += 1
        if self.opens <= self.fail_opens or self._unplugged:
            raise SourceUnavailable("Camera 0 is not connected. Check the cable.")

    def read(self) -> Frame:
        if self._unplugged:
            raise SourceUnavailable("Camera 0 stopped sending pictures.")
        with self._lock:
            if self._showing is None and self._pending:
                self._showing = (self._pending.pop(0), self.hold_frames)
                self._t += 10.0
                self.injected_at.append(time.perf_counter())
            image = self._blank
            if self._showing is not None:
                image, left = self._showing
                self._showing = (image, left - 1) if left > 1 else None
        self._index += 1
        self._t += 0.01
        return Frame(image, self._t, self._index)

    def close(self) -> None:
        pass


def demo_deck(source, passes: list[tuple[str, str]]) -> DemoDeck:
    """A demo deck over any presenter (the InjectSource or the real demo camera)."""
    class _Presenter:
        def present(self, token: str) -> None:
            (source.present if hasattr(source, "present") else source.inject)(token)

    return DemoDeck(_Presenter(), passes)
