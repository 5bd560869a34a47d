"""Log a violation in seconds: time, item on stage and reporter filled in; saved at once."""

from __future__ import annotations

import uuid
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)

from kiosk.errors import KioskError
from kiosk.events import running_order
from kiosk.staff import Role
from kiosk.ui.staff.base import StaffScreen, plain
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.staffdesk import PassLink, identify_pass, item_performers
from kiosk.violations.vocabulary import ACTION_LABELS, KIND_LABELS
from kiosk.violations.workflow import log_violation

KINDS = tuple(KIND_LABELS)
ACTIONS = tuple(ACTION_LABELS)


class ViolationForm(StaffScreen):
    """The form: what happened, who, children (lead+), action taken, notes; ctrl+s saves."""

    NAME = "violation"
    WHERE = "Log a violation"
    AUTO_FOCUS = "#kind"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("k", "pick_children", "Children"),
        *(Binding(str(n), f"kind({n - 1})", show=False) for n in range(1, len(KINDS) + 1)),
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.opened_at = mode.context.clock()
        self.nonce = f"violation-{uuid.uuid4()}"
        self.link: PassLink | None = None
        self.linked_text = ""
        self.item_id: int | None = None
        self.item_label = "nothing on stage"
        try:
            current = running_order(mode.context.store, mode.context.event_id).now_on_stage
        except KioskError:
            current = None
        if current is not None:
            self.item_id = current.item.id
            self.item_label = current.item.title

    def compose(self) -> ComposeResult:
        """The form, one screen tall at 80x24 with a scroll for the rest."""
        mode = self.mode
        who = mode.session.name if mode.session else ""
        yield self.staff_bar()
        header = Text(f"{self.opened_at.strftime('%H:%M')} · On stage: ", style="bold")
        header.append_text(plain(self.item_label, 50))
        header.append(" · Reported by ")
        header.append_text(plain(who, 40))
        yield Static(header, id="violation-header")
        with VerticalScroll(id="violation-form"):
            with Horizontal(id="violation-choices"):
                with Vertical():
                    yield Label("What happened? (1-5)")
                    with RadioSet(id="kind", compact=True):
                        for number, kind in enumerate(KINDS, start=1):
                            yield RadioButton(f"{number} {KIND_LABELS[kind]}")
                with Vertical():
                    yield Label("Action taken")
                    with RadioSet(id="action", compact=True):
                        for action in ACTIONS:
                            yield RadioButton(ACTION_LABELS[action])
            yield Label("Who? Scan their pass (links the family) or describe them:")
            with Horizontal(classes="violation-row"):
                yield Input(placeholder="Scan pass", id="pass", max_length=200, compact=True,
                            password=True)
                yield Static("", id="pass-link")
            yield Input(placeholder="Description, e.g. man in red coat, row F",
                        id="description", max_length=500, compact=True)
            yield from self.children_picker()
            yield Input(placeholder="Notes", id="notes", max_length=2000, compact=True)
            yield Static("", id="violation-message")
            with Horizontal(id="violation-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="error", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer()

    def children_picker(self) -> ComposeResult:
        """Children involved: lead and above, and only when asked (names are not shown first)."""
        mode = self.mode
        if not (mode.session and mode.session.can(Role.LEAD)):
            yield Label("Children involved: a lead or the headteacher links children.",
                        classes="dim")
            return
        if self.item_id is None:
            yield Label("Children involved: no item on stage, so no performers to pick.",
                        classes="dim")
            return
        with Vertical(id="children-box"):
            yield Button("Pick children involved (k)", id="pick-children", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """k (pick children) only for lead and above with an item on stage, until used."""
        if action == "pick_children":
            return (super().check_action(action, parameters) is True
                    and bool(self.query("#pick-children")))
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#pick-children")
    def action_pick_children(self) -> None:
        """Show the item's performers by name to tick (audited as a reveal)."""
        mode, context = self.mode, self.mode.context
        children = self.attempt(item_performers, context.store, context.event_id, self.item_id,
                                staff_id=mode.staff_id, now=context.clock(),
                                kiosk_id=context.kiosk_id)
        if children is None:
            return
        box = self.query_one("#children-box", Vertical)
        box.remove_children()
        picker = SelectionList[str](
            *((plain(f"{c.name} ({c.class_name})" + ("" if c.filmable else " – no filming")),
               c.pupil_id) for c in children),
            id="children",
        )
        box.mount(Label("Children involved (space to tick):"), picker)
        self.call_after_refresh(picker.focus)
        self.refresh_bindings()

    def action_kind(self, index: int) -> None:
        """Pick the kind by its number."""
        buttons = list(self.query_one("#kind", RadioSet).query(RadioButton))
        if 0 <= index < len(buttons):
            buttons[index].value = True

    @on(Input.Changed, "#pass")
    def pass_changed(self, event: Input.Changed) -> None:
        """A different code replaces the old link."""
        if event.value.strip() != self.linked_text:
            self.link = None
            self.linked_text = ""
            self.query_one("#pass-link", Static).update("")

    def handle_scan(self, text: str, method: str) -> None:
        """A camera scan while the form is open fills in the pass and links the family."""
        self.query_one("#pass", Input).value = text.strip()
        self.pass_scanned()

    @on(Input.Submitted, "#pass")
    def pass_scanned(self) -> None:
        """Link the family of a scanned pass (a revoked or expired pass still names it)."""
        text = self.query_one("#pass", Input).value.strip()
        if not text:
            return
        mode = self.mode
        link = self.attempt(identify_pass, mode.context.store, text, staff_id=mode.staff_id,
                            today=mode.context.clock().date())
        if link is None:
            return
        self.link = link if link.family_id else None
        self.linked_text = text
        prefix = "Linked: " if self.link else ""
        self.query_one("#pass-link", Static).update(plain(prefix + link.message, 120))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Save at once; confirm on screen and go back."""
        kind_index = self.query_one("#kind", RadioSet).pressed_index
        if kind_index < 0:
            self.query_one("#violation-message", Static).update(
                "Choose what happened (1-5) first.")
            self.query_one("#kind", RadioSet).focus()
            return
        action_index = self.query_one("#action", RadioSet).pressed_index
        children = (self.query_one("#children", SelectionList).selected
                    if self.query("#children") else [])
        mode = self.mode
        description = self.query_one("#description", Input).value
        if self.link is None and self.query_one("#pass", Input).value.strip():
            self.pass_scanned()
            if self.link is None:
                description = f"{description} (pass not recognised)".strip()
        context = mode.context
        violation_id = self.attempt(
            log_violation, context.store, event_id=context.event_id, kind=KINDS[kind_index],
            reported_by=mode.staff_id, now=context.clock(), kiosk_id=context.kiosk_id,
            item_id=self.item_id,
            family_id=self.link.family_id if self.link else None,
            pass_id=self.link.pass_id if self.link else None,
            description=description or None, children=children,
            action_taken=ACTIONS[action_index] if action_index >= 0 else None,
            notes=self.query_one("#notes", Input).value or None, nonce=self.nonce,
        )
        if violation_id is None:
            return
        self.notify(f"Violation {violation_id} saved. The headteacher will see it in the inbox.",
                    title="Saved", timeout=4)
        self.app.pop_screen()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave without saving."""
        self.app.pop_screen()
