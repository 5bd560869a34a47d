"""The door screen parents see: the camera, the standing rules and one big result card.

Codes arrive three ways: the camera (through the app's scanning thread), a handheld
scanner typing into the screen (keyboard wedge: captured anywhere, no focus needed), and
the "type code" box for a steward. Each goes to `kiosk.checkin.service.check_in` in a thread
worker; the newest scan's answer replaces the card at once, and the card returns to
ready by itself. No rule is decided here: the card shows what the core decided.

The screen is given a `KioskContext` (store, event, door name, clock, timings) and whether
there is a camera; it asks the app for things by posting messages (the Staff button, the
bell, "start the camera at this preview") and never calls the app.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import ClassVar

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
from kiosk.passes.token import REF_LENGTH
from kiosk.safetext import safe_text
from kiosk.store import Store
from kiosk.ui.card import ResultCard
from kiosk.ui.context import KioskContext
from kiosk.ui.messages import (
    CameraChanged,
    CheckinFailed,
    Decided,
    EventLoaded,
    PartySizeAsked,
    PreviewReady,
)
from kiosk.ui.party import PartySizeScreen
from kiosk.ui.paste import camera_state, pasted_scan
from kiosk.ui.preview import CameraPreview
from kiosk.ui.wedge import WedgeBuffer, WedgeKeys


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


PIN_TYPED = "That looked like a PIN, not a pass. Staff: press Staff (F2) first to sign in."
PIN_LIKE_MAX = 12  # longest PIN; a pass code is never digits alone
REF_TYPED = ("That is the reference printed on a pass, not its code. Staff: find the family"
             " by it in staff mode (Check-ins) to check them in by hand.")


def looks_like_pin(text: str) -> bool:
    """Digits only, PIN length: typed by staff, not a pass (never checked in)."""
    typed = text.strip()
    return typed.isdigit() and len(typed) <= PIN_LIKE_MAX


def looks_like_ref(text: str) -> bool:
    """Four letters and digits: a pass's printed reference typed by staff, not its code."""
    typed = text.strip()
    return len(typed) == REF_LENGTH and typed.isalnum()


def rule_text(symbol: str, words: str) -> Text:
    """One standing rule: its symbol in bold, then plain words."""
    text = Text()
    text.append(f"{symbol} ", style="bold")
    text.append(words)
    return text


class DoorScreen(WedgeKeys, Screen[None]):
    """Parent-facing door screen (the app's default screen; staff screens go on top)."""

    AUTO_FOCUS = ""  # nothing focused: a wedge scanner's keys reach the screen
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]  # noqa: RUF012 (Textual's type)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012
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

    class StaffRequested(Message):
        """The Staff button was pressed: the app opens staff mode (PIN first)."""

    class Ring(Message):
        """A result is on the card: one bell for a welcome, three for a refusal."""

        def __init__(self, ok: bool) -> None:
            super().__init__()
            self.ok = ok

    class CameraWanted(Message):
        """The door is up: start the camera and draw its preview into `preview`."""

        def __init__(self, preview: CameraPreview) -> None:
            super().__init__()
            self.preview = preview

    def __init__(self, context: KioskContext, *, camera: bool = False) -> None:
        super().__init__(id="door")
        self.context = context
        self.has_camera = camera
        self.wedge = WedgeBuffer()
        self.seq = 0  # number of the newest scan; older answers are dropped
        self.return_timer: Timer | None = None
        self.hint = ""  # a line for the ready card (the demo says which key to press)
        self.short_hint = ""  # the same, short, beside the type-code box
        self.camera_refused = False  # a tablet's page said its browser gave it no camera

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
        """Show the door name and the time; ask for the camera if this door has one."""
        self.query_one("#camera-notice", Static).display = False
        self.set_class(self.context.tablet, "-tablet")  # taps: bigger buttons (kiosk.tcss)
        if self.has_camera:
            self.post_message(self.CameraWanted(self.query_one(CameraPreview)))
        elif self.context.tablet:  # the page shows the tablet's camera beside this screen
            self.query_one("#scan-panel").display = False
        else:
            self.query_one("#scan-label", Static).update(Text("No camera at this door"))
        self.refresh_clock()
        self.set_interval(15, self.refresh_clock)
        self.show_ready()

    # --- top bar --------------------------------------------------------------------

    def refresh_clock(self) -> None:
        """Door name and the time from the app's clock (fixed in tests)."""
        now: datetime = self.context.clock()
        self.query_one("#door-clock", Static).update(
            Text(f"{safe_text(self.context.kiosk_id, 30)}  {now:%H:%M}")
        )

    def on_event_loaded(self, message: EventLoaded) -> None:
        """Put the event's name in the top bar (or a plain problem for staff)."""
        label = Text(safe_text(message.name, 80), style="bold")
        if message.problem:
            label = Text(f"Event not found: {safe_text(message.problem)}", style="bold")
        elif message.date and date.fromisoformat(message.date) != self.context.clock().date():
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
        """Decide on a code in a thread worker; the newest scan wins the card.

        Digits alone typed at the door are a PIN typed after the PIN screen closed by
        itself (no pass code is digits only): not a scan, and never echoed on screen. Four
        letters and digits are a pass's printed reference: staff are told where it works.
        """
        if method != "camera" and looks_like_pin(text):
            self.notify(PIN_TYPED, title="Staff", severity="warning", timeout=4)
            return
        if method != "camera" and looks_like_ref(text):
            self.notify(REF_TYPED, title="Staff", severity="warning", timeout=6)
            return
        self.seq += 1
        context = self.context
        request = CheckinRequest(
            store=context.store, event_id=context.event_id, kiosk_id=context.kiosk_id,
            text=text, method=method, now=context.clock(), nonce=nonce or uuid.uuid4().hex,
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
        camera = camera_state(event.text) if self.context.tablet else None
        if camera is not None:
            self.camera_refused = not camera
            if self.query_one(ResultCard).state == "ready":
                self._ready_card()
            return
        scan = pasted_scan(event.text, event.time, self.wedge.repeats, self.context.kiosk_id)
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

    def slow_typing(self, text: str) -> bool:
        """A steward typing a code key by key: it goes on in the type-code box."""
        box = self.query_one("#code-input", Input)
        box.value = (box.value + text)[: box.max_length or None]
        box.cursor_position = len(box.value)
        box.focus()
        return True

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
        """The on-screen Staff button: same as the Staff key (the app opens staff mode)."""
        event.stop()
        self.set_focus(None)
        self.post_message(self.StaffRequested())

    # --- answers out ----------------------------------------------------------------

    def on_decided(self, message: Decided) -> None:
        """Show the newest decision at once, ring, and arm the return to ready."""
        if message.seq != self.seq:
            return
        decision = message.decision
        self.query_one(ResultCard).show_decision(decision)
        self.add_class("-showing")
        self.post_message(self.Ring(decision.ok))
        self._arm_return_timer()
        self.call_after_refresh(self.post_message, self.ResultShown(message.seq, decision.colour))

    def on_checkin_failed(self, message: CheckinFailed) -> None:
        """The kiosk could not decide: send the family to staff, say why for staff."""
        if message.seq != self.seq:
            return
        self.query_one(ResultCard).show_problem(message.problem)
        self.add_class("-showing")
        self.post_message(self.Ring(False))
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

        question = PartySizeScreen(message.seats_left, self.handle_scan)
        question.set_class(self.context.tablet, "-tablet")
        self.app.push_screen(question, answered)

    # --- back to ready --------------------------------------------------------------

    def _stop_return_timer(self) -> None:
        if self.return_timer is not None:
            self.return_timer.stop()
            self.return_timer = None

    def _arm_return_timer(self) -> None:
        self._stop_return_timer()
        delay = max(self.context.return_after, 0.01)  # a Textual timer needs a delay
        self.return_timer = self.set_timer(delay, self.card_expired)

    def card_expired(self) -> None:
        """The return timer ran out: back to the ready prompt."""
        self.return_timer = None
        self.show_ready()

    def action_ready(self) -> None:
        """Escape: clear the card now."""
        self._stop_return_timer()
        self.show_ready()

    def set_hint(self, hint: str, short: str) -> None:
        """The line the ready card shows under its prompt, and its short form (the demo)."""
        self.hint, self.short_hint = hint, short

    def show_ready(self) -> None:
        """Ready for the next family: prompt, and the hint (the demo key) if there is one."""
        self._ready_card()
        self.query_one("#demo-hint", Static).update(Text(self.short_hint))
        self.remove_class("-showing")
        self.post_message(self.ReturnedToReady())

    def _ready_card(self) -> None:
        """The ready prompt: the camera while it works, else the handheld scanner."""
        if self.camera_refused:
            self.query_one(ResultCard).show_camera_off(self.hint)
            return
        camera_works = ((self.has_camera or self.context.tablet)
                        and not self.has_class("-camera-trouble"))
        self.query_one(ResultCard).show_ready(self.hint, camera=camera_works)
