"""The door screen parents see: the camera, the standing rules and one big result card.

Codes arrive three ways: the camera (through the app's scanning thread), a handheld
scanner typing into the screen (keyboard wedge: captured anywhere, no focus needed), and
the "type code" box for a steward. Each goes to `kiosk.checkin.service.check_in` in a thread
worker; the newest scan's answer replaces the card at once, and the card returns to
ready by itself. No rule is decided here: the card shows what the core decided.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Static

from kiosk.checkin.doorview import STANDING_RULES
from kiosk.checkin.service import PartySizeNeeded, check_in
from kiosk.errors import KioskError
from kiosk.safetext import safe_text
from kiosk.store import Store
from kiosk.ui.card import ResultCard
from kiosk.ui.messages import (
    CameraChanged,
    CheckinFailed,
    Decided,
    EventLoaded,
    PartySizeAsked,
    PreviewReady,
)
from kiosk.ui.party import PartySizeScreen
from kiosk.ui.paste import on_tablet, pasted_scan
from kiosk.ui.preview import CameraPreview
from kiosk.ui.wedge import WedgeBuffer, WedgeKeys

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


@dataclass(frozen=True)
class CheckinRequest:
    """Everything a worker thread needs, captured on the UI thread (no widget access)."""

    store: Store
    event_id: str
    kiosk_id: str
    text: str
    method: str
    now: datetime
    nonce: str
    party_size: int | None
    seq: int


def rule_text(symbol: str, words: str) -> Text:
    """One standing rule: its symbol in bold, then plain words."""
    text = Text()
    text.append(f"{symbol} ", style="bold")
    text.append(words)
    return text


class DoorScreen(WedgeKeys, Screen[None]):
    """Parent-facing door screen (the app's default screen; staff screens go on top)."""

    AUTO_FOCUS = ""  # nothing focused: a wedge scanner's keys reach the screen
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "ready", "Clear", show=False),
    ]

    class ReturnedToReady(Message):
        """The card went back to the ready prompt (by its timer, Escape or staff)."""

    class ResultShown(Message):
        """A result card for scan `seq` is on screen (posted after the repaint)."""

        def __init__(self, seq: int, colour: str) -> None:
            super().__init__()
            self.seq = seq
            self.colour = colour

    def __init__(self) -> None:
        super().__init__(id="door")
        self.wedge = WedgeBuffer()
        self.seq = 0  # number of the newest scan; older answers are dropped
        self.return_timer: Timer | None = None

    @property
    def kiosk(self) -> KioskApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Top bar, camera and card side by side, rules, the type-code row and keys."""
        with Horizontal(id="door-top"):
            yield Static(Text("Loading…"), id="event-name")
            yield Static(id="door-clock")
        with Horizontal(id="door-body"):
            with Vertical(id="scan-panel"):
                yield Static(Text("Camera", style="bold"), id="scan-label")
                yield CameraPreview(id="preview")
                yield Static(id="camera-notice")
            yield ResultCard(id="card")
        with Horizontal(id="rules") as rules:
            rules.border_title = "Recording rules"
            for symbol, words in STANDING_RULES:
                yield Static(rule_text(symbol, words), classes="rule")
        with Horizontal(id="door-controls"):
            yield Input(placeholder="Type a pass code…", id="code-input", compact=True,
                        max_length=200, select_on_focus=False)
            yield Button("Check in", id="code-submit", compact=True)
            yield Static(id="demo-hint")
            yield Button("Staff", id="staff-button", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        """Show the door name, the time, and the demo key if there is one."""
        self.query_one("#camera-notice", Static).display = False
        camera = self.kiosk.camera
        if camera is not None:
            camera.start(self.query_one(CameraPreview))
        elif on_tablet():  # the page shows the tablet's camera beside this screen
            self.query_one("#scan-panel").display = False
        else:
            self.query_one("#scan-label", Static).update(Text("No camera at this door"))
        self.refresh_clock()
        self.set_interval(15, self.refresh_clock)
        self.show_ready()

    # --- top bar --------------------------------------------------------------------

    def refresh_clock(self) -> None:
        """Door name and the time from the app's clock (fixed in tests)."""
        now: datetime = self.kiosk.clock()
        self.query_one("#door-clock", Static).update(
            Text(f"{safe_text(self.kiosk.kiosk_id, 30)}  {now:%H:%M}")
        )

    def on_event_loaded(self, message: EventLoaded) -> None:
        """Put the event's name in the top bar (or a plain problem for staff)."""
        label = Text(safe_text(message.name, 80), style="bold")
        if message.problem:
            label = Text(f"Event not found: {safe_text(message.problem)}", style="bold")
        elif message.date and date.fromisoformat(message.date) != self.kiosk.clock().date():
            day = date.fromisoformat(message.date)
            label.append(f"  ! This event is on {day:%a %-d %b %Y}, not today:"
                         " every pass will be refused.", style="bold black on yellow")
        self.query_one("#event-name", Static).update(label)

    # --- camera ---------------------------------------------------------------------

    def on_camera_changed(self, message: CameraChanged) -> None:
        """A small staff-facing notice while the camera is away; scanning goes on."""
        notice = self.query_one("#camera-notice", Static)
        preview = self.query_one(CameraPreview)
        notice.display = not message.working and message.state != "starting"
        notice.update(Text(f"! {safe_text(message.message)}"))
        self.set_class(notice.display, "-camera-trouble")
        if not message.working:
            preview.show_off()
        if self.query_one(ResultCard).state == "ready":
            self._ready_card()

    def on_preview_ready(self, message: PreviewReady) -> None:
        """Swap in the newest preview picture."""
        self.query_one(CameraPreview).show_picture(message.picture)

    # --- codes in -------------------------------------------------------------------

    def handle_scan(self, text: str, method: str, *, party_size: int | None = None,
                    nonce: str | None = None) -> None:
        """Decide on a code in a thread worker; the newest scan wins the card."""
        self.seq += 1
        app = self.kiosk
        request = CheckinRequest(
            store=app.store, event_id=app.event_id, kiosk_id=app.kiosk_id, text=text,
            method=method, now=app.clock(), nonce=nonce or uuid.uuid4().hex,
            party_size=party_size, seq=self.seq,
        )
        self._stop_return_timer()
        self.run_worker(partial(self._decide, request), thread=True, group="checkin",
                        exit_on_error=False)

    def _decide(self, request: CheckinRequest) -> None:
        """Runs in a worker thread: call the core and post what it said (nothing else)."""
        try:
            decision = check_in(
                request.store, request.text, request.event_id, now=request.now,
                kiosk_id=request.kiosk_id, nonce=request.nonce, method=request.method,
                party_size=request.party_size,
            )
        except PartySizeNeeded as asked:
            self.post_message(PartySizeAsked(request.text, request.method, request.nonce,
                                             asked.seats_left, request.seq))
        except KioskError as error:
            self.post_message(CheckinFailed(str(error), request.seq))
        else:
            self.post_message(Decided(decision, request.seq))

    def on_paste(self, event: events.Paste) -> None:
        """A paste is a scan (the tablet's camera through `kiosk serve`, see kiosk.ui.paste)."""
        event.stop()
        scan = pasted_scan(event.text, event.time, self.wedge.repeats, self.kiosk.kiosk_id)
        if scan is not None:
            self.handle_scan(scan.code, scan.method, nonce=scan.nonce)

    @on(Input.Submitted, "#code-input")
    def typed_code(self, event: Input.Submitted) -> None:
        """A steward typed a code and pressed Enter."""
        event.stop()
        self.submit_typed()

    @on(Button.Pressed, "#code-submit")
    def typed_code_button(self, event: Button.Pressed) -> None:
        """The Check in button beside the box."""
        event.stop()
        self.submit_typed()

    def submit_typed(self) -> None:
        """Check in the typed code, then clear the box and give the screen its keys back."""
        box = self.query_one("#code-input", Input)
        text = box.value
        box.value = ""
        self.set_focus(None)
        if text.strip():
            self.handle_scan(text, "keyboard")

    @on(Button.Pressed, "#staff-button")
    def staff_button(self, event: Button.Pressed) -> None:
        """The on-screen Staff button: same as the Staff key."""
        event.stop()
        self.set_focus(None)
        self.kiosk.action_staff()

    # --- answers out ----------------------------------------------------------------

    def on_decided(self, message: Decided) -> None:
        """Show the newest decision at once, ring, and arm the return to ready."""
        if message.seq != self.seq:
            return
        decision = message.decision
        self.query_one(ResultCard).show_decision(decision)
        self.add_class("-showing")
        self.kiosk.ring(decision.ok)
        self._arm_return_timer()
        self.call_after_refresh(self.post_message, self.ResultShown(message.seq, decision.colour))

    def on_checkin_failed(self, message: CheckinFailed) -> None:
        """The kiosk could not decide: send the family to staff, say why for staff."""
        if message.seq != self.seq:
            return
        self.query_one(ResultCard).show_problem(message.problem)
        self.add_class("-showing")
        self.kiosk.ring(False)
        self._arm_return_timer()
        self.call_after_refresh(self.post_message, self.ResultShown(message.seq, "problem"))

    def on_party_size_asked(self, message: PartySizeAsked) -> None:
        """Seats are allocated: ask how many, then decide again with the same nonce."""
        if message.seq != self.seq:
            return

        def answered(count: int | None) -> None:
            if message.seq != self.seq:
                return  # a newer scan took over while the question was open
            if count is None:
                self.show_ready()
            else:
                self.handle_scan(message.text, message.method, party_size=count,
                                 nonce=message.nonce)

        self.app.push_screen(PartySizeScreen(message.seats_left, self.handle_scan), answered)

    # --- back to ready --------------------------------------------------------------

    def _stop_return_timer(self) -> None:
        if self.return_timer is not None:
            self.return_timer.stop()
            self.return_timer = None

    def _arm_return_timer(self) -> None:
        self._stop_return_timer()
        delay = max(self.kiosk.return_after, 0.01)  # a Textual timer needs a delay
        self.return_timer = self.set_timer(delay, self.card_expired)

    def card_expired(self) -> None:
        """The return timer ran out: back to the ready prompt."""
        self.return_timer = None
        self.show_ready()

    def action_ready(self) -> None:
        """Escape: clear the card now."""
        self._stop_return_timer()
        self.show_ready()

    def show_ready(self) -> None:
        """Ready for the next family: prompt, and the demo key if this is the demo."""
        self._ready_card()
        self.query_one("#demo-hint", Static).update(Text(self.kiosk.demo_hint(short=True)))
        self.remove_class("-showing")
        self.post_message(self.ReturnedToReady())

    def _ready_card(self) -> None:
        """The ready prompt: the camera while it works, else the handheld scanner."""
        camera_works = ((self.kiosk.camera is not None or on_tablet())
                        and not self.has_class("-camera-trouble"))
        self.query_one(ResultCard).show_ready(self.kiosk.demo_hint(), camera=camera_works)
