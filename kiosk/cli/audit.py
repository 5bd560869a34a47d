"""`kiosk audit ...`: check the tamper-evident audit log, and read its newest entries."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.audit.log import compare_heads, parse_heads
from kiosk.audit.verify import AuditReport, verify
from kiosk.cli.base import emit, format_option, store_option
from kiosk.errors import KioskError
from kiosk.safetext import safe_text
from kiosk.store import Store
from kiosk.store.snapshots import chain_heads_in_file, looks_like_sqlite

LOG_COLUMNS = ("id", "kiosk_id", "seq", "at", "actor", "action", "subject", "detail")


@click.group("audit")
def audit_group() -> None:
    """The hash-chained audit log of every decision and staff action."""


@audit_group.command("verify")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True, help="Output format.")
@click.option("--against", "against", multiple=True, type=click.Path(dir_okay=False,
              exists=True), help="A backup, report or export whose noted chain heads must"
              " still be in the log (repeatable).")
@store_option
@click.pass_context
def audit_verify(ctx: click.Context, store: Store, fmt: str, against: tuple[str, ...]) -> None:
    """Check the chains and the records they describe; name what is wrong, exit 1.

    Every backup, report and export notes the chain heads of its moment; `--against` it
    shows a chain whose end was cut off or rewritten since.
    """
    report = verify(store)
    for path in against:
        report.problems += compare_heads(store, noted_heads(Path(path)), path)
    if fmt == "json":
        emit([], (), "json", json_value={
            "ok": report.ok, "entries": report.entries, "heads": report.heads,
            "first_release": report.first_release,
            "broken_before_upgrade": report.broken_before_upgrade,
            "personal_kept": report.personal_kept, "personal_purged": report.personal_purged,
            "problems": [
                {"kiosk_id": p.kiosk_id, "seq": p.seq, "entry_id": p.entry_id,
                 "reason": p.reason} for p in report.problems
            ],
            "records_ok": report.records_ok, "records_checked": report.records_checked,
            "record_problems": report.record_problems,
        })
    else:
        _print_chains(report)
        _print_records(report)
    if not report.ok:
        ctx.exit(1)


def noted_heads(path: Path) -> dict[str, tuple[int, str]]:
    """The chain heads a backup (its own chains) or a report or export (its text) noted."""
    if looks_like_sqlite(path):
        return chain_heads_in_file(path)
    found = parse_heads(path.read_bytes().decode("utf-8", "replace"))
    if not found:
        raise KioskError(f"{path} notes no audit chain heads.")
    return found


def _print_chains(report: AuditReport) -> None:
    """Part 1: the hash chains (and their heads, to note down) or the first bad entry."""
    for kiosk_id, words in report.first_release.items():
        click.echo(f"Note: kiosk {safe_text(kiosk_id)!r}: {safe_text(words, 1000)}.")
    if report.chain_ok:
        broken = ", ".join(repr(safe_text(k)) for k in report.broken_before_upgrade)
        if broken:
            click.echo(f"BROKEN BEFORE THE UPGRADE: the first-release part of kiosk {broken}"
                       " was already broken when this release took over (see the note); it"
                       " has not changed since, and everything after it is intact.")
        click.echo(
            f"OK: the audit log is intact{' since the upgrade' if broken else ''}."
            f" {len(report.entries)} kiosk chain(s), "
            f"{report.total} entries; personal details {report.personal_kept} kept, "
            f"{report.personal_purged} purged."
        )
        emit([{"kiosk": k, "entries": n, "head": report.heads[k]}
              for k, n in report.entries.items()], ("kiosk", "entries", "head"), "table",
             title="Chain heads")
        return
    click.echo(f"TAMPERED: {report.first_problem}.")
    for problem in report.problems[1:]:
        click.echo(f"Also: {problem}.")


def _print_records(report: AuditReport) -> None:
    """Part 2: check-ins and violations compared with the log, or the records that differ."""
    counts = ", ".join(f"{n} {name.replace('_', ' ')}"
                       for name, n in report.records_checked.items())
    if report.records_ok:
        click.echo(f"OK: the records match the audit log ({counts}).")
        return
    click.echo(f"RECORDS CHANGED: {safe_text(report.record_problems[0])}.")
    for problem in report.record_problems[1:]:
        click.echo(f"Also: {safe_text(problem)}.")


@audit_group.command("log")
@click.option("--kiosk", "kiosk_id", help="Only this kiosk's chain.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True,
              help="How many entries, newest first.")
@format_option
@store_option
def audit_log(store: Store, kiosk_id: str | None, limit: int, fmt: str) -> None:
    """The newest audit entries (never their personal details)."""
    emit(store.audit.entries(kiosk_id=kiosk_id, limit=limit), LOG_COLUMNS, fmt,
         title="Audit log")
