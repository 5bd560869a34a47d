"""Violations of the recording policy: log at once, then acknowledge, note and close.

Workflow: open -> acknowledged -> closed (closing straight from open is allowed too).
Once closed, the status and outcome never change again; notes may still be added (a
later addendum, e.g. a parent's reply), each as a new history entry. History rows are
append-only (database triggers refuse UPDATE, DELETE and INSERT OR REPLACE).

Who may do what (checked here, so it holds without the UI): any signed-in staff member
logs a violation; linking the children involved needs lead or above; acknowledging and
closing need headteacher or above; a note may be added by the staff member who logged
the violation or by headteacher or above. Every step is audited; free text (description,
notes, outcome) goes only in the audit entry's purgeable personal part.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.audit.details import (
    StepPersonal,
    ViolationDetail,
    ViolationPersonal,
    ViolationStepDetail,
)
from kiosk.audit.terms import Actor, Subject
from kiosk.errors import PermissionDenied
from kiosk.events import get_event
from kiosk.notify.outbox import queue_violation_alert
from kiosk.staff import Role, has_role, require_role
from kiosk.store import Store
from kiosk.store.rows import ViolationRow
from kiosk.violations.reads import current_violation
from kiosk.violations.vocabulary import (
    ACTION_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    ViolationError,
)

MAX_TEXT = 4000


def _text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Trimmed free text, None when blank; refuse blank when required, or too long."""
    cleaned = value.strip() if value is not None else ""
    if not cleaned:
        if required:
            raise ViolationError(f"Please write the {what}.")
        return None
    if len(cleaned) > MAX_TEXT:
        raise ViolationError(f"The {what} is too long (at most {MAX_TEXT} characters).")
    return cleaned


def log_violation(
    store: Store,
    *,
    event_id: str,
    kind: str,
    reported_by: int,
    now: datetime,
    kiosk_id: str,
    item_id: int | None = None,
    family_id: str | None = None,
    pass_id: int | None = None,
    description: str | None = None,
    children: Iterable[str] = (),
    action_taken: str | None = None,
    notes: str | None = None,
    nonce: str | None = None,
) -> int:
    """Save a violation at once (row, children, 'created' history, audit); return its id.

    The same `nonce` saved twice gives one violation (a retried save after a crash or a
    double tap returns the first id). Linking `children` needs lead or above.
    """
    staff = require_role(store, reported_by, Role.STEWARD)
    children = list(dict.fromkeys(children))
    if children:
        require_role(store, reported_by, Role.LEAD)
    if kind not in KIND_LABELS:
        raise ViolationError(f"Unknown kind of violation {kind!r}.")
    if action_taken is not None and action_taken not in ACTION_LABELS:
        raise ViolationError(f"Unknown action taken {action_taken!r}.")
    description = _text(description, "description")
    notes = _text(notes, "notes")
    with store.immediate():
        if nonce is not None:
            earlier = store.violations.by_nonce(nonce)
            if earlier is not None:
                return int(earlier["id"])
        get_event(store, event_id)
        if item_id is not None:
            item = store.events.item(item_id)
            if item is None or item["event_id"] != event_id:
                raise ViolationError(f"Item {item_id} is not part of this event.")
        if pass_id is not None:
            pass_row = store.violations.pass_of(pass_id)
            if pass_row is None:
                raise ViolationError(f"There is no pass with id {pass_id}.")
            if family_id is not None and family_id != pass_row["family_id"]:
                raise ViolationError("The pass scanned belongs to a different family.")
            family_id = pass_row["family_id"]
        if family_id is not None and store.families.get(family_id) is None:
            raise ViolationError(f"There is no family {family_id!r}.")
        known = {p["id"] for p in store.violations.pupils(children)}
        unknown = [c for c in children if c not in known]
        if unknown:
            raise ViolationError(f"There is no pupil with id {unknown[0]!r}.")
        violation_id = store.violations.insert(
            {
                "event_id": event_id, "at": now.isoformat(), "item_id": item_id,
                "kind": kind, "family_id": family_id, "pass_id": pass_id,
                "description": description, "action_taken": action_taken, "notes": notes,
                "reported_by": staff["id"], "status": "open", "nonce": nonce,
            }
        )
        for pupil_id in children:
            store.violations.insert_child(violation_id, pupil_id)
        store.violations.insert_history(
            {"violation_id": violation_id, "at": now.isoformat(), "staff_id": staff["id"],
             "action": "created", "detail": KIND_LABELS[kind]}
        )
        detail: ViolationDetail = {
            "event": event_id, "kind": kind, "item": item_id, "action_taken": action_taken,
            "children": len(children), "family_linked": family_id is not None,
            "pass_linked": pass_id is not None,
            "family_seal": seals.seal(store, "family", family_id),
            "children_seal": seals.seal(store, "children", sorted(children)),
            "text_seal": seals.seal(store, "text", description, notes),
        }
        personal = ViolationPersonal()
        if family_id is not None:
            personal["family_id"] = family_id
        if pass_id is not None:
            personal["pass_id"] = pass_id
        if description is not None:
            personal["description"] = description
        if notes is not None:
            personal["notes"] = notes
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
            action="violation.logged", subject=Subject.violation(violation_id),
            detail=detail, personal=personal or None, family_id=family_id,
        )
        queue_violation_alert(store, violation_id, now=now, kind_label=KIND_LABELS[kind],
                              action_label=ACTION_LABELS.get(action_taken or ""))
    return violation_id


def _step(
    store: Store, row: ViolationRow, action: str, *, status: str, staff_id: int,
    now: datetime, kiosk_id: str, text: str | None = None,
) -> None:
    """Append one history entry and its audit entry, with the `status` after it.

    Runs inside the caller's transaction.
    """
    store.violations.insert_history(
        {"violation_id": row["id"], "at": now.isoformat(), "staff_id": staff_id,
         "action": action, "detail": text}
    )
    detail: ViolationStepDetail = {"event": row["event_id"], "status": status,
                                   "text_seal": seals.seal(store, "text", text)}
    personal: StepPersonal = {"text": text} if text else {}
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff_id),
        action=f"violation.{action}", subject=Subject.violation(row["id"]),
        detail=detail, personal=personal or None, family_id=row["family_id"],
    )


def acknowledge(
    store: Store, violation_id: int, *, staff_id: int, now: datetime, kiosk_id: str
) -> None:
    """Mark an open violation as seen by the headteacher (headteacher or above)."""
    require_role(store, staff_id, Role.HEADTEACHER)
    with store.immediate():
        row = current_violation(store, violation_id)
        if row["status"] != "open":
            raise ViolationError(
                f"Violation {violation_id} is already {STATUS_LABELS[row['status']].lower()}."
            )
        store.violations.set_status(violation_id, "acknowledged")
        _step(store, row, "acknowledged", status="acknowledged", staff_id=staff_id, now=now,
              kiosk_id=kiosk_id)


def add_note(
    store: Store, violation_id: int, note: str, *, staff_id: int, now: datetime, kiosk_id: str
) -> None:
    """Append a note (by whoever logged it, or headteacher or above); allowed after closing."""
    staff = require_role(store, staff_id, Role.STEWARD)
    text = _text(note, "note", required=True)
    with store.immediate():
        row = current_violation(store, violation_id)
        if row["reported_by"] != staff["id"] and not has_role(staff["role"], Role.HEADTEACHER):
            raise PermissionDenied(
                "Only the person who logged it, or a headteacher, can add a note."
            )
        _step(store, row, "note", status=row["status"], staff_id=staff_id, now=now,
              kiosk_id=kiosk_id, text=text)


def close(
    store: Store, violation_id: int, outcome: str, *, staff_id: int, now: datetime,
    kiosk_id: str,
) -> None:
    """Close an open or acknowledged violation with an outcome (headteacher or above)."""
    require_role(store, staff_id, Role.HEADTEACHER)
    text = _text(outcome, "outcome", required=True)
    with store.immediate():
        row = current_violation(store, violation_id)
        if row["status"] == "closed":
            raise ViolationError(f"Violation {violation_id} is already closed.")
        store.violations.set_status(
            violation_id, "closed", outcome=text, closed_at=now.isoformat()
        )
        _step(store, row, "closed", status="closed", staff_id=staff_id, now=now,
              kiosk_id=kiosk_id, text=text)
