"""The "Posting check" staff screen (lead and above): may this photo be posted, and if not why.

Self-contained: it takes the store, the clock, the signed-in staff member's id, the kiosk
id (and optionally the event and staff mode's lock), and calls
`kiosk.posting.check.check_photo` (which checks the role itself) in a thread, so counting
faces never blocks the screen. Escape closes it; Ctrl+L locks staff mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from kiosk.errors import KioskError
from kiosk.posting.check import CHANNEL_LABELS, PostingCheck, check_photo, pupils_named
from kiosk.safetext import safe_text
from kiosk.store import Store

_SPLIT = re.compile(r"[\s,;]+")


def _many(value: str) -> list[str]:
    """'p1, p2 p3' as ['p1', 'p2', 'p3']."""
    return [part for part in _SPLIT.split(value.strip()) if part]


class PostingScreen(Screen[None]):
    """Fill in who is in the photo and where it would go; the answer shows below."""

    DEFAULT_CSS = """
    PostingScreen { layout: vertical; }
    PostingScreen #posting-form { height: 1fr; padding: 0 1; }
    PostingScreen Label { margin-top: 1; }
    PostingScreen #posting-answer { margin-top: 1; padding: 0 1; height: auto; }
    PostingScreen #posting-answer.yes { border: heavy green; }
    PostingScreen #posting-answer.no { border: heavy red; }
    PostingScreen #posting-buttons { height: auto; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+enter", "check", "Check", priority=True),
        Binding("ctrl+l", "lock", "Lock", priority=True),
        Binding("f12", "lock", "Lock", show=False, priority=True),
    ]

    def __init__(self, *, store: Store, clock: Callable[[], datetime], staff_id: int,
                 kiosk_id: str, event_id: str | None = None,
                 lock: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.lock_staff_mode = lock
        self.store = store
        self.clock = clock
        self.staff_id = staff_id
        self.kiosk_id = kiosk_id
        self.event_id = event_id
        self.result: PostingCheck | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="posting-form"):
            yield Static(Text("Posting check: may this photo be posted?", style="bold"))
            yield Label("Where would it go?")
            yield Select([(label.capitalize(), key) for key, label in CHANNEL_LABELS.items()],
                         id="channel", allow_blank=False, value="website")
            yield Label("Photo file (optional: its names, metadata and faces are checked)")
            yield Input(id="image", placeholder="/path/to/photo.jpg")
            yield Label("Who is in it: pupil ids")
            yield Input(id="pupils", placeholder="e.g. 40012 40013")
            yield Label("…or whole classes")
            yield Input(id="classes", placeholder="e.g. 1B 2W")
            yield Label("…or everyone on stage in item number" +
                        (f" (of {self.event_id})" if self.event_id else " (EVENT:N)"))
            yield Input(id="item", placeholder="3" if self.event_id else "nativity:3")
            yield Label("Caption that would go with it")
            yield Input(id="caption")
            yield Label("Write a clean copy (no metadata) to")
            yield Input(id="clean", placeholder="/path/to/clean.jpg (optional)")
            with Horizontal(id="posting-buttons"):
                yield Button("Check", id="check", variant="primary")
                yield Button("Close", id="close")
            yield Static("", id="posting-answer")
        yield Footer()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _item(self) -> str | None:
        value = self._value("item")
        if not value:
            return None
        return f"{self.event_id}:{value}" if self.event_id and value.isdigit() else value

    @on(Button.Pressed, "#check")
    def action_check(self) -> None:
        """Run the check off the UI thread."""
        channel = self.query_one("#channel", Select).value
        image, clean = self._value("image"), self._value("clean")
        self.query_one("#posting-answer", Static).update(Text("Checking…"))
        self._run(str(channel), Path(image) if image else None, Path(clean) if clean else None,
                  _many(self._value("pupils")), _many(self._value("classes")), self._item(),
                  self._value("caption") or None)

    @work(thread=True, exclusive=True, group="posting", exit_on_error=False)
    def _run(self, channel: str, image: Path | None, clean: Path | None, pupils: list[str],
             classes: list[str], item: str | None, caption: str | None) -> None:
        try:
            result = check_photo(self.store, channel=channel, staff_id=self.staff_id,
                                 now=self.clock(), kiosk_id=self.kiosk_id, image=image,
                                 pupil_ids=pupils, classes=classes, item=item,
                                 caption=caption, clean_out=clean)
        except KioskError as error:
            self.app.call_from_thread(self._show_error, str(error))
            return
        self.app.call_from_thread(self._show, result)

    def _show(self, result: PostingCheck) -> None:
        self.result = result
        answer = self.query_one("#posting-answer", Static)
        text = Text()
        if result.allowed:
            text.append("✓ YES: it may be posted\n", style="bold green")
        else:
            text.append("✗ NO: do not post it as it is\n", style="bold red")
        text.append(f"{pupils_named(len(result.pupils))} · {CHANNEL_LABELS[result.channel]}\n")
        for line in result.messages():
            text.append("• " + safe_text(line, 4000) + "\n")
        answer.set_classes("yes" if result.allowed else "no")
        answer.update(text)

    def _show_error(self, message: str) -> None:
        self.result = None
        answer = self.query_one("#posting-answer", Static)
        answer.set_classes("no")
        answer.update(Text("Not checked: " + safe_text(message, 400), style="bold"))

    def action_lock(self) -> None:
        """Lock staff mode (when staff mode gave a way to), else just close."""
        if self.lock_staff_mode is not None:
            self.lock_staff_mode()
        else:
            self.app.pop_screen()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Back to where staff came from."""
        self.app.pop_screen()
