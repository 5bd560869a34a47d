"""The event dashboard: check-in counts, running order with statuses, now on stage, names.

Everything is read in thread workers (every couple of seconds, and on request) and drawn
when the worker posts it back; the UI thread never waits on the database.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from kiosk.staff import Role
from kiosk.ui.staff.base import StaffScreen, fill_table, plain
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.notices import staff_notices
from kiosk.views.staffdesk import (
    Dashboard,
    ItemRow,
    NamedChild,
    event_dashboard,
    not_filmable_names,
)

REFRESH_SECONDS = 2.0
COLUMNS = ("", "#", "Item", "Starts", "Filming", "Pupils", "Not filmable")


def status_text(row: ItemRow) -> Text:
    """An item's filming status in words and a symbol, coloured as a second signal."""
    if row.allowed:
        return Text("✓ Allowed", style="bold green")
    return Text("✗ No filming" + (" (staff)" if row.staff_marked else ""), style="bold red")


def counts_text(dashboard: Dashboard) -> str:
    """'Checked in: 3 of 5 families · people ... · re-entries · refused'."""
    c = dashboard.counts
    parts = [f"Checked in: {c.families_checked_in} of {c.families_expected} families"]
    if c.people_expected is not None:
        parts.append(f"{c.people_checked_in or 0} of {c.people_expected} people")
    else:
        parts.append("people not counted (no seat allocation)")
    parts.append(f"{c.re_entries} re-entr{'y' if c.re_entries == 1 else 'ies'}")
    parts.append(f"{c.refusals} refused")
    return " · ".join(parts)


class DashboardScreen(StaffScreen):
    """The event at a glance; leads move "now on stage" and may reveal names on request."""

    NAME = "dashboard"
    WHERE = "Dashboard"
    AUTO_FOCUS = "#running-order"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "stage_next", "Next item"),
        Binding("b", "stage_back", "Back"),
        Binding("r", "reveal_names", "Names"),
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.dashboard: Dashboard | None = None

    def compose(self) -> ComposeResult:
        """Staff bar, counts, now on stage, running order, names panel, keys."""
        yield self.staff_bar()
        yield Static("", id="counts")
        yield Static("", id="on-stage")
        yield Static("", id="notices")
        table: DataTable[Any] = DataTable(id="running-order", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        with VerticalScroll(id="names-panel"):
            yield Static("", id="names")
        yield Footer()

    def on_mount(self) -> None:
        """Load now and every couple of seconds (other doors keep checking families in)."""
        self.query_one("#notices", Static).display = False
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload, name="dashboard-refresh")

    def reload(self) -> None:
        """Read the dashboard again (in a worker); `draw` redraws what changed."""
        mode = self.mode
        if mode.session is None:
            return
        self.load("dashboard", self.draw, event_dashboard, mode.context.store,
                  mode.context.event_id, staff_id=mode.staff_id)
        self.load("notices", self.draw_notices, staff_notices, mode.context.store,
                  mode.context.event_id, staff_id=mode.staff_id, now=mode.context.clock())

    def draw_notices(self, lines: list[str]) -> None:
        """Flagged families, undelivered e-mail, each door: shown only when there are any."""
        notices = self.query_one("#notices", Static)
        notices.update(Text("\n".join(f"! {plain(line, 200)}" for line in lines)))
        notices.display = bool(lines)

    def draw(self, dashboard: Dashboard) -> None:
        """Show a dashboard just read: counts, now on stage, and the table if it changed."""
        changed = self.dashboard is None or dashboard.items != self.dashboard.items
        first = self.dashboard is None
        self.dashboard = dashboard
        self.query_one("#counts", Static).update(counts_text(dashboard))
        self.query_one("#on-stage", Static).update(self.on_stage_text(dashboard))
        if changed:
            table = self.query_one("#running-order", DataTable)
            fill_table(table, [
                (str(row.id), ("▶" if row.on_stage else "", str(row.position),
                               plain(row.title, 28), row.starts_at or "", status_text(row),
                               str(row.performers), str(row.not_filmable)))
                for row in dashboard.items
            ])
            if first and dashboard.now_on_stage is not None:
                table.move_cursor(row=dashboard.now_on_stage.position - 1, animate=False)
            self.show_names(refetch=True)
        elif first:
            self.show_names(refetch=True)

    def on_stage_text(self, dashboard: Dashboard) -> Text:
        """'Now on stage: 2. Away in a Manger – ✓ Allowed', or nothing on stage."""
        row = dashboard.now_on_stage
        line = Text("Now on stage: ", style="bold")
        if row is None:
            line.append("nothing yet (the board says no filming)")
        else:
            line.append(f"{row.position}. ")
            line.append_text(plain(row.title, 60))
            line.append(" – ")
            line.append_text(status_text(row))
        if self.allowed("stage_next"):
            line.append("   n next · b back", style="dim")
        return line

    def show_names(self, *, refetch: bool) -> None:
        """Fill the names panel: names when revealed (lead+), else say they are hidden."""
        mode = self.mode
        names = self.query_one("#names", Static)
        if not (mode.session and mode.session.can(Role.LEAD)):
            names.update("Names of children who may not be filmed are shown to a lead or "
                         "above only.")
            return
        if not mode.names_revealed:
            names.update("Names of children who may not be filmed are hidden. "
                         "Press r to show them (hidden again on lock).")
            return
        if not refetch:
            return
        context = mode.context
        self.load("names", self.draw_names, not_filmable_names, context.store,
                  context.event_id, staff_id=mode.staff_id, now=context.clock(),
                  kiosk_id=context.kiosk_id)

    def draw_names(self, found: dict[int, list[NamedChild]]) -> None:
        """Show the names just read, item by item (unless hidden again meanwhile)."""
        if self.dashboard is None or not self.mode.names_revealed:
            return
        names = self.query_one("#names", Static)
        text = Text("Children who may not be filmed (r hides; hidden again on lock):\n",
                    style="bold")
        for row in self.dashboard.items:
            children = found.get(row.id, [])
            if children:
                text.append(f"{row.position}. ")
                text.append_text(plain(row.title, 40))
                text.append(": ")
                text.append_text(plain(", ".join(f"{c.name} ({c.class_name})"
                                                 for c in children), 2000))
                text.append("\n")
        names.update(text)

    def action_reveal_names(self) -> None:
        """Show or hide the names of children who may not be filmed (lead and above)."""
        self.mode.names_revealed = not self.mode.names_revealed
        self.show_names(refetch=True)

    def action_stage_next(self) -> None:
        """Move "now on stage" to the next item (lead and above)."""
        self.mode.move_stage(+1)

    def action_stage_back(self) -> None:
        """Move "now on stage" back one item (lead and above)."""
        self.mode.move_stage(-1)
