"""The headteacher's inbox: open violations newest first; detail, acknowledge, note, close.

Lists and details are read in thread workers and drawn when they are posted back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Label, Static

from kiosk.ui.staff.ask import Answer, AskScreen
from kiosk.ui.staff.base import StaffScreen, fill_table, plain, selected_key
from kiosk.ui.staff.desk import StaffDesk
from kiosk.views.staffdesk import inbox, inbox_detail
from kiosk.violations.reads import contact_lines
from kiosk.violations.workflow import acknowledge, add_note, close

STATUS_STYLE = {"open": "bold red", "acknowledged": "yellow", "closed": "dim"}
SHORT_KINDS = {
    "filmed_child_without_permission": "Child, no permission",
    "filmed_staff": "Filmed staff",
    "filmed_other_children": "Other children",
    "posted_online": "Posted online",
    "other": "Other",
}


def when(stamp: str | None) -> str:
    """'10 Dec 18:05' from an ISO timestamp (as recorded, in the kiosk's local time)."""
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp).strftime("%d %b %H:%M")


def who_text(row: dict[str, Any]) -> str:
    """The family (if a pass linked it) and/or the description typed by staff."""
    parts = []
    if row.get("family_name"):
        parts.append(f"{row['family_name']} (pass {row.get('pass_ref') or '?'})")
    if row.get("description"):
        parts.append(row["description"])
    return " – ".join(parts) or "not recorded"


class InboxScreen(StaffScreen):
    """Violations for the headteacher, newest first; Enter opens one."""

    NAME = "inbox"
    WHERE = "Headteacher inbox"
    AUTO_FOCUS = "#inbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_closed", "Show closed"),
    ]

    def __init__(self, mode: StaffDesk) -> None:
        super().__init__(mode)
        self.include_closed = False

    def compose(self) -> ComposeResult:
        """Staff bar, the list, keys."""
        yield self.staff_bar()
        yield Label("", id="inbox-title")
        table: DataTable[Any] = DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        table.add_columns("No.", "Logged", "On stage", "What happened", "Who", "Status")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Load the list."""
        self.reload()

    def on_screen_resume(self) -> None:
        """Reload when coming back from a violation's detail."""
        self.reload()

    def reload(self) -> None:
        """Read the inbox again (in a worker)."""
        mode = self.mode
        if mode.session is None:
            return
        self.load("inbox", self.draw, inbox, mode.context.store, staff_id=mode.staff_id,
                  include_closed=self.include_closed)

    def draw(self, rows: list[dict[str, Any]]) -> None:
        """Show the violations just read."""
        noun = "violation" if len(rows) == 1 else "violations"
        shown = noun if self.include_closed else f"open {noun}"
        self.query_one("#inbox-title", Label).update(
            f"{len(rows)} {shown}, newest first. Enter opens one; s shows "
            + ("open ones only." if self.include_closed else "closed ones too."))
        fill_table(self.query_one("#inbox", DataTable), [
            (str(r["id"]), (str(r["id"]), when(r["at"]), plain(r.get("item_title") or "–", 18),
                            SHORT_KINDS.get(r["kind"], r["kind_label"]),
                            plain(who_text(r), 22),
                            Text(r["status_label"], style=STATUS_STYLE.get(r["status"], ""))))
            for r in rows
        ])

    def action_toggle_closed(self) -> None:
        """Show closed violations too, or open ones only."""
        self.include_closed = not self.include_closed
        self.reload()

    @on(DataTable.RowSelected, "#inbox")
    def open_detail(self) -> None:
        """Open the highlighted violation."""
        key = selected_key(self.query_one("#inbox", DataTable))
        if key is not None:
            self.app.push_screen(ViolationDetail(self.mode, int(key)))


class ViolationDetail(StaffScreen):
    """One violation with its history; a acknowledges, n adds a note, x closes."""

    NAME = "violation-detail"
    WHERE = "Violation"
    AUTO_FOCUS = "#detail-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("a", "acknowledge", "Acknowledge"),
        Binding("n", "note", "Add note"),
        Binding("x", "close_violation", "Close"),
    ]

    def __init__(self, mode: StaffDesk, violation_id: int) -> None:
        super().__init__(mode)
        self.violation_id = violation_id
        self.detail: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        """Staff bar, the detail (scrolls), keys."""
        yield self.staff_bar()
        with VerticalScroll(id="detail-scroll", can_focus=True):
            yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        """Load the violation."""
        self.reload()

    def reload(self) -> None:
        """Read the violation again (in a worker)."""
        mode = self.mode
        if mode.session is None:
            return
        self.load("detail", self.draw, inbox_detail, mode.context.store, self.violation_id,
                  staff_id=mode.staff_id)

    def draw(self, detail: dict[str, Any]) -> None:
        """Show the violation just read, and the steps its status allows."""
        self.detail = detail
        self.query_one("#detail", Static).update(detail_text(detail))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the steps the violation's status allows (and the role allows)."""
        allowed = super().check_action(action, parameters)
        status = self.detail["status"] if self.detail else None
        if action == "acknowledge":
            return allowed and (True if status == "open" else None)
        if action == "close_violation":
            return allowed and (True if status != "closed" else None)
        return allowed

    def action_back(self) -> None:
        """Back to the inbox."""
        self.app.pop_screen()

    def action_acknowledge(self) -> None:
        """Mark it seen by the headteacher."""
        mode, context = self.mode, self.mode.context
        if self.succeeded(acknowledge, context.store, self.violation_id, staff_id=mode.staff_id,
                          now=context.clock(), kiosk_id=context.kiosk_id):
            self.notify(f"Violation {self.violation_id} acknowledged.", timeout=2)
        self.reload()

    def action_note(self) -> None:
        """Add a note to the history."""
        self.app.push_screen(
            AskScreen(self.mode, f"Add a note to violation {self.violation_id}", "Note:",
                      confirm="Add note"),
            callback=self.noted,
        )

    def noted(self, answer: Answer | None) -> None:
        """Save the note."""
        if answer is None:
            return
        mode, context = self.mode, self.mode.context
        if self.succeeded(add_note, context.store, self.violation_id, answer.text,
                          staff_id=mode.staff_id, now=context.clock(), kiosk_id=context.kiosk_id):
            self.notify("Note added.", timeout=2)
        self.reload()

    def action_close_violation(self) -> None:
        """Close it with an outcome."""
        self.app.push_screen(
            AskScreen(self.mode, f"Close violation {self.violation_id}",
                      "Outcome (e.g. spoke to parent, footage deleted):", confirm="Close"),
            callback=self.closed,
        )

    def closed(self, answer: Answer | None) -> None:
        """Save the outcome and close."""
        if answer is None:
            return
        mode, context = self.mode, self.mode.context
        if self.succeeded(close, context.store, self.violation_id, answer.text,
                          staff_id=mode.staff_id, now=context.clock(), kiosk_id=context.kiosk_id):
            self.notify(f"Violation {self.violation_id} closed.", timeout=2)
        self.reload()


def _contact(contact: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The 'Contact' line (the linked family) and one indented line per guardian."""
    first, *guardians = contact_lines(contact)
    return [("Contact", first), *(("", line) for line in guardians)]


def _notes(d: dict[str, Any]) -> list[tuple[str, str]]:
    """The 'Notes' line: the notes logged with it, then each note added since (who, when)."""
    notes = [d["notes"]] if d.get("notes") else []
    notes += [f"{h['detail']} ({h.get('staff_name') or '?'}, {when(h['at'])})"
              for h in d["history"] if h["action"] == "note" and h.get("detail")]
    first, *added = notes or ["none"]
    return [("Notes", first), *(("", note) for note in added)]


def detail_text(d: dict[str, Any]) -> Text:
    """Everything about one violation, as literal text (free text is never markup)."""
    text = Text()
    text.append(f"Violation {d['id']} · ", style="bold")
    text.append(d["status_label"], style=STATUS_STYLE.get(d["status"], ""))
    text.append("\n")
    lines = [
        ("Logged", f"{when(d['at'])} by {d.get('reporter_name') or '?'}"),
        ("Event", d.get("event_name") or d["event_id"]),
        ("On stage", d.get("item_title") or "nothing"),
        ("What happened", d["kind_label"]),
        ("Who", who_text(d)),
        *_contact(d.get("contact")),
        ("Children involved", ", ".join(f"{c['name']} ({c['class_name']})"
                                        for c in d["children"]) or "none linked"),
        ("Action taken", d["action_label"] or "not recorded"),
        *_notes(d),
    ]
    if d["status"] == "closed":
        lines.append(("Outcome", f"{d.get('outcome') or ''} ({when(d.get('closed_at'))})"))
    for label, value in lines:
        text.append(f"{label}: " if label else "  ", style="bold")
        text.append_text(plain(value, 2000))
        text.append("\n")
    text.append("\nHistory (oldest first, never changed):\n", style="bold")
    for h in d["history"]:
        text.append(f"  {when(h['at'])}  {h['action_label']}", style="bold")
        text.append_text(plain(f" – {h.get('staff_name') or '?'}", 60))
        if h.get("detail"):
            text.append_text(plain(f": {h['detail']}", 2000))
        text.append("\n")
    return text
