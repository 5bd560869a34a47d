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
from datetime import date, datetime
from typing import Any

from kiosk.audit import log as audit
from kiosk.errors import KioskError, NotFound, PermissionDenied
from kiosk.events import get_event
from kiosk.notify.outbox import queue_violation_alert
from kiosk.staff import Role, has_role, require_role
from kiosk.store import Store

KIND_LABELS: dict[str, str] = {
    "filmed_child_without_permission": "Filmed a child without permission",
    "filmed_staff": "Filmed a member of staff",
    "filmed_other_children": "Filmed other children",
    "posted_online": "Posted online",
    "other": "Other",
}
ACTION_LABELS: dict[str, str] = {
    "asked_to_stop": "Asked to stop",
    "deleted_in_front_of_staff": "Deleted in front of staff",
    "refused_to_delete": "Refused to delete",
    "left_event": "Left the event",
}
STATUS_LABELS: dict[str, str] = {
    "open": "Open",
    "acknowledged": "Acknowledged",
    "closed": "Closed",
}
HISTORY_LABELS: dict[str, str] = {
    "created": "Logged",
    "acknowledged": "Acknowledged",
    "note": "Note added",
    "closed": "Closed",
}
KINDS = tuple(KIND_LABELS)
ACTIONS = tuple(ACTION_LABELS)
STATUSES = tuple(STATUS_LABELS)
MAX_TEXT = 4000


class ViolationError(KioskError):
    """A violation could not be logged or moved along its workflow."""


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


def _personal(**values: Any) -> dict[str, Any] | None:
    """The non-empty personal values, or None when there are none."""
    kept = {k: v for k, v in values.items() if v not in (None, "", [], ())}
    return kept or None


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
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=f"staff:{staff['id']}",
            action="violation.logged", subject=f"violation:{violation_id}",
            detail={"event": event_id, "kind": kind, "item": item_id,
                    "action_taken": action_taken, "children": len(children),
                    "family_linked": family_id is not None,
                    "pass_linked": pass_id is not None},
            personal=_personal(family_id=family_id, pass_id=pass_id,
                               description=description, notes=notes),
            family_id=family_id,
        )
        queue_violation_alert(store, violation_id, now=now, kind_label=KIND_LABELS[kind],
                              action_label=ACTION_LABELS.get(action_taken or ""))
    return violation_id


def _current(store: Store, violation_id: int) -> dict[str, Any]:
    """The violation row, or NotFound."""
    row = store.violations.get(violation_id)
    if row is None:
        raise NotFound(f"There is no violation number {violation_id}.")
    return row


def _step(
    store: Store, row: dict[str, Any], action: str, *, staff_id: int, now: datetime,
    kiosk_id: str, text: str | None = None,
) -> None:
    """Append one history entry and its audit entry (inside the caller's transaction)."""
    store.violations.insert_history(
        {"violation_id": row["id"], "at": now.isoformat(), "staff_id": staff_id,
         "action": action, "detail": text}
    )
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=f"staff:{staff_id}",
        action=f"violation.{action}", subject=f"violation:{row['id']}",
        detail={"event": row["event_id"], "status": row["status"]},
        personal=_personal(text=text), family_id=row["family_id"],
    )


def acknowledge(
    store: Store, violation_id: int, *, staff_id: int, now: datetime, kiosk_id: str
) -> None:
    """Mark an open violation as seen by the headteacher (headteacher or above)."""
    require_role(store, staff_id, Role.HEADTEACHER)
    with store.immediate():
        row = _current(store, violation_id)
        if row["status"] != "open":
            raise ViolationError(
                f"Violation {violation_id} is already {STATUS_LABELS[row['status']].lower()}."
            )
        store.violations.set_status(violation_id, "acknowledged")
        _step(store, {**row, "status": "acknowledged"}, "acknowledged",
              staff_id=staff_id, now=now, kiosk_id=kiosk_id)


def add_note(
    store: Store, violation_id: int, note: str, *, staff_id: int, now: datetime, kiosk_id: str
) -> None:
    """Append a note (by whoever logged it, or headteacher or above); allowed after closing."""
    staff = require_role(store, staff_id, Role.STEWARD)
    text = _text(note, "note", required=True)
    with store.immediate():
        row = _current(store, violation_id)
        if row["reported_by"] != staff["id"] and not has_role(staff["role"], Role.HEADTEACHER):
            raise PermissionDenied(
                "Only the person who logged it, or a headteacher, can add a note."
            )
        _step(store, row, "note", staff_id=staff_id, now=now, kiosk_id=kiosk_id, text=text)


def close(
    store: Store, violation_id: int, outcome: str, *, staff_id: int, now: datetime,
    kiosk_id: str,
) -> None:
    """Close an open or acknowledged violation with an outcome (headteacher or above)."""
    require_role(store, staff_id, Role.HEADTEACHER)
    text = _text(outcome, "outcome", required=True)
    with store.immediate():
        row = _current(store, violation_id)
        if row["status"] == "closed":
            raise ViolationError(f"Violation {violation_id} is already closed.")
        store.violations.set_status(
            violation_id, "closed", outcome=text, closed_at=now.isoformat()
        )
        _step(store, {**row, "status": "closed"}, "closed",
              staff_id=staff_id, now=now, kiosk_id=kiosk_id, text=text)


def _bound(value: datetime | date | str | None, *, end: bool) -> dict[str, str]:
    """A since/until value as query filters: a date is a whole local day, inclusive."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return {"until" if end else "since": value.isoformat()}
    return {"date_to" if end else "date_from": value.isoformat()}


def _labelled(row: dict[str, Any]) -> dict[str, Any]:
    """A violation row with plain-English labels for its kind, action and status."""
    return {
        **row,
        "kind_label": KIND_LABELS.get(row["kind"], row["kind"]),
        "action_label": ACTION_LABELS.get(row["action_taken"] or "", ""),
        "status_label": STATUS_LABELS.get(row["status"], row["status"]),
    }


def list_violations(
    store: Store,
    *,
    event_id: str | None = None,
    status: str | None = None,
    since: datetime | date | str | None = None,
    until: datetime | date | str | None = None,
) -> list[dict[str, Any]]:
    """Violations newest first, with labels, item title, reporter and family names.

    A datetime bound is exact (`until` exclusive); a date bound covers that whole day
    (both inclusive). Children's names are not included: see `violation_detail`.
    """
    if status is not None and status not in STATUS_LABELS:
        raise ViolationError(f"Status must be one of: {', '.join(STATUSES)}.")
    try:
        bounds = {**_bound(since, end=False), **_bound(until, end=True)}
    except ValueError as error:
        raise ViolationError("Dates must look like 2025-12-10.") from error
    rows = store.violations.rows(event_id=event_id, status=status, **bounds)
    return [_labelled(row) for row in rows]


def child_name(pupil: dict[str, Any]) -> str:
    """A pupil's full name as the school knows them (preferred first name if any)."""
    return f"{pupil['preferred_name'] or pupil['first_name']} {pupil['surname']}"


def family_contact(store: Store, row: dict[str, Any]) -> dict[str, Any] | None:
    """Whom to contact about a violation: the linked family's id and its guardians.

    Only the family the violation is linked to (never the families of the children
    involved); None when no family is linked. For the headteacher's screens and report.
    """
    if row["family_id"] is None:
        return None
    guardians = [
        {"name": g["name"], "relationship": g["relationship"], "phone": g["phone"],
         "email": g["email"]}
        for g in store.families.guardians_of_family(row["family_id"])
    ]
    return {"family_id": row["family_id"], "family_name": row["family_name"],
            "guardians": guardians}


def contact_lines(contact: dict[str, Any] | None) -> list[str]:
    """The contact as lines of text: the family, then one line per guardian."""
    if contact is None:
        return ["No family linked"]
    name = f" – {contact['family_name']}" if contact["family_name"] else ""
    lines = [f"Family {contact['family_id']}{name}"]
    for g in contact["guardians"]:
        relation = f" ({g['relationship']})" if g["relationship"] else ""
        ways = [way for way in (g["phone"], g["email"]) if way]
        lines.append(" · ".join([f"{g['name']}{relation}", *ways]) if ways
                     else f"{g['name']}{relation} · no phone or e-mail on record")
    if not contact["guardians"]:
        lines.append("No guardian on record")
    return lines


def violation_detail(store: Store, violation_id: int) -> dict[str, Any]:
    """Everything about one violation: labelled row, contact, children (full names), history."""
    row = _labelled(_current(store, violation_id))
    children = [
        {"id": p["id"], "first_name": p["first_name"], "surname": p["surname"],
         "name": child_name(p), "class_name": p["class_name"], "year_group": p["year_group"]}
        for p in store.violations.children_rows(violation_id)
    ]
    history = [
        {"id": h["id"], "at": h["at"], "action": h["action"],
         "action_label": HISTORY_LABELS.get(h["action"], h["action"]),
         "staff_id": h["staff_id"], "staff_name": h["staff_name"], "detail": h["detail"]}
        for h in store.violations.history_rows(violation_id)
    ]
    return {**row, "contact": family_contact(store, row), "children": children,
            "history": history}

