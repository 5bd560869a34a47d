"""The PIN screen: pick your name, type your PIN; checked off the UI thread (argon2).

The door stays the door while it is open: a pass shown to the camera or the handheld
scanner closes it and is checked in as usual (the parent is standing there), and it
closes by itself after the staff idle-lock time with no key or tap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.errors import KioskError
from kiosk.staff import StaffSession, active_staff_names, authenticate
from kiosk.ui.messages import CodeScanned
from kiosk.ui.paste import on_tablet
from kiosk.ui.staff.base import STAFF_CSS, plain
from kiosk.ui.staff.desk import StaffDesk
from kiosk.ui.wedge import WedgeBuffer, WedgeKeys
from kiosk.ui.widgets.keypad import PinKeypad


@dataclass
class SignInChecked(Message):
    """The PIN check finished: a session, or the plain reason it was refused."""

    session: StaffSession | None
    problem: str | None


class PinScreen(WedgeKeys, ModalScreen[StaffSession | None]):
    """Ask who is signing in and their PIN; dismiss with a session, or None on cancel."""

    CSS_PATH = STAFF_CSS
    AUTO_FOCUS = "#pin-names"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__()
        self.context = mode.context
        self.checking = False
        self.wedge = WedgeBuffer()
        self.last_activity: datetime = self.context.clock()

    def compose(self) -> ComposeResult:
        """Names, PIN field, message line, buttons."""
        try:
            names = active_staff_names(self.context.store)
        except KioskError:
            names = []
        with Vertical(id="pin-dialog"):
            yield Label("Staff sign-in", id="pin-title")
            yield Label("Who are you? (up/down, Enter)")
            yield OptionList(*(Option(plain(n), id=n) for n in names), id="pin-names")
            yield Label("PIN")
            yield Input(placeholder="4 to 8 digits", password=True, restrict=r"[0-9]*",
                        max_length=8, id="pin-input")
            if on_tablet():  # no reliable keyboard over a tablet's page
                yield PinKeypad("#pin-input", "#pin-ok")
            yield Static("", id="pin-message")
            with Horizontal(id="pin-buttons"):
                yield Button("Sign in", id="pin-ok", variant="primary")
                yield Button("Cancel", id="pin-cancel")

    def on_mount(self) -> None:
        """Highlight the first name so Enter moves straight to the PIN."""
        names = self.query_one("#pin-names", OptionList)
        if names.option_count:
            names.highlighted = 0
        else:
            self.say("No staff members yet: add one with 'kiosk staff add'.")
        self.set_interval(1.0, self.close_if_idle, name="pin-idle")

    def touch(self) -> None:
        """Someone is using the PIN screen: restart its idle count."""
        self.last_activity = self.context.clock()

    def on_key(self, event: events.Key) -> None:
        """A key that reaches the screen is activity (the scanner capture runs after)."""
        self.touch()

    def on_input_changed(self) -> None:
        """Typing the PIN is activity (the field keeps its keys to itself)."""
        self.touch()

    def on_mouse_down(self) -> None:
        """A tap is activity."""
        self.touch()

    def close_if_idle(self) -> bool:
        """Back to the door after the idle-lock time with no input; True when it closed."""
        idle = (self.context.clock() - self.last_activity).total_seconds()
        if idle >= self.context.idle_lock and self.is_current:
            self.dismiss(None)
            return True
        return False

    def handle_scan(self, text: str, method: str) -> None:
        """A parent showed a pass: give the door back; the app hands it the scan as usual."""
        self.dismiss(None)
        self.app.post_message(CodeScanned(text, method))

    def say(self, text: str) -> None:
        """Show a plain message under the PIN field."""
        self.query_one("#pin-message", Static).update(plain(text))

    @on(OptionList.OptionSelected, "#pin-names")
    def name_chosen(self) -> None:
        """Enter (or a tap) on a name moves to the PIN field."""
        self.query_one("#pin-input", Input).focus()

    @on(Input.Submitted, "#pin-input")
    @on(Button.Pressed, "#pin-ok")
    def submit(self) -> None:
        """Check the PIN for the highlighted name."""
        names = self.query_one("#pin-names", OptionList)
        option = names.highlighted_option
        pin_input = self.query_one("#pin-input", Input)
        if option is None or option.id is None:
            self.say("Choose your name first.")
            names.focus()
            return
        if not pin_input.value:
            self.say("Type your PIN.")
            pin_input.focus()
            return
        if self.checking:
            return
        self.checking = True
        self.say("Checking…")
        pin, pin_input.value = pin_input.value, ""
        self.check(option.id, pin)

    @work(thread=True, exclusive=True, group="pin")
    def check(self, name: str, pin: str) -> None:
        """Run the argon2 check in a thread and post the answer back."""
        context = self.context
        try:
            session = authenticate(context.store, name, pin, now=context.clock(),
                                   kiosk_id=context.kiosk_id)
        except KioskError as error:
            self.post_message(SignInChecked(None, str(error)))
            return
        self.post_message(SignInChecked(session, None))

    def on_sign_in_checked(self, message: SignInChecked) -> None:
        """Dismiss with the session, or say why not and let them try again."""
        self.checking = False
        if message.session is not None:
            self.dismiss(message.session)
            return
        self.say(message.problem or "That did not work.")
        self.query_one("#pin-input", Input).focus()

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        """Back to the door screen without signing in."""
        self.dismiss(None)

