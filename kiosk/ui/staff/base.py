"""What every staff screen shares: the staff bar, the global keys, plain error handling.

Every staff screen also captures a handheld scanner's bursts (`kiosk.ui.wedge`), so a
pass scanned in staff mode never lands on a screen's own keys; a screen that wants scans
(the violation form) overrides `handle_scan`, the others tell staff how to let families in.
Screens are given a `StaffDesk` (the session and the moves) and read what they show in
thread workers (`load`): the worker posts `Loaded`, the screen draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable

from kiosk.errors import KioskError
from kiosk.safetext import safe_text
from kiosk.staff import Role, StaffSession, a_role
from kiosk.ui.staff.desk import StaffDesk
from kiosk.ui.staff.header import StaffHeader, touch_button
from kiosk.ui.wedge import WedgeBuffer, WedgeKeys

T = TypeVar("T")
R = TypeVar("R")
STAFF_CSS = "../staff.tcss"
SCAN_NOTICE = "A pass was shown: lock staff mode (Ctrl+L) to let families check in."

# Keys that work on every staff screen (function keys work even while typing).
GLOBAL_BINDINGS: list[BindingType] = [
    Binding("ctrl+l", "lock", "Lock", priority=True),
    Binding("f12", "lock", "Lock", show=False, priority=True),
    Binding("f2", "violation", "Violation", priority=True),
    Binding("v", "violation", "Violation", show=False),
    Binding("f1", "help", "Help", priority=True),
    Binding("question_mark", "help", "Help", show=False),
    Binding("f3", "dashboard", "Dashboard", show=False, priority=True),
    Binding("d", "dashboard", "Dashboard", show=False),
    Binding("f4", "checkins", "Check-ins", show=False, priority=True),
    Binding("c", "checkins", "Check-ins", show=False),
    Binding("f5", "inbox", "Inbox", show=False, priority=True),
    Binding("i", "inbox", "Inbox", show=False),
    Binding("ctrl+p", "staff_palette", "Commands", show=False, priority=True),
]

# The least role for an action; screens hide keys the signed-in member cannot use.
ACTION_ROLES: dict[str, Role] = {
    "inbox": Role.HEADTEACHER,
    "stage_next": Role.LEAD,
    "stage_back": Role.LEAD,
    "reveal_names": Role.LEAD,
    "pick_children": Role.LEAD,
    "undo": Role.LEAD,
    "acknowledge": Role.HEADTEACHER,
    "close_violation": Role.HEADTEACHER,
    "withdraw": Role.LEAD,
    "grant": Role.LEAD,
    "revoke": Role.LEAD,
    "reset": Role.ADMIN,
}

# (title, help, screen name or action, least role)
COMMANDS: tuple[tuple[str, str, str, Role], ...] = (
    ("Log a violation", "Record someone filming against the rules", "violation", Role.STEWARD),
    ("Event dashboard", "Counts, running order, now on stage", "dashboard", Role.STEWARD),
    ("Check-ins", "Live list, find a family, manual check-in", "checkins", Role.STEWARD),
    ("Headteacher inbox", "Open violations, newest first", "inbox", Role.HEADTEACHER),
    ("Roll call", "Who is in the hall now, for a fire officer; P prints it", "rollcall",
     Role.STEWARD),
    ("Posting check", "May this photo be posted online?", "posting", Role.LEAD),
    ("Consent change", "A guardian withdraws or grants photo permission now", "consent",
     Role.LEAD),
    ("Lost pass", "Cancel a lost pass, check the family in by hand", "lostpass", Role.LEAD),
    ("Reset a staff PIN", "A new PIN for a member of staff (admin)", "pinreset", Role.ADMIN),
    ("Next item on stage", "Move 'now on stage' forward", "stage:1", Role.LEAD),
    ("Previous item on stage", "Move 'now on stage' back", "stage:-1", Role.LEAD),
    ("Staff mode keys", "Help: every key", "help", Role.STEWARD),
    ("Lock staff mode", "Back to the door screen now", "lock", Role.STEWARD),
    ("Close the kiosk", "Quit the door app (lead+; it is recorded who)", "close", Role.LEAD),
)


def refusal(target: str, session: StaffSession) -> str | None:
    """Why this member may not open a screen or run a command; None when they may.

    Checked whichever way a screen is asked for (key, palette, More...), so a screen a
    role may not use never opens, even if a key for it were left showing.
    """
    for title, _help, name, role in COMMANDS:
        if name == target and not session.can(role):
            return f"Only {a_role(role)} or above can use '{title}'."
    return None


def plain(value: object, limit: int = 200) -> Text:
    """Outside text (names, titles, descriptions) as literal text: no markup, no controls."""
    return Text(safe_text(value if value is not None else "", limit))


@dataclass
class Loaded(Message):
    """A worker read something a staff screen shows (`draw` draws it), or could not."""

    kind: str
    number: int
    draw: Callable[[], None] | None = None
    problem: str | None = None


class StaffBits:
    """Mixed into staff screens: the desk, role checks for keys, guarded service calls."""

    NAME: ClassVar[str] = ""  # the registry's name for this screen
    mode: StaffDesk
    _loads: dict[str, int]

    def reload(self) -> None:
        """Read again what this screen shows (screens that show data override it)."""

    def _screen(self) -> Screen[Any]:
        """This mixin is only ever part of a staff screen."""
        assert isinstance(self, Screen)
        return self

    def load(self, kind: str, draw: Callable[[R], None], call: Callable[..., R],
             *args: Any, **kwargs: Any) -> None:
        """Run a read-only service call in a thread worker; `draw(result)` on the UI thread.

        Only the newest load of each `kind` is drawn; a KioskError is shown as its sentence.
        """
        self._loads[kind] = number = self._loads.get(kind, 0) + 1
        screen = self._screen()

        def fetch() -> None:
            try:
                result = call(*args, **kwargs)
            except KioskError as error:
                screen.post_message(Loaded(kind, number, problem=str(error)))
            else:
                screen.post_message(Loaded(kind, number, draw=partial(draw, result)))

        screen.run_worker(fetch, thread=True, group=f"staff-{kind}", exit_on_error=False)

    def on_loaded(self, message: Loaded) -> None:
        """Draw the newest result of a load (older ones are dropped), or say why not."""
        message.stop()
        if message.number != self._loads.get(message.kind):
            return
        if message.problem is not None:
            self._screen().notify(message.problem, title="Not done", severity="error",
                                  markup=False)
        elif message.draw is not None:
            message.draw()

    def allowed(self, action: str) -> bool:
        """True when the signed-in member's role allows this action."""
        session = self.mode.session
        needed = ACTION_ROLES.get(action)
        return session is not None and (needed is None or session.can(needed))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys for actions the signed-in member's role does not allow."""
        return self.allowed(action)

    def attempt(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a service call; show its plain sentence instead of failing on KioskError."""
        try:
            return call(*args, **kwargs)
        except KioskError as error:
            self._screen().notify(str(error), title="Not done", severity="error", markup=False)
            return None

    def succeeded(self, call: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
        """Run a service call for its effect; True when it went through, else say why."""
        try:
            call(*args, **kwargs)
        except KioskError as error:
            self._screen().notify(str(error), title="Not done", severity="error", markup=False)
            return False
        return True

    def on_key(self, event: events.Key) -> None:
        """Any key that reaches the screen is activity (keeps the idle lock away)."""
        self.mode.touch()

    def handle_scan(self, text: str, method: str) -> None:
        """A pass shown while staff work: tell staff, never check the family in unseen."""
        self._screen().notify(SCAN_NOTICE, title="Door", severity="warning", timeout=6)

    def on_input_changed(self) -> None:
        """Typing into a field is activity (fields keep printable keys to themselves)."""
        self.mode.touch()

    def on_mouse_down(self) -> None:
        """A tap or click is activity."""
        self.mode.touch()

    def on_mouse_scroll_down(self) -> None:
        """Scrolling is activity."""
        self.mode.touch()

    def on_mouse_scroll_up(self) -> None:
        """Scrolling is activity."""
        self.mode.touch()

    def action_staff_palette(self) -> None:
        """The command palette with staff actions only (the door keeps it switched off)."""
        self.mode.open_palette()

    def action_lock(self) -> None:
        """Lock staff mode and return to the door screen at once."""
        self.mode.lock("lock_key")

    def action_violation(self) -> None:
        """Open the log-a-violation form."""
        self.mode.show("violation")

    def action_help(self) -> None:
        """Show the keys."""
        self.mode.show("help")

    def action_dashboard(self) -> None:
        """Go to the event dashboard."""
        self.mode.show("dashboard")

    def action_checkins(self) -> None:
        """Go to the check-ins list."""
        self.mode.show("checkins")

    def action_inbox(self) -> None:
        """Go to the headteacher's inbox."""
        self.mode.show("inbox")


class StaffScreen(StaffBits, WedgeKeys, Screen[None]):
    """A full staff screen stacked over the door screen; locking pops it."""

    CSS_PATH = STAFF_CSS
    BINDINGS: ClassVar[list[BindingType]] = GLOBAL_BINDINGS
    WHERE = "Staff"

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__()
        self.mode = mode
        self.wedge = WedgeBuffer()
        self._loads = {}

    def staff_bar(self) -> StaffHeader:
        """The staff bar and the touch nav bar, to yield first in compose()."""
        return StaffHeader(self.mode, self.WHERE, getattr(self, "NAME", ""))


class StaffModal(StaffBits, WedgeKeys, ModalScreen[T]):
    """A dialog over a staff screen (help, forms, questions); escape or Close closes it.

    A tablet has no Escape key: unless a dialog has its own way out (TOUCH_CLOSE False),
    a Close button is added along its bottom edge.
    """

    TOUCH_CLOSE: ClassVar[bool] = True

    CSS_PATH = STAFF_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back"),
        Binding("ctrl+l", "lock", "Lock", priority=True),
        Binding("f12", "lock", "Lock", show=False, priority=True),
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__()
        self.mode = mode
        self.wedge = WedgeBuffer()
        self._loads = {}

    def on_mount(self) -> None:
        """Add the touch Close button (dialogs without their own)."""
        if self.TOUCH_CLOSE:
            self.mount(touch_button("Close", "modal-close", variant="primary"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The touch Close button closes without a result."""
        if event.button.id == "modal-close":
            event.stop()
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)


def fill_table(table: DataTable[Any], rows: list[tuple[str, tuple[object, ...]]]) -> None:
    """Replace a table's rows (key, cells), keeping the cursor on the same key if it stays."""
    keep = None
    if table.row_count and table.cursor_row >= 0:
        keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    keys = [key for key, _ in rows]
    if keep in keys:
        table.move_cursor(row=keys.index(keep), animate=False)


def selected_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
