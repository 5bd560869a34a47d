"""The PIN screen: type your name, type your PIN; checked off the UI thread (argon2).

No staff name is on screen until a letter is typed (a stranger at the door must not read
the staff list off it): then the names starting with what was typed (first name or
surname) are offered. A keypad of big buttons types the PIN on a tablet with no keyboard;
there, letter keys type the name first and give way to the PIN keypad once a name is tapped.

The door stays the door while it is open: a pass shown to the camera or the handheld
scanner closes it and is checked in as usual (the parent is standing there), and it
closes by itself after the staff idle-lock time with no key or tap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Protocol

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.errors import KioskError
from kiosk.passes.token import PREFIX
from kiosk.staff import StaffSession, active_staff_names, authenticate
from kiosk.ui.context import KioskContext
from kiosk.ui.messages import CodeScanned
from kiosk.ui.staff.base import STAFF_CSS, plain
from kiosk.ui.wedge import WedgeBuffer, WedgeKeys

MAX_MATCHES = 5  # names offered at once: type more letters to narrow it
DELETE_KEY, ENTER_KEY = "⌫", "OK"
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", DELETE_KEY, "0", ENTER_KEY)
KEY_IDS = {DELETE_KEY: "delete", ENTER_KEY: "ok"}
LETTERS = (*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", DELETE_KEY)  # a tablet's name keys


@dataclass
class SignInChecked(Message):
    """The PIN check finished: a session, or the plain reason it was refused."""

    session: StaffSession | None
    problem: str | None


class KeypadKey(Static):
    """A big keypad key for a tablet: every tap calls `on_tap(key)` at once.

    Not a Button: a Button ignores a tap that comes while its 0.2 s press effect shows,
    so a quick "1, 1" would type one digit.
    """

    def __init__(self, key: str, on_tap: Callable[[str], None], *, id: str) -> None:
        super().__init__(key, id=id, classes="pin-key")
        self.key = key
        self.on_tap = on_tap

    def on_click(self, event: events.Click) -> None:
        """A tap or click types this key."""
        event.stop()
        self.on_tap(self.key)


class SignInDesk(Protocol):
    """What the PIN screen needs: the kiosk's context (staff mode, or the stage board)."""

    @property
    def context(self) -> KioskContext:
        """Store, event, door name and clock."""
        ...


class PinScreen(WedgeKeys, ModalScreen[StaffSession | None]):
    """Ask who is signing in and their PIN; dismiss with a session, or None on cancel."""

    CSS_PATH = STAFF_CSS
    AUTO_FOCUS = "#pin-name"
    # Keys three rows tall from 34 rows: a tablet's page has 34 or more (kiosk serve).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]  # noqa: RUF012 (Textual's type)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, mode: SignInDesk) -> None:
        super().__init__()
        self.context = mode.context
        self.checking = False
        self.wedge = WedgeBuffer()
        self.last_activity: datetime = self.context.clock()
        self.names: list[str] = []  # read at mount; shown only as matches to typed letters

    def compose(self) -> ComposeResult:
        """Name field, its matches, PIN field and keypad, message line, buttons."""
        with Vertical(id="pin-dialog"):
            yield Label("Staff sign-in", id="pin-title")
            yield Label("Your name (type the first letters):")
            yield Input(placeholder="Name", id="pin-name", max_length=80)
            yield OptionList(id="pin-names")
            yield Label("PIN")
            yield Input(placeholder="your PIN", password=True, restrict=r"[0-9]*",
                        max_length=12, id="pin-input")
            if self.context.tablet:  # no reliable keyboard: letters first, then the PIN
                with Grid(id="pin-letters"):
                    for key in LETTERS:
                        yield KeypadKey(key, self.letter,
                                        id=f"pin-letter-{KEY_IDS.get(key, key.lower())}")
            with Grid(id="pin-keypad"):
                for key in KEYPAD:
                    yield KeypadKey(key, self.keypad, id=f"pin-key-{KEY_IDS.get(key, key)}")
            yield Static("", id="pin-message")
            with Horizontal(id="pin-buttons"):
                yield Button("Sign in", id="pin-ok", variant="primary")
                yield Button("Cancel", id="pin-cancel")

    def on_mount(self) -> None:
        """Read the names (never shown whole) and start the idle count."""
        self.query_one("#pin-names", OptionList).display = False
        self.set_class(self.context.tablet, "-tablet")
        self.set_interval(1.0, self.close_if_idle, name="pin-idle")
        self.read_names()

    @work(thread=True, exclusive=True, group="pin-names")
    def read_names(self) -> None:
        """Worker thread: the active staff names, kept off screen until letters match."""
        try:
            names = active_staff_names(self.context.store)
        except KioskError:
            names = []
        self.app.call_from_thread(self.names_read, names)

    def names_read(self, names: list[str]) -> None:
        """Keep the names; say so when there is nobody to sign in as."""
        self.names = names
        if not names:
            self.say("No staff members yet: add one with 'kiosk staff add'.")

    def matches(self, typed: str) -> list[str]:
        """Names whose first name or surname starts with what was typed (none for nothing)."""
        typed = " ".join(typed.split()).casefold()
        if not typed:
            return []
        return [name for name in self.names
                if name.casefold().startswith(typed)
                or any(part.casefold().startswith(typed) for part in name.split()[1:])]

    def letter(self, key: str) -> None:
        """A tablet's letter key: type it into the name field, or delete the last letter."""
        field = self.query_one("#pin-name", Input)
        field.value = field.value[:-1] if key == DELETE_KEY else field.value + key

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tapping the name field again brings the letters back (on a tablet)."""
        if event.widget.id == "pin-name":
            self.remove_class("-name-picked")

    @on(Input.Changed, "#pin-name")
    def name_typed(self, event: Input.Changed) -> None:
        """Offer the names that match the letters typed so far (nothing before a letter)."""
        self.touch()
        self.remove_class("-name-picked")
        options = self.query_one("#pin-names", OptionList)
        found = self.matches(event.value)
        options.clear_options()
        options.add_options([Option(plain(n), id=n) for n in found[:MAX_MATCHES]])
        options.display = bool(found)
        if found:
            options.highlighted = 0

    @on(Input.Submitted, "#pin-name")
    def name_done(self) -> None:
        """Enter in the name field takes the only match and moves to the PIN.

        A handheld scanner types into the focused name field: a pass code there is a
        parent's pass, handed back to the door as usual.
        """
        field = self.query_one("#pin-name", Input)
        if field.value.strip().upper().startswith(PREFIX):
            code, field.value = field.value, ""
            self.handle_scan(code, "scanner")
            return
        found = self.matches(field.value)
        if len(found) == 1:
            self.pick(found[0])
        else:
            self.query_one("#pin-input", Input).focus()

    def pick(self, name: str) -> None:
        """A name chosen from the matches: put it in the field, hide the list, go to the PIN."""
        field = self.query_one("#pin-name", Input)
        with field.prevent(Input.Changed):
            field.value = name
        self.query_one("#pin-names", OptionList).display = False
        self.add_class("-name-picked")  # a tablet swaps the letters for the PIN keypad
        self.query_one("#pin-input", Input).focus()

    def chosen_name(self) -> str:
        """The name to sign in as: an exact (any case) match, else the only match, else as typed."""
        typed = " ".join(self.query_one("#pin-name", Input).value.split())
        exact = [n for n in self.names if n.casefold() == typed.casefold()]
        found = self.matches(typed)
        return exact[0] if exact else found[0] if len(found) == 1 else typed

    def keypad(self, key: str) -> None:
        """A keypad key: a digit, delete the last one, or sign in."""
        self.touch()
        field = self.query_one("#pin-input", Input)
        if key == ENTER_KEY:
            self.submit()
        elif key == DELETE_KEY:
            field.value = field.value[:-1]
        elif len(field.value) < (field.max_length or 12):
            field.value += key

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
    def name_chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a tap) on a name takes it and moves to the PIN field."""
        if event.option.id is not None:
            self.pick(event.option.id)

    @on(Input.Submitted, "#pin-input")
    @on(Button.Pressed, "#pin-ok")
    def submit(self) -> None:
        """Check the PIN for the name typed (the sign-in service says if it is unknown)."""
        name = self.chosen_name()
        pin_input = self.query_one("#pin-input", Input)
        if not name:
            self.say("Type your name first.")
            self.query_one("#pin-name", Input).focus()
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
        self.check(name, pin)

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

