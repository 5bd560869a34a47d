"""An on-screen PIN keypad: big digit buttons for a tablet, where a phone-style keyboard
over the page's terminal is unreliable. It types into an Input on its screen and presses
that screen's sign-in button on OK; the screen keeps every rule about the PIN.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Input, Static

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "⌫", "OK")


class KeypadKey(Static):
    """One big key. Not a Button: a Button ignores a second tap within its 0.2 s press
    effect, which would drop the repeated digit of a PIN like 1111."""

    def __init__(self, key: str, *, id: str | None = None) -> None:
        super().__init__(key, id=id, classes="-ok" if key == "OK" else "")
        self.key = key

    def on_click(self, event: events.Click) -> None:
        """A tap on the key."""
        event.stop()
        keypad = self.parent
        if isinstance(keypad, PinKeypad):
            keypad.pressed(self.key)


class PinKeypad(Grid):
    """Digits 0-9, delete and OK for the Input `target` (a CSS selector on the screen)."""

    DEFAULT_CSS = """
    PinKeypad {
        grid-size: 6 2;
        grid-gutter: 0 1;
        height: 6;
        margin: 1 0 0 0;
    }
    KeypadKey {
        width: 100%;
        height: 3;
        content-align: center middle;
        text-style: bold;
        background: $boost;
        border: tall $panel-lighten-2;
    }
    KeypadKey:hover {
        background: $panel-lighten-2;
    }
    KeypadKey.-ok {
        background: $primary;
    }
    """

    def __init__(self, target: str, ok: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target = target
        self.ok = ok

    def compose(self) -> ComposeResult:
        """One key per digit, delete and OK."""
        for number, key in enumerate(KEYS):
            yield KeypadKey(key, id=f"keypad-{number}")

    def pressed(self, key: str) -> None:
        """A digit types into the field, ⌫ deletes the last one, OK signs in."""
        field = self.screen.query_one(self.target, Input)
        if key == "OK":
            self.screen.query_one(self.ok, Button).press()
        elif key == "⌫":
            field.value = field.value[:-1]
        elif field.max_length is None or len(field.value) < field.max_length:
            field.value += key
