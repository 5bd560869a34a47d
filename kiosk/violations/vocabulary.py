"""The words of the violations workflow: kinds, actions taken, statuses, history steps.

Stored codes and their plain-English labels, shared by the workflow, its read models, the
reports and the audit records cross-check (which must not import the workflow itself).
"""

from __future__ import annotations

from kiosk.errors import KioskError

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


class ViolationError(KioskError):
    """A violation could not be logged or moved along its workflow."""
