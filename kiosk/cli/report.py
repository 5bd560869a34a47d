"""`kiosk report ...`: the violations report and the event summary as PDF, CSV or Markdown.

`--out FILE.pdf|.csv|.md` writes one file in the format its name says; `--format pdf
--format csv --out DIR` writes each format into the folder DIR.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from kiosk.cli.base import (
    acting_staff,
    emit,
    format_option,
    read_clock,
    safe_json,
    store_option,
    write_csv,
)
from kiosk.posting.report import posting_checks
from kiosk.reports import event_summary, violations_report
from kiosk.reports.common import FORMATS, ReportError, output_format, when
from kiosk.security.files import write_private
from kiosk.staff import Role, StaffSession
from kiosk.store import Store

Writer = Callable[[str, Path], None]


def _targets(out: str, formats: tuple[str, ...], stem: str) -> list[tuple[str, Path]]:
    """(format, path) pairs: one file named by --out, or one file per --format in a folder."""
    if not formats:
        path = Path(out)
        if not path.parent.is_dir():
            raise ReportError(f"There is no folder {path.parent}: create it first, or"
                              " choose another --out.")
        return [(output_format(path, None), path)]
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ReportError("With --format, --out must be a folder.")
    if not folder.is_dir():
        raise ReportError(f"There is no folder {folder}: create it first, or choose another"
                          " --out.")
    return [(fmt, folder / f"{stem}.{fmt}") for fmt in dict.fromkeys(formats)]


def _write_all(targets: list[tuple[str, Path]], writer: Writer) -> None:
    """Write every target and say where each went."""
    for fmt, path in targets:
        writer(fmt, path)
        click.echo(f"Wrote {path}")


def _write_csv_file(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...],
                    heads: str) -> None:
    """CSV with a BOM (Excel reads the names right), formula-looking cells neutralised and
    the audit chain heads in rows after a blank one (`audit verify --against` it)."""
    handle = io.StringIO(newline="")
    write_csv(handle, rows, columns, heads=heads)
    write_private(path, "\ufeff" + handle.getvalue())


def _out_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --out (required) and --format (repeatable) to a report command."""
    func = click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
                        help="Write this format into the --out folder (repeatable).")(func)
    return click.option("--out", required=True,
                        help="Output file (.pdf, .csv or .md), or a folder with --format.")(func)


@click.group()
def report() -> None:
    """Reports for the headteacher's file: violations (confidential) and event summaries."""


@report.command("violations")
@click.option("--event", "event_id", help="Only this event.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]),
              help="Logged on or after this date, YYYY-MM-DD.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]),
              help="Logged on or before this date, YYYY-MM-DD.")
@_out_options
@store_option
@acting_staff(Role.HEADTEACHER)
def report_violations(store: Store, member: StaffSession, event_id: str | None,
                      date_from: datetime | None, date_to: datetime | None, out: str,
                      formats: tuple[str, ...]) -> None:
    """The confidential violations report, with every detail and history entry."""
    if event_id and (date_from or date_to):
        raise click.UsageError("Give either --event or a date range, not both.")
    start: date | None = date_from.date() if date_from else None
    end: date | None = date_to.date() if date_to else None
    if start and end and start > end:
        raise click.UsageError("--from must not be after --to.")
    data = violations_report.gather(store, event_id=event_id, date_from=start, date_to=end)
    school = store.settings.get("school_name") or "School"
    generated = read_clock()
    scope = event_id or "-to-".join(d.isoformat() for d in (start, end) if d) or "all"

    def write(fmt: str, path: Path) -> None:
        if fmt == "pdf":
            violations_report.render_pdf(data, path, school=school, generated_at=generated)
        elif fmt == "csv":
            _write_csv_file(path, violations_report.csv_rows(data),
                            violations_report.CSV_COLUMNS, data.audit_heads)
        else:
            write_private(path, violations_report.render_markdown(
                data, school=school, generated_at=generated))

    _write_all(_targets(out, formats, f"violations-{scope}"), write)


@report.command("event")
@click.argument("event_id")
@_out_options
@store_option
def report_event(store: Store, event_id: str, out: str, formats: tuple[str, ...]) -> None:
    """The summary of EVENT_ID: admissions, refusals, check-ins over time, items, violations."""
    data = event_summary.gather(store, event_id)
    school = store.settings.get("school_name") or "School"
    generated = read_clock()

    def write(fmt: str, path: Path) -> None:
        if fmt == "pdf":
            event_summary.render_pdf(data, path, school=school, generated_at=generated)
        elif fmt == "csv":
            _write_csv_file(path, event_summary.csv_rows(data), event_summary.CSV_COLUMNS,
                            data.audit_heads)
        else:
            write_private(path, event_summary.render_markdown(
                data, school=school, generated_at=generated))

    _write_all(_targets(out, formats, f"event-{event_id}"), write)


@report.command("postings")
@click.option("--since", help="Only checks on or after this date, YYYY-MM-DD.")
@format_option
@store_option
def postings_report(store: Store, since: str | None, fmt: str) -> None:
    """Every posting check: who, when, channel, pupils, the answer (never the photo)."""
    rows = posting_checks(store, since=since)
    shown = [{**r, "when": when(r["at"])} for r in rows]
    columns = ("when", "staff", "channel", "pupils", "not_allowed", "answer", "reasons")
    if fmt == "json":
        click.echo(safe_json(rows))
        return
    emit([{**r, "reasons": ", ".join(r["reasons"])} for r in shown], columns, fmt,
         title="Posting checks")
