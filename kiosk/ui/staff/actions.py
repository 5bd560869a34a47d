"""The "More…" dialog: one big button per staff command, for a tablet with no keys.

Built from `kiosk.ui.staff.commands.COMMANDS` (the command palette's list), so every
command open to the signed-in member's role is one tap away, and a command added there
appears here too. A tap closes the dialog and carries the command out with `run`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Button, Label

from kiosk.ui.staff.base import COMMANDS, StaffModal
from kiosk.ui.staff.commands import run


def command_id(target: str) -> str:
    """A widget id for a command's button ('stage:-1' becomes 'action-stage-back')."""
    words = {"stage:1": "stage-next", "stage:-1": "stage-back"}
    return "action-" + words.get(target, target.replace(":", "-"))


class ActionsScreen(StaffModal[None]):
    """Every staff command the signed-in member may use, as buttons; Close goes back."""

    NAME = "actions"
    TOUCH_CLOSE = False  # it has its own Close button

    def compose(self) -> ComposeResult:
        """Title, a grid of command buttons, Close."""
        session = self.mode.session
        with Vertical(id="actions-dialog"):
            yield Label("Staff actions", id="actions-title")
            with Grid(id="actions-grid"):
                for title, text, target, role in COMMANDS:
                    if session is not None and session.can(role):
                        button = Button(title, id=command_id(target), compact=True,
                                        variant="error" if target == "lock" else "default")
                        button.tooltip = text
                        button.can_focus = False
                        yield button
            yield Button("Close", id="actions-close", variant="primary", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Close the dialog, then carry out the command that was tapped."""
        event.stop()
        targets = {command_id(target): target for _title, _text, target, _role in COMMANDS}
        self.dismiss(None)
        target = targets.get(event.button.id or "")
        if target is not None:
            run(self.mode, target)
