"""Messages the kiosk's threads post to the UI ("attributes down, messages up").

Posting a Textual message is thread-safe; the scanning thread and the check-in workers
only ever post these, they never touch a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rich.console import RenderableType
from textual.message import Message

from kiosk.checkin.service import Decision


@dataclass
class CodeScanned(Message):
    """A code arrived from the camera (method "camera"); the active screen may handle it."""

    text: str
    method: str = "camera"


@dataclass
class CameraChanged(Message):
    """The camera started, failed, came back or stopped; `message` is for staff."""

    state: str
    message: str

    @property
    def working(self) -> bool:
        """True while frames are arriving."""
        return self.state == "running"


@dataclass
class PreviewReady(Message):
    """A new preview picture, already drawn at the preview widget's size."""

    picture: RenderableType


@dataclass
class Decided(Message):
    """A check-in decision for scan number `seq` (older scans' answers are dropped)."""

    decision: Decision
    seq: int


@dataclass
class CheckinFailed(Message):
    """The kiosk could not decide (database trouble); `problem` is one plain sentence."""

    problem: str
    seq: int


@dataclass
class PartySizeAsked(Message):
    """The event allocates seats: ask how many are coming in, then decide again."""

    text: str
    method: str
    nonce: str
    seats_left: int
    seq: int


@dataclass
class EventLoaded(Message):
    """The event's name and date, read off the UI thread at start."""

    name: str
    date: str
    problem: str | None = None


@runtime_checkable
class ScanTarget(Protocol):
    """A screen that takes a code while it is active (the door, a question, a form)."""

    def handle_scan(self, text: str, method: str) -> None:
        """Do what this screen does with a scanned code."""
        ...
