"""Frame sources behind one interface: a camera, a video file, or a folder/glob of images.

Every source has `open()`, `read()` (a Frame, or None at the end of a finite source) and
`close()`. A video or a folder standing in for a camera can be paced in real time
(`realtime=True`: a video at its own frame rate, a folder at `fps` images a second) so a
person can watch the cards; without it they are read as fast as possible (benchmarks). A
folder of stills is marked `still`, so the scan service decodes each one thoroughly. A
camera that is missing, busy or unplugged raises SourceUnavailable with one plain
sentence (no camera at all is told apart from one that is there but will not open); the
scan service shows it and retries. Frames stay in memory: sources only
ever read files, never write them.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import cv2

from kiosk.errors import KioskError
from kiosk.scanner.cvquiet import silence_opencv
from kiosk.scanner.results import Frame
from kiosk.scanner.still import ImageTooLarge, read_still

silence_opencv()

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm",
                            ".ppm"})
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mjpeg", ".mjpg"})
DEFAULT_RESOLUTION = (1280, 720)
STILL_FPS = 10.0  # media time given to each still image, for the de-duplication gap
WATCH_FPS = 2.0  # a folder shown in real time: images a second a person can follow
LINUX_CAMERA = "/dev/video{}"  # the device behind camera number N on Linux


class SourceUnavailable(KioskError):
    """The camera or file cannot give pictures now; the message says what is wrong."""


class FrameSource(Protocol):
    """Where frames come from. `live` sources are retried on failure; others end."""

    description: str
    live: bool
    pace: float | None  # frames per second the service should wait for; None: as they come

    def open(self) -> None:
        """Get ready to read; raise SourceUnavailable with a plain sentence if not possible."""
        ...

    def read(self) -> Frame | None:
        """The next frame, or None when a finite source has ended."""
        ...

    def close(self) -> None:
        """Release the device or file; safe to call twice."""
        ...


def camera_device(device: int | str) -> str | None:
    """The device file behind a camera, when it can be known (a path, or N on Linux)."""
    if isinstance(device, str):
        return device
    return LINUX_CAMERA.format(device) if sys.platform.startswith("linux") else None


def camera_problem(device: int | str) -> str:
    """Why a camera could not be opened, in words: not there, not allowed, or in use."""
    name, path = f"Camera {device}", camera_device(device)
    if path is not None and not os.path.exists(path):
        return f"No camera found ({path}): use the handheld scanner or type the code."
    if path is not None and not os.access(path, os.R_OK | os.W_OK):
        return f"{name} is there, but this kiosk's user may not use it (the video group)."
    if path is not None:
        return f"{name} is there but will not open: another program may be using it."
    return f"{name} could not be opened: it is not connected, or another program uses it."


def parse_resolution(text: str) -> tuple[int, int]:
    """Parse '1280x720' into (1280, 720)."""
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not a resolution like 1280x720")
    return int(match.group(1)), int(match.group(2))


class CameraSource:
    """A camera by index (0, 1, ...) or device path (/dev/video2), at a chosen resolution."""

    live = True
    pace: float | None = None  # the camera paces itself: read() waits for the next picture

    def __init__(self, device: int | str, resolution: tuple[int, int] = DEFAULT_RESOLUTION,
                 *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.device = device
        self.resolution = resolution
        self.description = f"camera {device}"
        self._monotonic = monotonic
        self._cap: cv2.VideoCapture | None = None
        self._index = 0

    def open(self) -> None:
        """Open the device and check that it sends a picture."""
        self.close()
        name = f"Camera {self.device}"
        path = camera_device(self.device)
        if path is not None and not os.path.exists(path):
            raise SourceUnavailable(camera_problem(self.device))
        silence_opencv()
        cap = cv2.VideoCapture(self.device)
        if not cap.isOpened():
            cap.release()
            raise SourceUnavailable(camera_problem(self.device))
        width, height = self.resolution
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest picture, not a queue of old ones
        ok, _ = cap.read()
        if not ok:
            cap.release()
            raise SourceUnavailable(f"{name} is busy or sends no pictures.")
        self._cap = cap
        self._index = 0

    def read(self) -> Frame | None:
        """The next picture; SourceUnavailable if the camera stopped (unplugged)."""
        if self._cap is None:
            raise SourceUnavailable(f"Camera {self.device} is not open.")
        ok, image = self._cap.read()
        if not ok or image is None:
            self.close()
            raise SourceUnavailable(
                f"Camera {self.device} stopped sending pictures: it may have been unplugged."
            )
        self._index += 1
        return Frame(image, self._monotonic(), self._index - 1)

    def close(self) -> None:
        """Release the device."""
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class VideoFileSource:
    """A recorded video, read frame by frame; time is the video's own clock.

    `realtime=True` plays it at its own frame rate (standing in for a camera).
    """

    live = False
    still = False

    def __init__(self, path: str | os.PathLike[str], *, realtime: bool = False) -> None:
        self.path = str(path)
        self.description = f"the video {self.path}"
        self.realtime = realtime
        self.pace: float | None = None
        self._cap: cv2.VideoCapture | None = None
        self._fps = 30.0
        self._index = 0

    def open(self) -> None:
        """Open the file; SourceUnavailable if it is missing or not a video."""
        self.close()
        if not os.path.isfile(self.path):
            raise SourceUnavailable(f"The video {self.path} does not exist.")
        silence_opencv()
        cap = cv2.VideoCapture(self.path)
        if not cap.isOpened():
            cap.release()
            raise SourceUnavailable(f"The video {self.path} could not be opened.")
        fps = cap.get(cv2.CAP_PROP_FPS)
        self._fps = fps if 0 < fps < 1000 else 30.0
        self.pace = self._fps if self.realtime else None
        self._cap = cap
        self._index = 0

    def read(self) -> Frame | None:
        """The next frame, or None at the end of the video."""
        if self._cap is None:
            return None
        ok, image = self._cap.read()
        if not ok or image is None:
            return None
        self._index += 1
        return Frame(image, (self._index - 1) / self._fps, self._index - 1)

    def close(self) -> None:
        """Release the file."""
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def image_files(spec: str | os.PathLike[str]) -> list[Path]:
    """The still images named by a folder, a glob pattern or a single file, sorted."""
    text = str(spec)
    if os.path.isdir(text):
        return sorted(p for p in Path(text).iterdir()
                      if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    if glob.has_magic(text):
        return sorted(Path(p) for p in glob.glob(text, recursive=True)
                      if Path(p).suffix.lower() in IMAGE_SUFFIXES and os.path.isfile(p))
    return [Path(text)] if os.path.isfile(text) else []


class ImageSequenceSource:
    """Still images from a folder or glob, in name order, each `1/fps` seconds apart.

    `realtime=True` shows them at `fps` images a second (standing in for a camera).
    """

    live = False
    still = True  # each image is decoded with every alternative, not a camera schedule

    def __init__(self, spec: str | os.PathLike[str], *, fps: float = STILL_FPS,
                 realtime: bool = False, loop: bool = False) -> None:
        self.spec = str(spec)
        self.description = f"the images {self.spec}"
        self.fps = fps
        self.pace = fps if realtime else None
        self.loop = loop
        self._files: list[Path] = []
        self._pos = 0
        self._index = 0
        self.skipped: list[Path] = []  # files that could not be read as images

    def open(self) -> None:
        """Find the images; SourceUnavailable if there are none."""
        self._files = image_files(self.spec)
        if not self._files:
            raise SourceUnavailable(f"No images found at {self.spec}.")
        self._pos = 0
        self._index = 0
        self.skipped = []

    def read(self) -> Frame | None:
        """The next readable image, or None after the last one (unless looping)."""
        while True:
            if self._pos >= len(self._files):
                if not self.loop or len(self.skipped) >= len(self._files):
                    return None
                self._pos = 0
                self.skipped = []
            path = self._files[self._pos]
            self._pos += 1
            try:
                image = read_still(path)
            except ImageTooLarge as error:
                log.warning("skipping %s: %s", path, error)
                image = None
            if image is None:
                log.warning("skipping %s: not a readable image", path)
                self.skipped.append(path)
                continue
            self._index += 1
            return Frame(image, (self._index - 1) / self.fps, self._index - 1)

    def close(self) -> None:
        """Nothing held open between reads."""
        self._pos = len(self._files)


def open_source(spec: str, resolution: tuple[int, int] = DEFAULT_RESOLUTION,
                *, realtime: bool = False, fps: float | None = None) -> FrameSource:
    """Choose a source from what the user typed: 0, /dev/video2, a video or images.

    `realtime` paces a video or a folder like a camera; `fps` is a folder's rate (default
    STILL_FPS, or WATCH_FPS when paced). Does not open it (the scan service does, and
    retries live ones).
    """
    text = spec.strip()
    if text.isdigit():
        return CameraSource(int(text), resolution)
    if text.startswith("/dev/"):
        return CameraSource(text, resolution)
    suffix = Path(text).suffix.lower()
    if os.path.isdir(text) or glob.has_magic(text) or suffix in IMAGE_SUFFIXES:
        rate = fps if fps is not None else (WATCH_FPS if realtime else STILL_FPS)
        return ImageSequenceSource(text, fps=rate, realtime=realtime)
    if suffix in VIDEO_SUFFIXES or os.path.isfile(text):
        return VideoFileSource(text, realtime=realtime)
    raise SourceUnavailable(
        f"{spec!r} is not a camera number, a /dev/video device, a video or image files."
    )
