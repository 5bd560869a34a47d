"""The e-mail texts: what happened, when, which item, the number, "open the kiosk inbox".

E-mail leaves the school's control, so a message never carries a child's name, a
guardian's details, a family, a pass or any free text typed by staff. An item title or
event name that holds a pupil's name (a solo "Amelia sings") is replaced by its number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.posting.names import find_names
from kiosk.reports.common import long_date, when
from kiosk.store import Store

INBOX = ("Open the kiosk inbox to see the details and act on it (staff mode, Inbox)."
         " Children's names and family details stay in the kiosk and are never sent"
         " by e-mail.")


@dataclass(frozen=True)
class Message:
    """A subject and a plain-text body, ready for the outbox."""

    subject: str
    body: str


def _safe(store: Store, text: str | None, fallback: str, children: Iterable[str]) -> str:
    """`text` unless it holds a pupil's name (any full name, or a linked child's name)."""
    if not text:
        return fallback
    return fallback if find_names(store, children, [("title", text)]) else text


def _place(store: Store, row: Mapping[str, Any], children: list[str]) -> tuple[str, str]:
    """(event, item) as safe words for a violation row."""
    event = _safe(store, row["event_name"], f"the event of {long_date(row['event_date'])}",
                  children)
    if row["item_id"] is None:
        return event, "none recorded"
    number = f"item {row['item_position']}"
    title = _safe(store, row["item_title"], "", children)
    return event, f"{number} – {title}" if title else number


def violation_alert(
    store: Store, row: Mapping[str, Any], children: list[str], *, kind_label: str,
    action_label: str | None,
) -> Message:
    """The message sent at once when a violation is logged."""
    event, item = _place(store, row, children)
    lines = [
        "A recording violation was logged at the kiosk.",
        "",
        f"Violation number: {row['id']}",
        f"What happened: {kind_label}",
        f"When: {when(row['at'])}",
        f"Event: {event}",
        f"Item on stage: {item}",
    ]
    if action_label:
        lines.append(f"Action taken: {action_label}")
    if children:
        lines.append(f"Children involved: {len(children)} (names in the kiosk only)")
    lines += ["", INBOX]
    return Message(f"Recording violation no. {row['id']}: {kind_label}", "\n".join(lines))


def digest(store: Store, rows: list[dict[str, Any]], on: str) -> Message:
    """The daily list of violations still open or acknowledged, oldest first."""
    lines = [f"{len(rows)} recording violation{'s' if len(rows) != 1 else ''} not yet"
             f" closed on {long_date(on)}:", ""]
    for row in sorted(rows, key=lambda r: r["id"]):
        event, item = _place(store, row, [])
        lines.append(f"No. {row['id']} · {when(row['at'])} · {row['kind_label']} ·"
                     f" {row['status_label']} · {event} · {item}")
    lines += ["", INBOX]
    return Message(f"Daily digest: {len(rows)} recording violation"
                   f"{'s' if len(rows) != 1 else ''} not yet closed", "\n".join(lines))


def test_message(school: str | None) -> Message:
    """The message `kiosk notify test` sends."""
    return Message("Kiosk test message",
                   f"This is a test from the event kiosk of {school or 'the school'}.\n"
                   "Violation alerts and the daily digest will reach this address.")
