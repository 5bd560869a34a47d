"""`kiosk import roster` and `kiosk pupils list`: the school office's roster commands."""

from __future__ import annotations

import json
from datetime import datetime

import click
from rich.console import Console
from rich.text import Text

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.roster import FIELDS, RosterRejected, RosterReport, import_roster
from kiosk.roster.listing import PUPIL_COLUMNS, list_pupils
from kiosk.safetext import safe_text
from kiosk.store import Store

_CHANGE_COLUMNS = ("pupil_id", "name", "class_name", "details")


@click.group("import")
def import_group() -> None:
    """Import data exported from the school's MIS."""


@import_group.command("roster")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--map", "mappings", multiple=True, metavar='"HEADER=FIELD"',
    help=f"Map a column to a field (repeatable). Fields: {', '.join(FIELDS)} (and "
         "guardian1_forename/_surname, guardian2_forename/_surname, joined into the name).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table",
    show_default=True, help="Report format; JSON is stable and documented in the README.",
)
@store_option(create=True)
def import_roster_command(
    store: Store, file: str, mappings: tuple[str, ...], dry_run: bool, fmt: str
) -> None:
    """Import pupils, families, guardians and consents from an MIS CSV export FILE.

    All or nothing: a file with any bad row changes nothing and the bad lines are listed.
    Pupils missing from the file are marked as left (kept, not deleted).
    """
    try:
        report = import_roster(store, file, now=read_clock(), mapping=mappings,
                               dry_run=dry_run)
    except RosterRejected as rejected:
        show_report(rejected.report, fmt)
        raise
    show_report(report, fmt)


def show_report(report: RosterReport, fmt: str) -> None:
    """Print an import report as Rich tables or as the documented JSON."""
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    console.print(Text(
        f"Read {report.rows} row{'s' if report.rows != 1 else ''}: "
        f"{report.encoding}, {report.delimiter}-separated."
    ))
    emit([{"column": c, "field": f} for c, f in report.columns.items()],
         ("column", "field"), "table", title="Columns used")
    if report.ignored_columns:
        emit([{"column": c, "why": why} for c, why in report.ignored_columns],
             ("column", "why"), "table", title="Columns ignored")
    if report.rejected:
        emit([{"line": p.line, "pupil_id": p.pupil_id, "reason": p.reason}
              for p in report.rejected], ("line", "pupil_id", "reason"), "table",
             title="Rejected rows (nothing was imported)")
        return
    for notice in report.notices:
        lines = ", ".join(str(n) for n in notice.lines[:20])
        more = f" and {len(notice.lines) - 20} more" if len(notice.lines) > 20 else ""
        plural = "s" if len(notice.lines) != 1 else ""
        message = safe_text(notice.message, 400)
        console.print(Text(f"Note: {message} (line{plural} {lines}{more})."))
    for title, changes in (("Added", report.added), ("Changed", report.changed),
                           ("Left (marked off roll, not deleted)", report.left)):
        if changes:
            emit([{**vars(c), "details": "; ".join(c.details)} for c in changes],
                 _CHANGE_COLUMNS, "table", title=title)
    for title, consents in (("Consent withdrawals", report.withdrawals),
                            ("Consent grants", report.grants)):
        if consents:
            emit([vars(c) for c in consents],
                 ("pupil_id", "name", "category", "before", "after"), "table", title=title)
    console.print(Text(_summary(report)))


def _summary(report: RosterReport) -> str:
    counts = report.counts()
    words = (
        f"{counts['added']} added, {counts['changed']} changed, {counts['left']} left, "
        f"{counts['unchanged']} unchanged; {counts['withdrawals']} consent withdrawals, "
        f"{counts['grants']} grants; {counts['families_added']} new families"
    )
    if report.dry_run:
        return f"Dry run, nothing was changed. Importing would make: {words}."
    if not report.has_changes:
        return f"Imported: nothing changed ({counts['unchanged']} pupils already up to date)."
    return f"Imported: {words}."


@click.group()
def pupils() -> None:
    """List the pupils on roll."""


@pupils.command("list")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]),
              help="Judge event-recording consent on this date (default: today).")
@click.option("--all", "include_left", is_flag=True, help="Include pupils who have left.")
@format_option
@store_option
def pupils_list(store: Store, on: datetime | None, include_left: bool, fmt: str) -> None:
    """List pupils with their class, family and whether they may be filmed at events."""
    day = on.date() if on else read_clock().date()
    rows = list_pupils(store, on=day, include_left=include_left)
    emit(rows, PUPIL_COLUMNS, fmt, title=f"Pupils (may_film judged on {day.isoformat()})")


__all__ = ["import_group", "pupils", "show_report"]
