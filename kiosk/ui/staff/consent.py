"""Consent change in staff mode: a guardian withdraws or grants photo permission tonight.

What `kiosk consent withdraw|record` does on the command line, by touch: find the family,
highlight the child, Withdraw or Grant, say who asked (one of the child's guardians, or
the office) and an optional note. The services check the role (lead and above) and audit
the change with the member's id; the running order, the board and every door card read
consent live, so the new filming decision holds at once and is shown here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from kiosk.consent import EVENT_RECORDING, Value
from kiosk.roster.answers import record_answer, withdraw_consent
from kiosk.ui.staff.base import StaffModal, fill_table, plain, selected_key
from kiosk.ui.staff.desk import StaffDesk
from kiosk.ui.staff.family_search import FamilyTaskScreen
from kiosk.views.desktasks import OFFICE, ChildConsent, family_consents

OFFICE_LABEL = "The office (a call or a note)"


@dataclass(frozen=True)
class ConsentAnswer:
    """Who asked for the change, and the staff's note (may be empty)."""

    given_by: str
    note: str


def filming_words(child: ChildConsent) -> str:
    """'may be filmed' or 'may not be filmed' (never why not)."""
    return "may be filmed" if child.filmable else "may not be filmed"


def items_words(child: ChildConsent) -> str:
    """The child's items tonight with a tick (filming allowed) or a cross (no filming)."""
    return ", ".join(f"{title} {'✓' if allowed else '✗'}" for title, allowed in child.items) \
        or "not in tonight's running order"


def effect_words(child: ChildConsent, granted: bool) -> str:
    """What a change means now, in one or two plain sentences."""
    if not granted:
        stopped = [title for title, allowed in child.items if not allowed]
        tail = f" No filming during {', '.join(stopped)}." if stopped else ""
        return f"Withdrawn: {child.name} may not be filmed from now on.{tail}"
    if child.filmable:
        return f"Permission recorded: {child.name} may be filmed from now on (own child only)."
    return (f"Permission recorded, but {child.name} still may not be filmed: another answer"
            " on record says no (the office can check).")


class ConsentDialog(StaffModal[ConsentAnswer]):
    """Who asked (a guardian of the child, or the office), an optional note, confirm."""

    AUTO_FOCUS = "#consent-note"
    TOUCH_CLOSE = False  # it has its own Cancel button

    def __init__(self, mode: StaffDesk, child: ChildConsent, family: str, *,
                 grant: bool) -> None:
        super().__init__(mode)
        self.child = child
        self.family = family
        self.grant = grant

    def compose(self) -> ComposeResult:
        """Title, the child, who asked, the note, buttons."""
        child = self.child
        with Vertical(id="task-dialog"):
            yield Label("Record photo permission given" if self.grant else
                        "Withdraw photo permission", id="task-title")
            yield Static(plain(f"{child.name} ({child.class_name}), {self.family}: "
                               f"{filming_words(child)} now.", 300))
            yield Label("Who asked?")
            options = [(OFFICE_LABEL if name == OFFICE else plain(name, 60), name)
                       for name in child.askers]
            if len(options) > 1:  # staff choose: a guardian's grant clears only their own no
                yield Select(options, id="consent-by", prompt="Choose who asked")
            else:
                yield Select(options, id="consent-by", allow_blank=False, value=OFFICE)
            yield Label("Note (optional)")
            yield Input(max_length=300, id="consent-note", placeholder="e.g. mum asked at the door")
            yield Static("", id="consent-message")
            with Horizontal(classes="task-buttons"):
                yield Button("Grant" if self.grant else "Withdraw", id="consent-ok",
                             variant="success" if self.grant else "error")
                yield Button("Cancel", id="consent-cancel")

    @on(Input.Submitted, "#consent-note")
    @on(Button.Pressed, "#consent-ok")
    def confirmed(self) -> None:
        """Dismiss with who asked and the note."""
        given_by = self.query_one("#consent-by", Select).value
        if not isinstance(given_by, str):
            self.query_one("#consent-message", Static).update("Choose who asked first.")
            return
        note = self.query_one("#consent-note", Input).value.strip()
        self.dismiss(ConsentAnswer(given_by, note))

    @on(Button.Pressed, "#consent-cancel")
    def cancelled(self) -> None:
        """Close without a change."""
        self.dismiss(None)


class ConsentScreen(FamilyTaskScreen):
    """Find a family, highlight a child, withdraw or grant photo permission (lead and above)."""

    NAME = "consent"
    WHERE = "Consent"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "withdraw", "Withdraw"),
        Binding("g", "grant", "Grant"),
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.pupils: dict[str, ChildConsent] = {}
        self.changed: tuple[str, bool] | None = None  # (pupil id, granted): say its effect

    def compose(self) -> ComposeResult:
        """Staff bar, the family search, the children, the two actions, the effect."""
        yield self.staff_bar()
        yield from self.compose_finder()
        yield Label("Find a family, then highlight a child.", id="consent-for",
                    classes="task-label")
        table: DataTable[Any] = DataTable(id="consent-children", cursor_type="row")
        table.add_column("Child")
        table.add_column("Class")
        table.add_column("Filming", width=len("may not be filmed"))
        table.add_column("Items tonight")
        yield table
        with Horizontal(classes="task-buttons"):
            yield Button("Withdraw permission", id="withdraw", variant="error")
            yield Button("Grant permission", id="grant", variant="success")
        yield Static("", id="consent-effect")
        yield Footer()

    def family_chosen(self) -> None:
        """Read the family's children and whether each may be filmed (a worker)."""
        self.changed = None
        self.query_one("#consent-effect", Static).update("")
        self.reload()

    def reload(self) -> None:
        """Read the chosen family's children again."""
        if self.family is None:
            return
        context = self.mode.context
        self.load("children", self.draw_children, family_consents, context.store,
                  context.event_id, self.family.family_id, staff_id=self.mode.staff_id,
                  now=context.clock(), kiosk_id=context.kiosk_id)

    def draw_children(self, children: list[ChildConsent]) -> None:
        """One row per child; after a change, say what it means now."""
        self.pupils = {c.pupil_id: c for c in children}
        family = self.family.display_name if self.family else ""
        self.query_one("#consent-for", Label).update(
            plain(f"Children of the {family} (highlight one, then Withdraw or Grant):", 120))
        fill_table(self.query_one("#consent-children", DataTable), [
            (c.pupil_id, (plain(c.name, 30), plain(c.class_name, 8), filming_words(c),
                          plain(items_words(c), 80)))
            for c in children
        ])
        if self.changed and self.changed[0] in self.pupils:
            pupil_id, granted = self.changed
            self.query_one("#consent-effect", Static).update(
                plain(effect_words(self.pupils[pupil_id], granted), 300))

    def chosen_child(self) -> ChildConsent | None:
        """The highlighted child, or None (and say what to do first)."""
        key = selected_key(self.query_one("#consent-children", DataTable))
        child = self.pupils.get(key or "")
        if child is None:
            self.notify("Find the family and highlight a child first.", severity="warning")
        return child

    @on(Button.Pressed, "#withdraw")
    def action_withdraw(self) -> None:
        """Ask who withdrew permission for the highlighted child."""
        self.ask(grant=False)

    @on(Button.Pressed, "#grant")
    def action_grant(self) -> None:
        """Ask who granted permission for the highlighted child."""
        self.ask(grant=True)

    def ask(self, *, grant: bool) -> None:
        """Open the dialog for the highlighted child; the change is made on confirm."""
        child = self.chosen_child()
        if child is None or self.family is None:
            return
        self.app.push_screen(ConsentDialog(self.mode, child, self.family.display_name,
                                           grant=grant),
                             callback=lambda answer: self.change(child, grant, answer))

    def change(self, child: ChildConsent, grant: bool, answer: ConsentAnswer | None) -> None:
        """Record the answer (the service checks the role), then show its effect."""
        if answer is None:
            return
        context = self.mode.context
        common: dict[str, Any] = {
            "given_by": answer.given_by, "now": context.clock(), "kiosk_id": context.kiosk_id,
            "staff_id": self.mode.staff_id, "note": answer.note or None,
        }
        done = (self.succeeded(record_answer, context.store, child.pupil_id, EVENT_RECORDING,
                               Value.GRANTED.value, **common) if grant else
                self.succeeded(withdraw_consent, context.store, child.pupil_id,
                               EVENT_RECORDING, **common))
        if done:
            self.changed = (child.pupil_id, grant)
            self.reload()
