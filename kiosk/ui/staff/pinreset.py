"""Reset a staff member's PIN in staff mode (admin only): the new PIN twice, on the keypad.

The admin picks the member, types the new PIN twice (6 to 12 digits) on the same big
keypad as the sign-in screen, or on a keyboard; the PIN is never shown. `reset_pin`
checks that the signed-in member is an admin and the PIN's shape, hashes it (in a thread
worker: argon2 is slow on purpose), clears the member's wrong-PIN streaks and audits the
reset with the admin's id, never with the PIN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select, Static

from kiosk.errors import KioskError
from kiosk.staff import reset_pin
from kiosk.ui.staff.base import StaffScreen, plain
from kiosk.ui.staff.desk import StaffDesk
from kiosk.ui.staff.pin import DELETE_KEY, ENTER_KEY, KEY_IDS, KEYPAD, KeypadKey
from kiosk.views.desktasks import staff_to_reset

FIELDS = ("#reset-pin", "#reset-again")


@dataclass
class PinResetDone(Message):
    """The reset finished: the member's name, or the plain reason it was refused."""

    name: str
    problem: str | None


class PinResetScreen(StaffScreen):
    """Pick a member, type their new PIN twice, reset (admin only: the service checks)."""

    NAME = "pinreset"
    WHERE = "Reset a PIN"
    AUTO_FOCUS = "#reset-pin"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012 (Textual's type)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "reset", "Reset PIN")]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.target = FIELDS[0]  # the PIN field the keypad types into
        self.busy = False

    def compose(self) -> ComposeResult:
        """Staff bar, whose PIN, the two PIN fields, the keypad, the message, buttons."""
        yield self.staff_bar()
        with VerticalScroll(id="reset-form"):
            yield Label("Whose PIN? (admin only; the new PIN is never shown)")
            yield Select([], id="reset-name", prompt="Choose a member of staff")
            yield Label("New PIN (6 to 12 digits)")
            yield Input(placeholder="new PIN", password=True, restrict=r"[0-9]*",
                        max_length=12, id="reset-pin")
            yield Label("The same PIN again")
            yield Input(placeholder="new PIN again", password=True, restrict=r"[0-9]*",
                        max_length=12, id="reset-again")
            with Grid(id="reset-keypad"):
                for key in KEYPAD:
                    yield KeypadKey(key, self.keypad, id=f"reset-key-{KEY_IDS.get(key, key)}")
            yield Static("", id="reset-message")
            with Horizontal(classes="task-buttons"):
                yield Button("Reset PIN", id="reset", variant="primary")
                yield Button("Clear", id="reset-clear")
        yield Footer()

    def on_mount(self) -> None:
        """Read whose PIN may be reset (the service refuses anyone but an admin)."""
        self.load("names", self.draw_names, staff_to_reset, self.mode.context.store,
                  staff_id=self.mode.staff_id)

    def draw_names(self, names: list[str]) -> None:
        """Offer the active members of staff."""
        self.query_one("#reset-name", Select).set_options([(plain(n, 60), n) for n in names])

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The keypad types into the PIN field last tapped or tabbed to."""
        if isinstance(event.widget, Input) and f"#{event.widget.id}" in FIELDS:
            self.target = f"#{event.widget.id}"

    def keypad(self, key: str) -> None:
        """A keypad key: a digit, delete the last one, or OK (next field, then reset)."""
        self.mode.touch()
        field = self.query_one(self.target, Input)
        if key == ENTER_KEY:
            self.next_or_reset()
        elif key == DELETE_KEY:
            field.value = field.value[:-1]
        elif len(field.value) < (field.max_length or 12):
            field.value += key

    @on(Input.Submitted, "#reset-pin")
    @on(Input.Submitted, "#reset-again")
    def next_or_reset(self) -> None:
        """OK or Enter in the first field moves to the second; in the second, resets."""
        if self.target == FIELDS[0]:
            self.query_one(FIELDS[1], Input).focus()
            self.target = FIELDS[1]
        else:
            self.action_reset()

    def say(self, text: str) -> None:
        """A plain message above the buttons."""
        self.query_one("#reset-message", Static).update(plain(text, 300))

    @on(Button.Pressed, "#reset-clear")
    def clear(self) -> None:
        """Empty both PIN fields and start again in the first."""
        for selector in FIELDS:
            self.query_one(selector, Input).value = ""
        self.query_one(FIELDS[0], Input).focus()
        self.target = FIELDS[0]

    @on(Button.Pressed, "#reset")
    def action_reset(self) -> None:
        """Check both PINs match, then reset in a worker (the service checks the rest)."""
        name = self.query_one("#reset-name", Select).value
        first, again = (self.query_one(s, Input).value for s in FIELDS)
        if not isinstance(name, str):
            self.say("Choose whose PIN to reset first.")
            return
        if first != again:
            self.clear()
            self.say("The two PINs are not the same: please type the new PIN twice again.")
            return
        if self.busy:
            return
        self.busy = True
        self.say("Resetting…")
        self.clear()
        self.reset(name, first)

    @work(thread=True, exclusive=True, group="pin-reset", exit_on_error=False)
    def reset(self, name: str, pin: str) -> None:
        """Run the reset (argon2 hashing) off the UI thread and post the answer back."""
        context = self.mode.context
        try:
            reset_pin(context.store, name, pin, now=context.clock(),
                      admin_id=self.mode.staff_id, kiosk_id=context.kiosk_id)
        except KioskError as error:
            self.post_message(PinResetDone(name, str(error)))
            return
        self.post_message(PinResetDone(name, None))

    def on_pin_reset_done(self, message: PinResetDone) -> None:
        """Say it is done (tell the member the PIN in person), or why not."""
        self.busy = False
        if message.problem is not None:
            self.say(message.problem)
            self.notify(message.problem, title="Not done", severity="error", markup=False)
            return
        self.say(f"{message.name}'s PIN is reset: they sign in with the new PIN from now on"
                 " (their wrong-PIN lock is cleared).")
