"""`kiosk notify test|send|list`: the e-mail to the headteacher from the command line.

`send` delivers whatever is due in the outbox once (for cron, when no `kiosk serve` runs
the sender); it exits 1 when a message could not be delivered (it stays in the outbox).
"""

from __future__ import annotations

from datetime import datetime

import click

from kiosk.cli.base import emit, format_option, run_clock, store_option
from kiosk.notify.outbox import undelivered_line
from kiosk.notify.sender import send_due, send_test
from kiosk.notify.smtp import load_settings
from kiosk.reports.common import when
from kiosk.store import Store


@click.group("notify")
def notify() -> None:
    """E-mail to the headteacher: send a test, send what is due, list the outbox."""


@notify.command("test")
@store_option
def notify_test(store: Store) -> None:
    """Send a test message to smtp.headteacher (and smtp.deputy) now."""
    refused = send_test(store)
    delivered = [a for a in load_settings(store).recipients if a not in refused]
    click.echo(f"Test message sent to {', '.join(delivered)}.")
    if refused:
        raise click.ClickException(f"The server refused {', '.join(refused)}.")


@notify.command("send")
@store_option
def notify_send(store: Store) -> None:
    """Deliver every message due now (back-off applies to ones that failed before)."""
    report = send_due(store, run_clock())
    click.echo(f"Sent {report.sent}; waiting {report.waiting}.")
    if report.errors:
        raise click.ClickException(report.errors[-1])
    line = undelivered_line(store)
    if report.waiting and line:
        click.echo(line)


def _local(iso: str | None) -> str:
    return when(datetime.fromisoformat(iso).astimezone().isoformat()) if iso else ""


@notify.command("list")
@format_option
@store_option
def notify_list(store: Store, fmt: str) -> None:
    """The newest outbox messages: kind, status, tries and the last problem."""
    rows = [{"id": r["id"], "kind": r["kind"], "queued": _local(r["created_at"]),
             "status": r["status"], "tries": r["attempts"], "sent": _local(r["sent_at"]),
             "next_try": "" if r["status"] == "sent" else _local(r["next_attempt_at"]),
             "problem": r["last_error"] or ""} for r in store.outbox.rows()]
    emit(rows, ("id", "kind", "queued", "status", "tries", "sent", "next_try", "problem"),
         fmt, title="E-mail outbox")
