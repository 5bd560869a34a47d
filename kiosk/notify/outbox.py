"""Queue e-mail in the outbox, in the caller's transaction, and say what is still waiting.

`queue_violation_alert` is called inside the `store.immediate()` that logs a violation,
so the alert exists exactly when the violation does; a hub without network loses
nothing, the message waits for the sender.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import make_msgid

from kiosk.notify import messages
from kiosk.notify.smtp import configured
from kiosk.reports.common import when
from kiosk.store import Store


def utc(moment: datetime) -> str:
    """A moment as UTC ISO text: outbox times compare as strings."""
    return moment.astimezone(UTC).isoformat()


def _domain(store: Store) -> str:
    sender = store.settings.get("smtp.from") or ""
    return sender.rpartition("@")[2].strip(" >") or "kiosk.invalid"


def queue(store: Store, *, kind: str, key: str, message: messages.Message,
          now: datetime) -> int | None:
    """Put a message in the outbox once per `key`; return its id (None: already queued)."""
    return store.outbox.queue({
        "kind": kind, "dedupe_key": key, "created_at": utc(now), "subject": message.subject,
        "body": message.body, "next_attempt_at": utc(now),
        "message_id": make_msgid(idstring=key.replace(":", "-"), domain=_domain(store)),
    })


def queue_violation_alert(
    store: Store, violation_id: int, *, now: datetime, kind_label: str,
    action_label: str | None = None,
) -> int | None:
    """Queue the headteacher's alert for a violation just saved (same transaction)."""
    with store.immediate():
        row = store.violations.get(violation_id)
        if row is None:
            return None
        children = [c["id"] for c in store.violations.children_rows(violation_id)]
        message = messages.violation_alert(store, row, children, kind_label=kind_label,
                                           action_label=action_label or None)
        return queue(store, kind="violation", key=f"violation:{violation_id}",
                     message=message, now=now)


def undelivered_line(store: Store) -> str | None:
    """One line for the staff dashboard about e-mail not yet delivered, or None."""
    waiting = store.outbox.undelivered()
    if not waiting:
        return None
    count = len(waiting)
    oldest = when(datetime.fromisoformat(waiting[0]["created_at"]).astimezone().isoformat())
    head = f"{count} e-mail{'s' if count != 1 else ''} to the headteacher not yet delivered" \
        f" (oldest {oldest})"
    if not configured(store):
        return f"{head}: e-mail is not set up (kiosk settings set smtp.host ...)."
    errors = [w["last_error"] for w in waiting if w["last_error"]]
    return f"{head}: {errors[-1]}" if errors else f"{head}: sending shortly."
