"""`kiosk violations ...`: the headteacher's log on the command line (list, show, ack, note, close).

Every command needs `--staff NAME` and that member's PIN (asked hidden, checked with the
same back-off and lock-out as the kiosk): reading names needs a headteacher, and the history
names who changed what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kiosk.cli.base import acting_staff, emit, format_option, read_clock, store_option
from kiosk.reports.common import when
from kiosk.safetext import safe_text
from kiosk.staff import Role, StaffSession
from kiosk.store import Store
from kiosk.violations.reads import list_violations, violation_detail
from kiosk.violations.vocabulary import STATUSES
from kiosk.violations.workflow import acknowledge, add_note, close

LIST_COLUMNS = ("id", "when", "kind", "status", "on_stage", "family")
KIOSK_HELP = "Audit chain to record the change in (default: admin)."


def _kiosk_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --kiosk-id: the audit chain a change is recorded in."""
    return click.option("--kiosk-id", default="admin", show_default=True, help=KIOSK_HELP)(func)


@click.group()
def violations() -> None:
    """Violations of the recording policy: list, show, acknowledge, note, close."""


@violations.command("list")
@click.option("--event", "event_id", help="Only this event.")
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@format_option
@store_option
@acting_staff(Role.HEADTEACHER)
def violations_list(
    store: Store, member: StaffSession, event_id: str | None, status: str | None, fmt: str
) -> None:
    """List violations, newest first (children's names: see `show`)."""
    rows = list_violations(store, event_id=event_id, status=status)
    shown = [{"id": r["id"], "when": when(r["at"]), "event_id": r["event_id"],
              "kind": r["kind_label"], "status": r["status_label"],
              "on_stage": r["item_title"], "family": r["family_name"],
              "reported_by": r["reporter_name"]} for r in rows]
    emit(shown, LIST_COLUMNS, fmt, title="Violations", json_value=rows)


@violations.command("show")
@click.argument("violation_id", type=int)
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True, help="Output format.")
@store_option
@acting_staff(Role.HEADTEACHER)
def violations_show(store: Store, member: StaffSession, violation_id: int, fmt: str) -> None:
    """Everything about violation VIOLATION_ID, with the children involved and its history."""
    detail = violation_detail(store, violation_id)
    if fmt == "json":
        emit([], (), "json", json_value=detail)
        return
    console = Console(highlight=False)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    children = ", ".join(f"{c['name']} ({c['class_name']})" for c in detail["children"])
    for label, value in (
        ("Number", detail["id"]), ("Status", detail["status_label"]),
        ("When", when(detail["at"])), ("Event", detail["event_name"]),
        ("On stage", detail["item_title"]), ("Kind", detail["kind_label"]),
        ("Family", detail["family_name"]), ("Pass", detail["pass_ref"]),
        ("Description", detail["description"]), ("Children", children),
        ("Action taken", detail["action_label"]), ("Reported by", detail["reporter_name"]),
        ("Notes", detail["notes"]), ("Outcome", detail["outcome"]),
    ):
        if value:
            facts.add_row(label, Text(safe_text(value, 4000)))
    console.print(facts)
    history = Table(title="History")
    for column in ("when", "who", "what", "detail"):
        history.add_column(column)
    for h in detail["history"]:
        text = "" if h["action"] == "created" else h["detail"] or ""
        history.add_row(when(h["at"]), Text(safe_text(h["staff_name"] or "")),
                        h["action_label"], Text(safe_text(text, 4000)))
    console.print(history)


@violations.command("ack")
@click.argument("violation_id", type=int)
@_kiosk_option
@store_option
@acting_staff(Role.HEADTEACHER)
def violations_ack(store: Store, member: StaffSession, violation_id: int, kiosk_id: str) -> None:
    """Acknowledge violation VIOLATION_ID (headteacher or above)."""
    acknowledge(store, violation_id, staff_id=member.staff_id, now=read_clock(), kiosk_id=kiosk_id)
    click.echo(f"Violation {violation_id} acknowledged.")


@violations.command("note")
@click.argument("violation_id", type=int)
@click.argument("note")
@_kiosk_option
@store_option
@acting_staff(Role.STEWARD)
def violations_note(
    store: Store, member: StaffSession, violation_id: int, note: str, kiosk_id: str
) -> None:
    """Add NOTE to violation VIOLATION_ID (whoever logged it, or headteacher or above)."""
    add_note(store, violation_id, note, staff_id=member.staff_id, now=read_clock(),
             kiosk_id=kiosk_id)
    click.echo(f"Note added to violation {violation_id}.")


@violations.command("close")
@click.argument("violation_id", type=int)
@click.argument("outcome")
@_kiosk_option
@store_option
@acting_staff(Role.HEADTEACHER)
def violations_close(
    store: Store, member: StaffSession, violation_id: int, outcome: str, kiosk_id: str
) -> None:
    """Close violation VIOLATION_ID with OUTCOME (headteacher or above; final)."""
    close(store, violation_id, outcome, staff_id=member.staff_id, now=read_clock(),
          kiosk_id=kiosk_id)
    click.echo(f"Violation {violation_id} closed.")
