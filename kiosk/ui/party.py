"""Ask how many people are coming in (only when the event allocates seats per family)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kiosk.ui.wedge import WedgeBuffer, WedgeKeys

MAX_BUTTONS = 9
ANSWER_WITHIN = 30.0  # seconds; then the question goes away and nothing is recorded


class PartySizeScreen(WedgeKeys, ModalScreen[int | None]):
    """Buttons 1..seats left (and number keys); Escape or silence cancels.

    A new scan (camera or handheld scanner) while the question is open cancels it and
    goes to the door: the next family's pass digits never answer this question.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(1, MAX_BUTTONS + 1)),
    ]

    def __init__(self, seats_left: int, on_scan: Callable[[str, str], None], *,
                 answer_within: float = ANSWER_WITHIN) -> None:
        super().__init__()
        self.seats_left = seats_left
        self.answer_within = answer_within
        self.on_scan = on_scan
        self.wedge = WedgeBuffer()

    def handle_scan(self, text: str, method: str) -> None:
        """Another pass was scanned: drop this question and let the door decide on it."""
        self.action_cancel()
        self.on_scan(text, method)

    def compose(self) -> ComposeResult:
        """The question, one button per possible answer, and Cancel."""
        with Vertical(id="party-dialog"):
            yield Static(Text("How many people are coming in now?", style="bold"),
                         id="party-question")
            plural = "seat" if self.seats_left == 1 else "seats"
            yield Static(Text(f"Your family has {self.seats_left} {plural} left."),
                         id="party-left")
            with Horizontal(id="party-buttons"):
                for n in range(1, min(self.seats_left, MAX_BUTTONS) + 1):
                    yield Button(str(n), id=f"party-{n}", variant="primary", compact=True)
                yield Button("Cancel", id="party-cancel", compact=True)

    def on_mount(self) -> None:
        """Go away by itself if nobody answers."""
        self.set_timer(self.answer_within, self.action_cancel)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A number answers; Cancel cancels."""
        event.stop()
        button_id = event.button.id or ""
        if button_id.startswith("party-") and button_id[6:].isdigit():
            self.action_choose(int(button_id[6:]))
        else:
            self.action_cancel()

    def action_choose(self, count: int) -> None:
        """Answer with `count` people (ignored beyond the seats left)."""
        if 1 <= count <= self.seats_left:
            self.dismiss(count)

    def action_cancel(self) -> None:
        """No answer: nothing is recorded."""
        if self.is_current:
            self.dismiss(None)
