"""Check-ins for staff: the live list, find a family by name, manual check-in, undo.

The list and the search are read in thread workers and drawn when they are posted back.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.widgets import DataTable, Footer, Input, Label, Static

from kiosk.checkin.doorview import FamilyView
from kiosk.checkin.lists import FamilyMatch
from kiosk.checkin.service import CheckinEntry, PartySizeNeeded, manual_check_in, undo_check_in
from kiosk.errors import KioskError
from kiosk.passes.token import PREFIX
from kiosk.safetext import safe_text
from kiosk.ui.card import view_renderable
from kiosk.ui.staff.ask import Answer, AskScreen
from kiosk.ui.staff.base import StaffScreen, fill_table, plain, selected_key
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.staffdesk import staff_checkins, staff_family_view, staff_find_families

REFRESH_SECONDS = 2.0
# The usual reasons, one tap each on a tablet (the field still takes any other).
MANUAL_REASONS = ("forgot pass", "phone flat", "lost pass")
UNDO_REASONS = ("wrong family", "scanned twice", "not coming in after all")
RESULT_STYLE = {"admitted": "green", "re_entry": "yellow", "refused": "red"}


def result_text(entry: CheckinEntry) -> Text:
    """'admitted', 're-entry', 'refused: unknown pass' in words (colour is extra)."""
    if entry.undone:
        return Text("undone", style="dim strike")
    words = "re-entry" if entry.code == "re_entry" else entry.code.replace("_", " ")
    if entry.result == "refused":
        words = f"refused: {words}"
    return Text(words, style=RESULT_STYLE.get(entry.result, ""))


class CheckinsScreen(StaffScreen):
    """Find a family to check in by hand; see and undo check-ins (undo: lead and above)."""

    NAME = "checkins"
    WHERE = "Check-ins"
    AUTO_FOCUS = "#family-search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "manual", "Manual check-in"),
        Binding("u", "undo", "Undo check-in"),
        Binding("slash", "find", "Find family", priority=True),  # never types "/"
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.entries: dict[str, CheckinEntry] = {}
        self.matches: dict[str, FamilyMatch] = {}

    def compose(self) -> ComposeResult:
        """Staff bar, search, families found, check-ins, keys."""
        yield self.staff_bar()
        yield Label("Find a family by surname or a child's first name (Enter, then m or "
                    "Enter on a family to check them in without a pass):")
        yield Input(placeholder="Surname, a child's first name, or the pass reference",
                    id="family-search", max_length=40)
        yield Static("", id="families-none")
        families: DataTable[Any] = DataTable(id="families", cursor_type="row")
        families.add_columns("Family", "Children", "Here?")
        yield families
        yield Label("Check-ins, newest first (u undoes the highlighted one):")
        checkins: DataTable[Any] = DataTable(id="checkins", cursor_type="row", zebra_stripes=True)
        checkins.add_columns("Time", "Family", "People", "How", "Result", "Door")
        yield checkins
        yield Footer()

    def on_mount(self) -> None:
        """Load the list now and keep it fresh (other doors check families in too)."""
        self.query_one("#families-none", Static).display = False
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload, name="checkins-refresh")

    def reload(self) -> None:
        """Read the check-ins again, and the family search results (in workers)."""
        mode = self.mode
        if mode.session is None:
            return
        self.load("checkins", self.draw, staff_checkins, mode.context.store,
                  mode.context.event_id, staff_id=mode.staff_id)
        self.search(self.query_one("#family-search", Input).value)

    def draw(self, entries: list[CheckinEntry]) -> None:
        """Show the check-ins just read, newest first."""
        self.entries = {str(e.id): e for e in entries}
        fill_table(self.query_one("#checkins", DataTable), [
            (str(e.id), (e.at.strftime("%H:%M"),
                         plain(e.family_name or "–", 40),
                         str(e.party_size) if e.party_size else "",
                         e.method, result_text(e), plain(e.kiosk_id, 20)))
            for e in entries
        ])

    @on(Input.Changed, "#family-search")
    def search_changed(self, event: Input.Changed) -> None:
        """Search as they type."""
        self.search(event.value)

    @on(Input.Submitted, "#family-search")
    def search_done(self) -> None:
        """Enter moves to the families found."""
        self.query_one("#families", DataTable).focus()

    def search(self, text: str) -> None:
        """Look up families by surname or a child's first name (in a worker)."""
        mode = self.mode
        if not text.strip():
            self.draw_families([])
            self._loads["families"] = self._loads.get("families", 0) + 1  # drop older
            return
        self.load("families", self.draw_families, staff_find_families, mode.context.store,
                  text, mode.context.event_id, staff_id=mode.staff_id)

    def draw_families(self, matches: list[FamilyMatch]) -> None:
        """Show the families found, or say that none was."""
        typed = self.query_one("#family-search", Input).value.strip()
        none = self.query_one("#families-none", Static)
        none.update(plain(f"No family found for “{typed}”.", 80))
        none.display = bool(typed and not matches)
        self.matches = {m.family_id: m for m in matches}
        fill_table(self.query_one("#families", DataTable), [
            (m.family_id, (plain(m.display_name, 40),
                           plain(", ".join(f"{n} ({c})" for n, c in m.children), 60),
                           "✓ in" if m.checked_in else "not yet"))
            for m in matches
        ])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo stays on the keys for a steward, who is told it is for leads."""
        return True if action == "undo" else super().check_action(action, parameters)

    def slow_typing(self, text: str) -> bool:
        """A name typed in the table (at a person's pace) is a search."""
        self.search_for(text)
        return True

    def handle_scan(self, text: str, method: str) -> None:
        """A fast burst that is no pass code (a quick typist in the table) is a search too."""
        if method != "camera" and not text.strip().upper().startswith(PREFIX):
            self.search_for(text)
        else:
            super().handle_scan(text, method)

    def search_for(self, text: str) -> None:
        """Put typed text in the search field and search."""
        box = self.query_one("#family-search", Input)
        box.value = (box.value + text)[: box.max_length or None]
        box.cursor_position = len(box.value)
        box.focus()

    def action_find(self) -> None:
        """Jump to the search field."""
        self.query_one("#family-search", Input).focus()

    @on(DataTable.RowSelected, "#families")
    def action_manual(self) -> None:
        """Check the highlighted family in without a pass: read what the door would show."""
        family_id = selected_key(self.query_one("#families", DataTable))
        match = self.matches.get(family_id or "")
        if match is None:
            self.notify("Find the family first: type their surname or a child's first name.",
                        severity="warning")
            self.action_find()
            return
        mode = self.mode
        self.load("manual-view", partial(self.ask_manual, match), staff_family_view,
                  mode.context.store, mode.context.event_id, match.family_id,
                  staff_id=mode.staff_id)

    def ask_manual(self, match: FamilyMatch, view: FamilyView) -> None:
        """Name the family and show its filming view, then ask the reason (required)."""
        nonce = f"manual-{uuid.uuid4()}"
        self.app.push_screen(
            AskScreen(self.mode, "Manual check-in", "Reason (e.g. forgot pass, phone flat):",
                      confirm="Check in", detail=manual_detail(match, view),
                      choices=MANUAL_REASONS),
            callback=lambda answer: self.manual(match.family_id, nonce, answer),
        )

    def manual(self, family_id: str, nonce: str, answer: Answer | None) -> None:
        """Record the manual check-in; ask the party size when the event allocates seats."""
        if answer is None:
            return
        mode, context = self.mode, self.mode.context
        try:
            decision = manual_check_in(
                context.store, context.event_id, family_id, reason=answer.text,
                staff_id=mode.staff_id, now=context.clock(), kiosk_id=context.kiosk_id,
                nonce=nonce, party_size=answer.number)
        except PartySizeNeeded as needed:
            self.app.push_screen(
                AskScreen(self.mode, "Manual check-in", "Reason:", confirm="Check in",
                          number_prompt=f"How many people? ({needed.seats_left} seats left)",
                          value=answer.text, choices=MANUAL_REASONS),
                callback=lambda again: self.manual(family_id, nonce, again),
            )
            return
        except KioskError as error:
            self.notify(str(error), title="Not done", severity="error", markup=False)
            return
        severity: SeverityLevel = "information" if decision.ok else "error"
        self.notify(safe_text(decision.message, 300), title=decision.title, severity=severity,
                    markup=False)
        self.reload()

    def action_undo(self) -> None:
        """Undo the highlighted check-in (lead and above); a reason is required."""
        if not self.allowed("undo"):
            self.notify("Undo is for a lead or above: please ask one.", severity="warning")
            return
        key = selected_key(self.query_one("#checkins", DataTable))
        entry = self.entries.get(key or "")
        if entry is None:
            self.notify("Highlight a check-in in the list first.", severity="warning")
            return
        self.app.push_screen(
            AskScreen(self.mode, "Undo check-in",
                      "Reason (e.g. wrong family, scanned twice):", confirm="Undo",
                      choices=UNDO_REASONS,
                      detail=f"{entry.family_name or 'Unknown family'}, "
                             f"{entry.at.strftime('%H:%M')}, {result_text(entry).plain}"),
            callback=lambda answer: self.undo(entry.id, answer),
        )

    def undo(self, checkin_id: int, answer: Answer | None) -> None:
        """Record the undo and refresh the list."""
        if answer is None:
            return
        mode, context = self.mode, self.mode.context
        if self.succeeded(undo_check_in, context.store, checkin_id, reason=answer.text,
                          staff_id=mode.staff_id, now=context.clock(),
                          kiosk_id=context.kiosk_id):
            self.notify("Check-in undone.", timeout=2)
        self.reload()


def manual_detail(match: FamilyMatch, view: FamilyView) -> Group:
    """The family picked (name, children, here yet) and what the door would show them."""
    heading = Text()
    heading.append_text(plain(match.display_name, 60))
    heading.stylize("bold")
    heading.append_text(plain(f" – {', '.join(f'{n} ({c})' for n, c in match.children)}", 120))
    if match.checked_in:
        heading.append(" · already checked in")
    return Group(heading, Text(""), view_renderable(view, spaced=False))
