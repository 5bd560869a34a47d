"""Lost pass in staff mode: cancel the family's lost pass, then check them in by hand.

Find the family, highlight the pass and cancel it (lead and above: `revoke_pass` checks
and audits with the member's id); the dialog that follows names the family, shows what
its door card would show (which children perform, in which items, may they be filmed)
and offers to check the family in now (`manual_check_in`). A new card is printed by the
office (`kiosk passes reissue`): a kiosk prints no pass.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.notifications import SeverityLevel
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from kiosk.checkin.doorview import FamilyView
from kiosk.checkin.service import Decision, manual_check_in
from kiosk.passes.issuing import revoke_pass
from kiosk.safetext import safe_text
from kiosk.ui.staff.ask import Answer, AskScreen
from kiosk.ui.staff.base import StaffModal, fill_table, plain, selected_key
from kiosk.ui.staff.desk import StaffDesk
from kiosk.ui.staff.family_search import FamilyTaskScreen
from kiosk.views.desktasks import FamilyPass, LostPassView, lost_pass_view


def reissue_words(family_id: str) -> str:
    """Where a new card comes from: the office, with the command it runs."""
    return (f"A new card can be reissued from the office: kiosk passes reissue {family_id}"
            " --out FOLDER --staff NAME.")


def filming_view_text(view: FamilyView) -> Text:
    """The family's filming view as its door card shows it: notices, children, items."""
    text = Text()
    for notice in view.notices:
        text.append(safe_text(notice, 300) + "\n", style="bold")
    for child in view.children:
        text.append(f"{safe_text(child.name, 40)} ({safe_text(child.class_name, 8)})\n",
                    style="bold")
        for item in child.items:
            style = "green" if item.filming_allowed else "red"
            text.append(f"  {safe_text(item.title, 60)}: ")
            text.append(item.status_text + "\n", style=style)
    text.rstrip()
    return text


@dataclass(frozen=True)
class CheckInChoice:
    """Check the family in now, with the party size when the event allocates seats."""

    party_size: int | None


class CheckInDialog(StaffModal[CheckInChoice]):
    """Names the family, shows its filming view, offers to check it in by hand now."""

    AUTO_FOCUS = "#lostpass-people, #lostpass-admit"
    TOUCH_CLOSE = False  # it has its own Not now button

    def __init__(self, mode: StaffDesk, view: LostPassView, *,
                 cancelled_ref: str | None) -> None:
        super().__init__(mode)
        self.view = view
        self.cancelled_ref = cancelled_ref

    def compose(self) -> ComposeResult:
        """What happened to the old pass, the filming view, party size, buttons."""
        view = self.view
        with Vertical(id="task-dialog"):
            yield Label(plain(f"Check the {view.family_name} in now?", 80), id="task-title")
            if self.cancelled_ref:
                yield Static(plain(f"Pass {self.cancelled_ref} is cancelled: the old card no"
                                   " longer works at any door. "
                                   + reissue_words(view.family_id), 400), classes="task-note")
            if view.checked_in:
                yield Static(plain(f"The {view.family_name} is already checked in.", 120),
                             classes="task-note")
            with VerticalScroll(id="lostpass-view"):
                yield Static(filming_view_text(view.view))
            if view.seats_per_family:
                yield Label(f"How many people? (up to {view.seats_per_family} seats)")
                yield Input(restrict=r"[0-9]*", max_length=2, id="lostpass-people")
            yield Static("", id="lostpass-message")
            with Horizontal(classes="task-buttons"):
                yield Button("Check in now", id="lostpass-admit", variant="primary")
                yield Button("Not now", id="lostpass-later")

    @on(Input.Submitted, "#lostpass-people")
    @on(Button.Pressed, "#lostpass-admit")
    def admit(self) -> None:
        """Dismiss with the party size (asked only when the event allocates seats)."""
        size = None
        if self.view.seats_per_family:
            raw = self.query_one("#lostpass-people", Input).value
            if not raw or int(raw) < 1:
                self.query_one("#lostpass-message", Static).update(
                    "Type how many people (1 or more).")
                return
            size = int(raw)
        self.dismiss(CheckInChoice(size))

    @on(Button.Pressed, "#lostpass-later")
    def later(self) -> None:
        """Close without checking anyone in."""
        self.dismiss(None)


class LostPassScreen(FamilyTaskScreen):
    """Find a family, cancel its lost pass, check it in by hand (lead and above)."""

    NAME = "lostpass"
    WHERE = "Lost pass"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "revoke", "Cancel pass"),
        Binding("m", "manual", "Check in by hand"),
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.view: LostPassView | None = None
        self.passes: dict[str, FamilyPass] = {}

    def compose(self) -> ComposeResult:
        """Staff bar, the family search, its passes, the two actions, the office's part."""
        yield self.staff_bar()
        yield from self.compose_finder()
        yield Label("Find a family, then highlight the lost pass.", id="lostpass-for",
                    classes="task-label")
        table: DataTable[Any] = DataTable(id="lostpass-passes", cursor_type="row")
        table.add_columns("Pass", "Label", "State", "Issued")
        yield table
        with Horizontal(classes="task-buttons"):
            yield Button("Cancel the pass", id="revoke", variant="error")
            yield Button("Check in by hand", id="manual", variant="primary")
        yield Static("A cancelled card is refused at every door; the office prints a new one.",
                     id="lostpass-office", classes="task-label")
        yield Footer()

    def family_chosen(self) -> None:
        """Read the family's passes and door view."""
        self.reload()

    def reload(self, then: str | None = None) -> None:
        """Read the chosen family again; `then` (a cancelled pass) offers the check-in after."""
        if self.family is None:
            return
        context = self.mode.context
        self.load("passes", lambda view: self.draw(view, then), lost_pass_view, context.store,
                  context.event_id, self.family.family_id, staff_id=self.mode.staff_id,
                  today=context.clock().date())

    def draw(self, view: LostPassView, cancelled_ref: str | None = None) -> None:
        """One row per pass; after a cancel, offer to check the family in."""
        self.view = view
        self.passes = {p.ref: p for p in view.passes}
        here = " (checked in)" if view.checked_in else ""
        self.query_one("#lostpass-for", Label).update(
            plain(f"Passes of the {view.family_name}{here}: highlight the lost one.", 120))
        self.query_one("#lostpass-office", Static).update(
            plain("A cancelled card is refused at every door. " + reissue_words(view.family_id),
                  300))
        fill_table(self.query_one("#lostpass-passes", DataTable), [
            (p.ref, (p.ref, plain(p.label or "–", 40), p.state, p.issued_on))
            for p in view.passes
        ])
        if cancelled_ref is not None:
            self.offer_check_in(cancelled_ref)

    @on(Button.Pressed, "#revoke")
    def action_revoke(self) -> None:
        """Ask why the highlighted pass is cancelled ('lost' is filled in)."""
        chosen = self.passes.get(selected_key(self.query_one("#lostpass-passes", DataTable))
                                 or "")
        if self.view is None or chosen is None:
            self.notify("Find the family and highlight the lost pass first.", severity="warning")
            return
        if not chosen.works:
            self.notify(f"Pass {chosen.ref} is {chosen.state} already: check the family in"
                        " by hand.", severity="warning", markup=False)
            return
        label = f" ({chosen.label})" if chosen.label else ""
        self.app.push_screen(
            AskScreen(self.mode, "Cancel a lost pass", "Why (kept for the office):",
                      confirm="Cancel the pass", value="lost",
                      choices=("lost", "stolen", "damaged"),
                      detail=f"Pass {chosen.ref}{label} of the {self.view.family_name}. Once"
                             " cancelled it is refused at every door."),
            callback=lambda answer: self.revoke(chosen.ref, answer))

    def revoke(self, ref: str, answer: Answer | None) -> None:
        """Cancel the pass (the service checks the role), then offer the check-in."""
        if answer is None:
            return
        context = self.mode.context
        if self.succeeded(revoke_pass, context.store, ref, reason=answer.text,
                          now=context.clock(), kiosk_id=context.kiosk_id,
                          staff_id=self.mode.staff_id):
            self.reload(then=ref)

    @on(Button.Pressed, "#manual")
    def action_manual(self) -> None:
        """Offer to check the family in by hand (no pass)."""
        if self.view is None:
            self.notify("Find the family first.", severity="warning")
            return
        self.offer_check_in(None)

    def offer_check_in(self, cancelled_ref: str | None) -> None:
        """The dialog naming the family with its filming view; check in on confirm."""
        assert self.view is not None
        family_id, nonce = self.view.family_id, f"manual-{uuid.uuid4()}"
        reason = (f"lost pass {cancelled_ref} cancelled" if cancelled_ref
                  else "no pass (lost-pass desk)")
        self.app.push_screen(CheckInDialog(self.mode, self.view, cancelled_ref=cancelled_ref),
                             callback=lambda choice: self.check_in(family_id, nonce, reason,
                                                                   choice))

    def check_in(self, family_id: str, nonce: str, reason: str,
                 choice: CheckInChoice | None) -> None:
        """Record the manual check-in and say the door's answer."""
        if choice is None:
            return
        context = self.mode.context
        decision: Decision | None = self.attempt(
            manual_check_in, context.store, context.event_id, family_id, reason=reason,
            staff_id=self.mode.staff_id, now=context.clock(), kiosk_id=context.kiosk_id,
            nonce=nonce, party_size=choice.party_size)
        if decision is None:
            return
        severity: SeverityLevel = "information" if decision.ok else "error"
        self.notify(safe_text(decision.message, 300), title=decision.title, severity=severity,
                    markup=False)
        self.reload()
