"""Reading violations: the labelled list, one violation in full, and whom to contact.

For the headteacher's screens, the CLI and the reports; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from kiosk.errors import NotFound
from kiosk.store import Store
from kiosk.store.rows import ListedViolationRow
from kiosk.violations.vocabulary import (
    ACTION_LABELS,
    HISTORY_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    STATUSES,
    ViolationError,
)


def current_violation(store: Store, violation_id: int) -> ListedViolationRow:
    """The violation row with its names, or NotFound."""
    row = store.violations.get(violation_id)
    if row is None:
        raise NotFound(f"There is no violation number {violation_id}.")
    return row


def _bound(value: datetime | date | str | None, *, end: bool) -> dict[str, str]:
    """A since/until value as query filters: a date is a whole local day, inclusive."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return {"until" if end else "since": value.isoformat()}
    return {"date_to" if end else "date_from": value.isoformat()}


def _labelled(row: ListedViolationRow) -> dict[str, Any]:
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


def child_name(pupil: Mapping[str, Any]) -> str:
    """A pupil's full name as the school knows them (preferred first name if any)."""
    return f"{pupil['preferred_name'] or pupil['first_name']} {pupil['surname']}"


def family_contact(store: Store, row: Mapping[str, Any]) -> dict[str, Any] | None:
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
    row = _labelled(current_violation(store, violation_id))
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

