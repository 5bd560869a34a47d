"""The bridge between the scanner's thread and the app: callbacks out, preview at our pace.

The scanner's `ScanService` reads, decodes and de-duplicates frames in its own thread and
calls `_on_scanner` there; the link only hands what it heard to the callbacks it was given
(the app turns them into Textual messages, which is thread-safe). The preview is drawn by
`preview_loop` in a thread worker a few times a second at the preview widget's size, so
neither the camera nor the drawing ever runs on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.console import RenderableType

from kiosk.scanner.results import ScanEvent, ScannerMessage
from kiosk.scanner.service import DEFAULT_RETRY_S, ScanService
from kiosk.scanner.sources import FrameSource

PREVIEW_FPS = 8.0


class CameraLink:
    """Runs a ScanService: each code goes to `on_scan`, camera state to `on_change`.

    All three callbacks are called from worker threads, so they must only post messages.
    """

    def __init__(self, source: FrameSource, *, on_scan: Callable[[str], None],
                 on_change: Callable[[str, str], None],
                 on_preview: Callable[[RenderableType], None],
                 retry_s: float = DEFAULT_RETRY_S, preview_fps: float = PREVIEW_FPS) -> None:
        self.source = source
        self.on_scan = on_scan
        self.on_change = on_change
        self.on_preview = on_preview
        self.service = ScanService(source, on_message=self._on_scanner, retry_s=retry_s)
        self.preview_fps = preview_fps
        self.mirror = bool(getattr(source, "live", False))  # a camera facing people
        self._stopped = threading.Event()
        self._frames_flowing = threading.Event()  # set while the source is running

    def start(self) -> None:
        """Start the scanner thread (then run `preview_loop` in a thread worker)."""
        self._stopped.clear()
        self.service.start()

    def stop(self) -> None:
        """Stop scanning and the preview loop; the newest frame is dropped."""
        self._stopped.set()
        self.service.stop()

    def _on_scanner(self, message: ScannerMessage) -> None:
        """Scanner thread: pass codes and camera state on."""
        if isinstance(message, ScanEvent):
            self.on_scan(message.text)
            return
        if message.state == "running":
            self._frames_flowing.set()
        else:
            self._frames_flowing.clear()
        self.on_change(message.state, message.message)

    def preview_loop(self, size: Callable[[], tuple[int, int]]) -> None:
        """Worker thread: draw the newest frame at `size()` cells, a few times a second."""
        while not self._stopped.wait(1.0 / self.preview_fps):
            width, height = size()
            if width < 1 or height < 1 or not self._frames_flowing.is_set():
                continue
            picture = self.service.preview(width, height, mirror=self.mirror)
            if picture is not None:
                self.on_preview(picture)
