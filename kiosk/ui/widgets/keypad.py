"""An on-screen PIN keypad: big digit buttons for a tablet, where a phone-style keyboard
over the page's terminal is unreliable. It types into an Input on its screen and presses
that screen's sign-in button on OK; the screen keeps every rule about the PIN.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Input

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "⌫", "OK")


class PinKeypad(Grid):
    """Digits 0-9, delete and OK for the Input `target` (a CSS selector on the screen)."""

    DEFAULT_CSS = """
    PinKeypad {
        grid-size: 6 2;
        grid-gutter: 0 1;
        height: 6;
        margin: 1 0 0 0;
    }
    PinKeypad Button {
        width: 100%;
        min-width: 6;
        height: 3;
    }
    """

    def __init__(self, target: str, ok: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target = target
        self.ok = ok

    def compose(self) -> ComposeResult:
        """One button per key."""
        for number, key in enumerate(KEYS):
            yield Button(key, id=f"keypad-{number}", compact=False,
                         variant="primary" if key == "OK" else "default")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        """A digit types into the field, ⌫ deletes the last one, OK signs in."""
        event.stop()
        field = self.screen.query_one(self.target, Input)
        key = str(event.button.label)
        if key == "OK":
            self.screen.query_one(self.ok, Button).press()
        elif key == "⌫":
            field.value = field.value[:-1]
        elif field.max_length is None or len(field.value) < field.max_length:
            field.value += key
