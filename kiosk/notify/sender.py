"""The sender: deliver due outbox messages, retry with back-off, never send one twice.

A message is claimed (status 'sending') in its own transaction before it is handed to
the server, so two senders (the hub's loop and a cron `kiosk notify send`) never both
send it, and it is marked 'sent' the moment the server accepts it. A claim older than
CLAIM_STALE (a sender that died mid-send) is tried again with the same Message-ID.
`send_due` is one step (tests drive it with their own clock); `run_sender` loops it.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from email.utils import make_msgid

from kiosk.audit import log as audit
from kiosk.clock import Clock
from kiosk.config import default_kiosk_id
from kiosk.errors import KioskError
from kiosk.notify import messages
from kiosk.notify.outbox import queue, utc
from kiosk.notify.smtp import DeliveryError, build_email, configured, deliver, load_settings
from kiosk.store import Store
from kiosk.violations.reads import list_violations

FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(minutes=5)
CLAIM_STALE = timedelta(minutes=10)
DEFAULT_DIGEST_AT = time(7, 30)
LOOP_SECONDS = 15.0


@dataclass
class StepReport:
    """What one pass of the sender did."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int, *, permanent: bool = False) -> timedelta:
    """30 s, 1 min, 2 min, 4 min, then every 5 min; a settings problem waits the longest.

    Changing any smtp.* setting makes every waiting message due at once.
    """
    if permanent:
        return MAX_RETRY
    return min(MAX_RETRY, FIRST_RETRY * (2 ** max(0, attempts - 1)))


def digest_time(store: Store) -> time:
    """The local time of day after which the daily digest is queued (smtp.digest_at)."""
    value = store.settings.get("smtp.digest_at")
    try:
        return time.fromisoformat(value) if value else DEFAULT_DIGEST_AT
    except ValueError:
        return DEFAULT_DIGEST_AT


def queue_digest(store: Store, now: datetime) -> int | None:
    """Queue today's digest once, after the digest time, of violations logged before it and
    not yet closed (one logged this evening was e-mailed at once: it is in tomorrow's)."""
    due = datetime.combine(now.date(), digest_time(store), tzinfo=now.tzinfo)
    day = now.date().isoformat()
    if now < due or store.outbox.has_key(f"digest:{day}"):
        return None
    rows = [r for r in list_violations(store, until=due) if r["status"] != "closed"]
    if not rows:
        return None
    return queue(store, kind="digest", key=f"digest:{day}",
                 message=messages.digest(store, rows, day), now=now)


def send_due(
    store: Store, clock: Clock, *, kiosk_id: str | None = None, limit: int = 20,
    tls_context: ssl.SSLContext | None = None,
) -> StepReport:
    """Deliver every message due now, one at a time; a failure schedules its next try."""
    report = StepReport()
    now = clock()
    queue_digest(store, now)
    if not configured(store):
        report.waiting = len(store.outbox.undelivered())
        return report
    try:
        settings = load_settings(store)
    except KioskError as error:
        report.errors.append(str(error))
        report.waiting = len(store.outbox.undelivered())
        return report
    stale = utc(now - CLAIM_STALE)
    for row in store.outbox.due(utc(now), stale, limit):
        if not store.outbox.claim(row["id"], utc(clock()), stale):
            continue
        email = build_email(settings, row["subject"], row["body"], row["message_id"])
        try:
            refused = deliver(settings, email, tls_context)
        except DeliveryError as error:
            attempts = row["attempts"] + 1
            later = clock() + retry_delay(attempts, permanent=error.permanent)
            store.outbox.mark_retry(row["id"], str(error), utc(later))
            report.failed += 1
            report.errors.append(str(error))
            continue
        note = f"Refused by the server: {', '.join(refused)}" if refused else None
        with store.immediate():
            store.outbox.mark_sent(row["id"], utc(clock()), note)
            audit.append(store, kiosk_id=kiosk_id or default_kiosk_id(), at=clock(),
                         actor="kiosk:sender", action="notify.sent",
                         subject=f"outbox:{row['id']}",
                         detail={"kind": row["kind"], "attempts": row["attempts"] + 1,
                                 "recipients": len(settings.recipients) - len(refused)})
        report.sent += 1
    report.waiting = len(store.outbox.undelivered())
    return report


def run_sender(
    store: Store, clock: Clock, stop_event: threading.Event, *,
    interval: float = LOOP_SECONDS, kiosk_id: str | None = None,
) -> None:
    """Run `send_due` every `interval` seconds until `stop_event` is set (for `kiosk serve`).

    Start it in a thread: `threading.Thread(target=run_sender, args=(store, clock, stop),
    daemon=True)`. A step that fails (database busy, disk) is tried again next round.
    """
    while not stop_event.is_set():
        with contextlib.suppress(KioskError):
            send_due(store, clock, kiosk_id=kiosk_id)
        stop_event.wait(interval)


def send_test(store: Store, *, tls_context: ssl.SSLContext | None = None) -> list[str]:
    """Send the test message straight away (not through the outbox); return refused ones."""
    settings = load_settings(store)
    message = messages.test_message(store.settings.get("school_name"))
    return deliver(settings, build_email(settings, message.subject, message.body,
                                         make_msgid(idstring="test")),
                   tls_context)
