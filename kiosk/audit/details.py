"""The typed `detail` (chained, nothing personal) and personal parts of audit entries.

The services that write check-in, violation, purge and erasure entries build these, and
the records cross-check (kiosk.audit.records) reads them back: a key renamed on one side
is a type error on the other. Keys marked NotRequired were not written by older entries.
The stored JSON is exactly these dicts (kiosk.audit.log.canonical).
"""

from __future__ import annotations

import json
from typing import NotRequired, TypedDict, cast

CheckinDetail = TypedDict(
    "CheckinDetail",
    {
        "event": str,
        "code": str,
        "method": NotRequired[str],
        "party_size": NotRequired[int | None],
        "pass": NotRequired[int | None],
        "family": NotRequired[bool],
        "family_seal": NotRequired[str],
    },
)
"""A check-in decision ('checkin.admitted', '.re_entry', '.refused')."""


class CheckinUndoDetail(TypedDict):
    """An undone check-in ('checkin.undone')."""

    event: str
    code: str


class CheckinPersonal(TypedDict, total=False):
    """The purgeable part of a check-in or undo entry: the family and staff's reason."""

    family_id: str | None
    reason: str


class ViolationDetail(TypedDict):
    """A violation logged ('violation.logged')."""

    event: str
    kind: str
    item: int | None
    action_taken: str | None
    children: NotRequired[int]
    family_linked: NotRequired[bool]
    pass_linked: NotRequired[bool]
    family_seal: NotRequired[str]
    children_seal: NotRequired[str]
    text_seal: NotRequired[str]


class ViolationPersonal(TypedDict, total=False):
    """The purgeable part of a logged violation: links and the free text staff wrote."""

    family_id: str
    pass_id: int
    description: str
    notes: str


class ViolationStepDetail(TypedDict):
    """A step of a violation ('violation.acknowledged', '.note', '.closed'): its status after."""

    event: str
    status: NotRequired[str]
    text_seal: NotRequired[str]


class StepPersonal(TypedDict, total=False):
    """The purgeable part of a step: the note or outcome."""

    text: str


class PurgeCounts(TypedDict):
    """How many records of each kind a retention purge removes."""

    checkins: int
    violations: int
    audit_personal: int


class PurgeDetail(PurgeCounts):
    """A retention purge ('retention.purged'): counts and the ids of what went."""

    checkin_days: int
    violation_years: int
    violation_ids: list[int]
    checkin_events: list[str]
    kept_on_legal_hold: int
    personal_entries: NotRequired[list[int]]
    checkin_ids: NotRequired[list[int]]


class ErasureDetail(TypedDict):
    """The part of an erasure entry ('family.erased') the records check reads.

    The entry also holds the count removed from every other table.
    """

    checkins: int
    violations_kept: list[int]
    personal_entries: NotRequired[list[int]]
    checkin_ids: NotRequired[list[int]]
    pass_ids: NotRequired[list[int]]


def _loads(text: str) -> dict[str, object]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def checkin_detail(text: str) -> CheckinDetail:
    """A stored check-in decision detail."""
    return cast(CheckinDetail, _loads(text))


def violation_detail(text: str) -> ViolationDetail:
    """A stored logged-violation detail."""
    return cast(ViolationDetail, _loads(text))


def step_detail(text: str) -> ViolationStepDetail:
    """A stored violation-step detail."""
    return cast(ViolationStepDetail, _loads(text))


def purge_detail(text: str) -> PurgeDetail:
    """A stored retention purge detail."""
    return cast(PurgeDetail, _loads(text))


def erasure_detail(text: str) -> ErasureDetail:
    """A stored erasure detail."""
    return cast(ErasureDetail, _loads(text))
