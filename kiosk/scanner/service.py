"""The scanner thread: frames from a source, decoded and de-duplicated, off the UI thread.

    service = ScanService(open_source("0"), on_message=app_post)   # or read service.messages
    service.start()
    ...  service.preview(48, 18)  ...   # newest frame as half-blocks, at the UI's own pace
    service.stop()                      # joins the thread; the last frame is dropped

Messages are ScanEvent (one per presentation of a code) and ScannerStatus (the source
became unavailable, came back, finished...). `on_message` is called in the scanner thread,
so it must be thread-safe (Textual's `post_message` and `call_from_thread` are); without it
messages go to the thread-safe `messages` queue. A live source that fails is retried every
`retry_s` seconds until stopped; a finite one (video, images) ends the thread at its end.
Frames live in memory only and the newest one is dropped on stop. Without a `decoder`
the camera schedule is used, or every alternative for a source of stills (a folder).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2

from kiosk.scanner.decode import Decoder, default_decoder
from kiosk.scanner.dedup import DEFAULT_GAP_S, Deduplicator
from kiosk.scanner.preview import HalfBlockImage, render_halfblock
from kiosk.scanner.results import (
    DecodedCode,
    Frame,
    ScanEvent,
    ScannerMessage,
    ScannerStatus,
    SourceState,
)
from kiosk.scanner.sources import FrameSource, SourceUnavailable

log = logging.getLogger(__name__)

DEFAULT_RETRY_S = 2.0
THREAD_NAME = "kiosk-scanner"


@dataclass(frozen=True)
class Snapshot:
    """The newest frame and the codes found in it, for the preview (memory only)."""

    frame: Frame
    codes: Sequence[DecodedCode]


class ScanService:
    """Runs a frame source and a decoder in one background thread; start, stop, restart."""

    def __init__(self, source: FrameSource,
                 on_message: Callable[[ScannerMessage], None] | None = None, *,
                 decoder: Decoder | None = None, gap_s: float = DEFAULT_GAP_S,
                 retry_s: float = DEFAULT_RETRY_S) -> None:
        self.source = source
        self.decoder = decoder or default_decoder(still=getattr(source, "still", False))
        self.retry_s = retry_s
        self.messages: queue.Queue[ScannerMessage] = queue.Queue()
        self._on_message = on_message
        self._dedup = Deduplicator(gap_s)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._status = ScannerStatus("stopped", "The camera is off.")
        self.frames_read = 0
        self.decode_ms_total = 0.0

    # --- control (any thread) -------------------------------------------------------------

    def start(self) -> None:
        """Start the scanner thread (no-op if it is already running)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._dedup.reset()
            self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop, wait for it, drop the newest frame. Safe to call twice."""
        self._stop.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("scanner thread did not stop within %.1f s", timeout)
        with self._lock:
            self._snapshot = None

    def restart(self) -> None:
        """Stop and start again (after choosing another camera, say)."""
        self.stop()
        self.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end by itself (a finite source); True if it has."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    @property
    def running(self) -> bool:
        """True while the scanner thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    @property
    def status(self) -> ScannerStatus:
        """The latest status (also sent as a message when it changes)."""
        return self._status

    def snapshot(self) -> Snapshot | None:
        """The newest frame and its codes, or None when there is none."""
        with self._lock:
            return self._snapshot

    def preview(self, width: int, height: int, *, mirror: bool = False) -> HalfBlockImage | None:
        """The newest frame as a half-block preview with code outlines, or None."""
        snap = self.snapshot()
        if snap is None:
            return None
        return render_halfblock(snap.frame.image, width, height,
                                [c.corners for c in snap.codes], mirror=mirror)

    def __enter__(self) -> ScanService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the thread ---------------------------------------------------------------------

    def _send(self, message: ScannerMessage) -> None:
        if self._on_message is None:
            self.messages.put(message)
            return
        try:
            self._on_message(message)
        except Exception:  # a broken consumer must not kill the camera
            log.exception("scanner message handler failed")

    def _set_status(self, state: SourceState, message: str) -> None:
        if (state, message) != (self._status.state, self._status.message):
            self._status = ScannerStatus(state, message)
            self._send(self._status)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self._open():
                    if not self.source.live:
                        return
                    self._stop.wait(self.retry_s)
                    continue
                if self._pump():
                    return
        finally:
            self.source.close()
            with self._lock:
                self._snapshot = None
            if self._status.state not in ("finished", "failed"):
                self._set_status("stopped", "The camera is off.")

    def _open(self) -> bool:
        if self._status.state != "unavailable":  # retries stay quiet until something changes
            self._set_status("starting", f"Starting {self.source.description}.")
        try:
            self.source.open()
        except SourceUnavailable as error:
            state: SourceState = "unavailable" if self.source.live else "failed"
            retry = f" Trying again every {self.retry_s:g} s." if self.source.live else ""
            self._set_status(state, f"{error}{retry}")
            return False
        self._dedup.reset()
        self._set_status("running", f"Scanning with {self.source.description}.")
        return True

    def _pump(self) -> bool:
        """Read and decode until stopped (True), the source ends (True) or fails (False)."""
        pace = self.source.pace
        due = time.monotonic()
        while not self._stop.is_set():
            try:
                frame = self.source.read()
            except SourceUnavailable as error:
                self.source.close()
                self._set_status("unavailable", f"{error} Trying again every {self.retry_s:g} s.")
                self._stop.wait(self.retry_s)
                return False
            if frame is None:
                self._set_status("finished", f"{_capital(self.source.description)} has ended.")
                return True
            self._process(frame)
            if pace:
                due = max(due + 1.0 / pace, time.monotonic() - 1.0)
                self._stop.wait(max(0.0, due - time.monotonic()))
        return True

    def _process(self, frame: Frame) -> None:
        start = time.perf_counter()
        try:
            codes = self.decoder.decode(frame.image)
        except (cv2.error, ValueError, RuntimeError) as error:  # an odd frame: skip it
            log.warning("frame %d not decoded: %s", frame.index, error)
            codes = []
        ms = (time.perf_counter() - start) * 1000.0
        self.frames_read += 1
        self.decode_ms_total += ms
        with self._lock:
            self._snapshot = Snapshot(frame, tuple(codes))
        for code in codes:
            if self._dedup.seen(code.text, frame.t):
                self._send(ScanEvent(code.text, "camera", frame.t, code.corners, ms, frame.index))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
