"""The stage board: a read-only full-screen display facing the audience.

It shows "Now on stage: <item>" and, very large, whether filming is allowed. It needs no
PIN to show because it shows no personal data, but it cannot be left without one: no key
quits it (`LockedApp`); F2 asks for a PIN and a lead or above closes it. A thread worker
polls the database's change counter (PRAGMA data_version, a trivial query) every half
second and re-derives the stage only when another process has committed, so a move made
on a kiosk, or a consent withdrawn mid-event, reaches the board within a second.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from kiosk.clock import Clock, system_clock
from kiosk.errors import KioskError
from kiosk.staff import Role, StaffSession, require_role, sign_out
from kiosk.store import Store
from kiosk.ui.bigtext import BigText
from kiosk.ui.context import KioskContext
from kiosk.ui.lockdown import LockedApp
from kiosk.ui.staff.pin import PinScreen
from kiosk.views.stage import NO_FILMING_MESSAGE, StageState, stage_state

POLL_SECONDS = 0.5
STANDING_RULE = "Staff may never be filmed. Film only your own child, and only when allowed."


@dataclass
class StageChanged(Message):
    """The poller read a new stage state (or could not read the database)."""

    state: StageState | None
    problem: str | None = None


@dataclass(frozen=True)
class BoardDesk:
    """What the PIN screen needs from the board: the kiosk's context."""

    context: KioskContext


class StageBoard(LockedApp):
    """Full-screen "now on stage" board for one event; follows the database by itself."""

    CSS_PATH = "board.tcss"
    TITLE = "Stage board"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "close_board", "Close (staff PIN)", show=False),
    ]

    def __init__(self, store: Store, event_id: str, *, poll_seconds: float = POLL_SECONDS,
                 clock: Clock = system_clock, kiosk_id: str = "stage board") -> None:
        super().__init__()
        self.store = store
        self.event_id = event_id
        self.context = KioskContext(store, event_id, kiosk_id, clock)
        self.poll_seconds = poll_seconds
        self.state: StageState | None = None
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        """Headline, the big message, and the standing rule."""
        yield Static("", id="headline")
        yield BigText(NO_FILMING_MESSAGE.replace(" - ", "\n"), id="message")
        yield Static("", id="problem")
        yield Static(STANDING_RULE, id="rule")

    def on_mount(self) -> None:
        """Start in the safe state (no filming) and start following the database."""
        self.screen.add_class("-no-filming")
        self.follow_stage()

    def on_unmount(self) -> None:
        """Let the poller finish its wait at once."""
        self._stop.set()

    def action_close_board(self) -> None:
        """F2: a PIN; a lead or above closes the board, anyone else is told so."""
        if not isinstance(self.screen, PinScreen):
            self.push_screen(PinScreen(BoardDesk(self.context)), callback=self._signed_in)

    def _signed_in(self, session: StaffSession | None) -> None:
        if session is None:
            return
        context = self.context
        try:
            require_role(context.store, session.staff_id, Role.LEAD)
        except KioskError as error:
            self.notify(str(error), title="Not closed", severity="error", markup=False)
            closing = False
        else:
            closing = True
        try:
            sign_out(context.store, session, now=context.clock(), kiosk_id=context.kiosk_id,
                     reason="close_board" if closing else "not_allowed")
        except KioskError as error:
            self.notify(str(error), title="Not recorded", severity="warning", markup=False)
        if closing:
            self.shut_down()

    @work(thread=True, exclusive=True, group="stage")
    def follow_stage(self) -> None:
        """Poll the change counter; derive the stage when anything changed, and post it
        when the stage itself changed (a door's check-in changes the database, not the
        board: no repaint, on the board or over the hub, for each family at the door)."""
        worker = get_current_worker()
        seen: int | None = None
        shown: StageChanged | None = None
        while not worker.is_cancelled and not self._stop.is_set():
            try:
                version = self.store.data_version()
                if version != seen:
                    changed = StageChanged(stage_state(self.store, self.event_id))
                    seen = version
                    if shown is None or (changed.state, None) != (shown.state, shown.problem):
                        shown = changed
                        self.post_message(changed)
            except KioskError as error:
                seen = None
                shown = StageChanged(None, str(error))
                self.post_message(shown)
            self._stop.wait(self.poll_seconds)

    def on_stage_changed(self, message: StageChanged) -> None:
        """Show a new state; on a database problem fall back to "no filming"."""
        if self._stop.is_set() or not self.screen_stack:
            return  # the board is closing: a last poll arrived after its screen went
        self.state = message.state
        allowed = bool(message.state and message.state.allowed)
        self.screen.set_class(allowed, "-allowed")
        self.screen.set_class(not allowed, "-no-filming")
        headline = message.state.headline if message.state else "Stage board"
        self.query_one("#headline", Static).update(Text(headline))  # a title is never markup
        text = message.state.message if message.state else NO_FILMING_MESSAGE
        self.query_one("#message", BigText).text = text.replace(" - ", "\n")
        problem = self.query_one("#problem", Static)
        problem.update(Text(f"(Board not updating: {message.problem})" if message.problem else ""))
        problem.display = bool(message.problem)
        if message.state:
            self.sub_title = message.state.event_name
