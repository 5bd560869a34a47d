"""The roll call in staff mode: who is in the hall now, for a fire officer; P prints it.

The list is read in a thread worker (kiosk.views.rollcall) and refreshed every few
seconds while open. P writes the one-page PDF beside the database (0600, in a 0700
`rollcall` folder) and says where, so the hub can print it at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Label

from kiosk.reports import rollcall_pdf
from kiosk.security.files import private_folder
from kiosk.ui.staff.base import StaffScreen, fill_table, plain
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.rollcall import RollCall, roll_call

REFRESH_SECONDS = 5.0
COLUMNS = ("Family", "Party", "Door", "In at", "People")


def print_roll_call(call: RollCall, folder: Path, *, school: str) -> Path:
    """Write the roll call's PDF into `folder` (0700; the PDF is 0600) and return its path."""
    target = private_folder(folder) / f"rollcall-{call.event_id}-{call.taken_at:%Y%m%d-%H%M}.pdf"
    rollcall_pdf.render_pdf(call, target, school=school)  # through write_private
    return target


class RollCallScreen(StaffScreen):
    """Everyone in the hall now, party by party, with the totals; P prints it."""

    NAME = "rollcall"
    WHERE = "Roll call"
    AUTO_FOCUS = "#rollcall"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("p", "print", "Print (PDF)")]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.call: RollCall | None = None

    def compose(self) -> ComposeResult:
        """Staff bar, totals, the list, keys."""
        yield self.staff_bar()
        yield Label("Reading who is in the hall…", id="rollcall-totals")
        table: DataTable[Any] = DataTable(id="rollcall", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Read now and every few seconds (doors keep admitting and checking out)."""
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload, name="rollcall-refresh")

    def reload(self) -> None:
        """Read the roll call again in a worker."""
        context = self.mode.context
        self.load("rollcall", self.draw, roll_call, context.store, context.event_id,
                  now=context.clock(), staff_id=self.mode.staff_id)

    def draw(self, call: RollCall) -> None:
        """Show the totals and one row per party in the hall."""
        self.call = call
        people = f", {call.people} people" if call.people is not None else ""
        self.query_one("#rollcall-totals", Label).update(
            f"In the hall at {call.taken_at:%H:%M}: {call.families} families,"
            f" {len(call.lines)} parties{people}. P prints it.")
        fill_table(self.query_one("#rollcall", DataTable), [
            (str(index), (plain(line.family, 30), plain(line.party, 34), plain(line.door, 20),
                          f"{line.at:%H:%M}", "" if line.people is None else str(line.people)))
            for index, line in enumerate(call.lines)
        ])

    def action_print(self) -> None:
        """Write the PDF beside the database and say where it is."""
        context = self.mode.context
        if self.call is None or context.store.path is None:
            self.notify("The roll call is still being read.", severity="warning")
            return
        school = context.store.settings.get("school_name") or "School"
        path = print_roll_call(self.call, context.store.path.parent / "rollcall", school=school)
        self.notify(f"Roll call saved for printing: {path}", title="Printed", markup=False)
