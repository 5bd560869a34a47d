"""The bridge between the scanner's thread and the app: messages up, preview at our pace.

The scanner's `ScanService` reads, decodes and de-duplicates frames in its own thread and
calls `_on_scanner` there; this only posts Textual messages (thread-safe). The preview is
drawn by a thread worker a few times a second at the preview widget's size, so neither the
camera nor the drawing ever runs on the UI thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from kiosk.scanner.results import ScanEvent, ScannerMessage
from kiosk.scanner.service import DEFAULT_RETRY_S, ScanService
from kiosk.scanner.sources import FrameSource
from kiosk.ui.messages import CameraChanged, CodeScanned, PreviewReady
from kiosk.ui.preview import CameraPreview

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp

PREVIEW_FPS = 8.0


class CameraLink:
    """Runs a ScanService for the app: scans go to the app, state and preview to the door."""

    def __init__(self, app: KioskApp, source: FrameSource, *, retry_s: float = DEFAULT_RETRY_S,
                 preview_fps: float = PREVIEW_FPS) -> None:
        self.app = app
        self.source = source
        self.service = ScanService(source, on_message=self._on_scanner, retry_s=retry_s)
        self.preview_fps = preview_fps
        self.mirror = bool(getattr(source, "live", False))  # a camera facing people
        self._stopped = threading.Event()
        self._frames_flowing = threading.Event()  # set while the source is running

    def start(self, preview: CameraPreview) -> None:
        """Start the scanner thread and the preview worker (call on the UI thread)."""
        self._stopped.clear()
        self.service.start()
        self.app.run_worker(lambda: self._preview_loop(preview), thread=True,
                            group="preview", exit_on_error=False)

    def stop(self) -> None:
        """Stop both; the newest frame is dropped."""
        self._stopped.set()
        self.service.stop()

    def _on_scanner(self, message: ScannerMessage) -> None:
        """Scanner thread: turn its messages into the app's (posting is thread-safe)."""
        if isinstance(message, ScanEvent):
            self.app.post_message(CodeScanned(message.text, "camera"))
        else:
            if message.state == "running":
                self._frames_flowing.set()
            else:
                self._frames_flowing.clear()
            self.app.door.post_message(CameraChanged(message.state, message.message))

    def _preview_loop(self, widget: CameraPreview) -> None:
        """Worker thread: draw the newest frame at the widget's size, a few times a second."""
        while not self._stopped.wait(1.0 / self.preview_fps):
            width, height = widget.preview_size
            if width < 1 or height < 1 or not self._frames_flowing.is_set():
                continue
            picture = self.service.preview(width, height, mirror=self.mirror)
            if picture is not None:
                self.app.door.post_message(PreviewReady(picture))
