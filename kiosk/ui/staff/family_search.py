"""Night-task screens start by finding a family: by surname or a child's first name.

The search runs in a thread worker through `kiosk.views.desktasks.task_families` (lead and
above: a steward is told so by the service). Highlighting a family, by key or by a tap,
hands it to the screen's `family_chosen`.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Label, Static

from kiosk.checkin.lists import FamilyMatch
from kiosk.ui.staff.base import StaffScreen, fill_table, plain, selected_key
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.desktasks import task_families


class FamilyTaskScreen(StaffScreen):
    """A staff screen that first finds a family; subclasses show the task for it."""

    AUTO_FOCUS = "#task-search"

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.family: FamilyMatch | None = None
        self.matches: dict[str, FamilyMatch] = {}

    def compose_finder(self) -> ComposeResult:
        """The search field, a 'none found' line and the families found."""
        yield Label("Find the family: surname or a child's first name", classes="task-label")
        yield Input(placeholder="Surname or first name", id="task-search", max_length=40)
        yield Static("", id="task-none")
        families: DataTable[Any] = DataTable(id="task-families", cursor_type="row")
        families.add_columns("Family", "Children")
        yield families

    def on_mount(self) -> None:
        """Nothing found yet: hide the 'none found' line."""
        self.query_one("#task-none", Static).display = False

    @on(Input.Changed, "#task-search")
    def search_changed(self, event: Input.Changed) -> None:
        """Search as they type."""
        self.search(event.value)

    @on(Input.Submitted, "#task-search")
    def search_done(self) -> None:
        """Enter moves to the families found."""
        self.query_one("#task-families", DataTable).focus()

    def search(self, text: str) -> None:
        """Look the families up in a worker (nothing for an empty field)."""
        if not text.strip():
            self._loads["families"] = self._loads.get("families", 0) + 1  # drop older
            self.draw_families([])
            return
        context = self.mode.context
        self.load("families", self.draw_families, task_families, context.store, text,
                  context.event_id, staff_id=self.mode.staff_id)

    def draw_families(self, matches: list[FamilyMatch]) -> None:
        """Show the families found (or say none was) and take the highlighted one."""
        typed = self.query_one("#task-search", Input).value.strip()
        none = self.query_one("#task-none", Static)
        none.update(plain(f"No family found for “{typed}”.", 80))
        none.display = bool(typed and not matches)
        self.matches = {m.family_id: m for m in matches}
        table = self.query_one("#task-families", DataTable)
        fill_table(table, [
            (m.family_id, (plain(m.display_name, 40),
                           plain(", ".join(f"{n} ({c})" for n, c in m.children), 60)))
            for m in matches
        ])
        self.take(selected_key(table))

    @on(DataTable.RowHighlighted, "#task-families")
    def family_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """A family highlighted by key or tap is the one to work on."""
        self.take(event.row_key.value)

    def take(self, family_id: str | None) -> None:
        """Work on this family (a new one only: redrawing the list keeps the same one)."""
        family = self.matches.get(family_id or "")
        if family is None or (self.family and self.family.family_id == family.family_id):
            return
        self.family = family
        self.family_chosen()

    def family_chosen(self) -> None:
        """Show the task for `self.family` (subclasses read what they need)."""

    def slow_typing(self, text: str) -> bool:
        """A name typed outside the field (at a person's pace) is a search."""
        box = self.query_one("#task-search", Input)
        box.value = (box.value + text)[: box.max_length or None]
        box.cursor_position = len(box.value)
        box.focus()
        return True
