"""Keep OpenCV's own log lines (`[ WARN:0@...]`) off the terminal.

OpenCV prints warnings from its video, image and QR code back ends straight to stderr,
over the door screen or a CLI's output. We say what went wrong in plain words instead,
so every scanner module that uses OpenCV silences its logger once, on import.
"""

from __future__ import annotations

import cv2


def silence_opencv() -> None:
    """Turn OpenCV's logger off for the whole process (idempotent)."""
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
