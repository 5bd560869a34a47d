"""`kiosk import roster` and `kiosk pupils list`: the school office's roster commands."""

from __future__ import annotations

import json
from datetime import datetime

import click
from rich.console import Console
from rich.text import Text

from kiosk.cli.base import emit, format_option, read_clock, store_option
from kiosk.roster import FIELDS, RosterError, RosterRejected, RosterReport, import_roster
from kiosk.roster.listing import PUPIL_COLUMNS, list_pupils
from kiosk.roster.report import HELD_WORDS
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
@click.option(
    "--value", "values", multiple=True, metavar='"TEXT=granted|refused|not_returned"',
    help="Say what a consent answer the importer does not know means (repeatable).",
)
@click.option("--sheet", metavar="NAME", help="The sheet of an .xlsx workbook (default: first).")
@click.option("--allow-merge", is_flag=True,
              help="Group pupils through the contacts the dry run lists as held back.")
@click.option("--confirm-leavers", is_flag=True,
              help="Allow an import that marks more than a tenth of the pupils as left.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table",
    show_default=True, help="Report format; JSON is stable and documented in the README.",
)
@store_option(create=True)
def import_roster_command(
    store: Store, file: str, mappings: tuple[str, ...], values: tuple[str, ...],
    sheet: str | None, allow_merge: bool, confirm_leavers: bool, dry_run: bool, fmt: str,
) -> None:
    """Import pupils, families, guardians and consents from an MIS export FILE (CSV or .xlsx).

    All or nothing: a file with any bad row changes nothing and the bad lines are listed.
    Pupils missing from the file are marked as left (kept, not deleted).
    """
    try:
        report = import_roster(
            store, file, now=read_clock(), mapping=mappings, values=values, sheet=sheet,
            allow_merge=allow_merge, confirm_leavers=confirm_leavers, dry_run=dry_run,
        )
    except RosterRejected as rejected:
        show_report(rejected.report, fmt)
        raise
    except KeyboardInterrupt:
        raise RosterError("Interrupted before the import was saved: nothing was changed.") from None
    try:
        show_report(report, fmt)
    except KeyboardInterrupt:
        if report.applied:
            click.echo("\nInterrupted while printing the report; the import was saved.", err=True)
        raise click.exceptions.Exit(130) from None


def show_report(report: RosterReport, fmt: str) -> None:
    """Print an import report as Rich tables or as the documented JSON."""
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False)
    for warning in report.warnings:
        console.print(Text(f"Warning: {safe_text(warning, 400)}"))
    if report.applied:
        console.print(Text("Saved: the import was written to the database in one step."))
    source = report.encoding if report.delimiter == "xlsx" else (
        f"{report.encoding}, {report.delimiter}-separated")
    console.print(Text(f"Read {report.rows} row{'s' if report.rows != 1 else ''}: {source}."))
    emit([{"column": c, "field": f} for c, f in report.columns.items()],
         ("column", "field"), "table", title="Columns used")
    if report.ignored_columns:
        emit([{"column": c.column, "why": c.why} for c in report.ignored_columns],
             ("column", "why"), "table", title="Columns ignored")
        for column in (c for c in report.ignored_columns if c.loud):
            console.print(Text(f"Note: column {safe_text(column.column, 80)!r} {column.why};"
                               " name it with --map if it holds something the kiosk needs."))
    if report.rejected:
        emit([{"line": p.line, "pupil_id": p.pupil_id, "reason": p.reason}
              for p in report.rejected], ("line", "pupil_id", "reason"), "table",
             title="Rejected rows (nothing was imported)")
        return
    for notice in report.notices:
        console.print(Text(f"Note: {safe_text(notice.message, 400)}{_lines(notice.lines)}."))
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
    families = [f for f in report.families if report.dry_run or f.status != "same"]
    if families:
        emit([{"family_id": f.family_id, "name": f.display_name, "status": f.status,
               "children": ", ".join(f.children)} for f in families],
             ("family_id", "name", "status", "children"), "table",
             title="Families (check the grouping)")
    if report.held:
        emit([{"contact": h.contact, "why": HELD_WORDS[h.reason.value],
               "pupils": ", ".join(h.pupil_ids)} for h in report.held],
             ("contact", "why", "pupils"), "table",
             title="Not grouped into one family (use --allow-merge to group them)")
    console.print(Text(_summary(report)))


def _lines(lines: tuple[int, ...]) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:20])
    more = f" and {len(lines) - 20} more" if len(lines) > 20 else ""
    return f" (line{'s' if len(lines) != 1 else ''} {shown}{more})"


def _summary(report: RosterReport) -> str:
    counts = report.counts()
    words = (
        f"{counts['added']} added, {counts['changed']} changed, {counts['left']} left, "
        f"{counts['unchanged']} unchanged; {counts['withdrawals']} consent withdrawals, "
        f"{counts['grants']} grants; {counts['families_added']} new families"
    )
    if report.rejected:
        return "Nothing was imported."
    if report.dry_run:
        return f"Dry run, nothing was changed. Importing would make: {words}."
    if not report.applied:
        return "Nothing was imported."
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
