"""Typed rows: what the store's area methods return, one TypedDict per table (or join).

Column names and types follow kiosk/store/schema.py; SQLite booleans are ints (0/1).
A service reading `row["famly_id"]` is then a type error, not a KeyError at the door.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class FamilyRow(TypedDict):
    """A family (families table)."""

    id: str
    display_name: str
    legal_hold: int
    created_at: str
    updated_at: str


class PupilRow(TypedDict):
    """A pupil (pupils table)."""

    id: str
    family_id: str
    first_name: str
    preferred_name: str | None
    surname: str
    class_name: str
    year_group: str
    on_roll: int
    left_at: str | None
    updated_at: str


class GuardianRow(TypedDict):
    """A parent or carer (guardians table)."""

    id: int
    family_id: str
    name: str
    relationship: str | None
    email: str | None
    phone: str | None


class ConsentRow(TypedDict):
    """One consent answer for a pupil and category (consents table)."""

    id: int
    pupil_id: str
    category: str
    value: str
    given_by: str
    recorded_at: str
    valid_until: str | None
    withdrawn_at: str | None
    source: str


class EventRow(TypedDict):
    """An event (events table)."""

    id: str
    name: str
    date: str
    doors_open: str | None
    curtain: str | None
    open_to_all: int
    seats_per_family: int | None
    now_on_stage: int | None
    created_at: str
    ends_at: str | None
    check_out: int


class ItemRow(TypedDict):
    """A running-order item (items table)."""

    id: int
    event_id: str
    position: int
    title: str
    starts_at: str | None
    staff_no_filming: int
    staff_reason: str | None


class PerformerRow(TypedDict):
    """Who performs in an item: a whole class or one pupil (item_performers table)."""

    id: int
    item_id: int
    kind: str
    ref: str


class PassCheckRow(TypedDict):
    """The pass columns a door check reads (never the label or revocation reason)."""

    id: int
    family_id: str
    ref: str
    secret_hash: str
    valid_from: str
    valid_until: str
    revoked_at: str | None


class PassRow(PassCheckRow):
    """A family pass (passes table): only the secret's hash is stored."""

    label: str | None
    issued_at: str
    revoked_reason: str | None


class PassLinkRow(TypedDict):
    """A pass as a violation names it: its id, family and reference."""

    id: int
    family_id: str
    ref: str


class LivePassRow(PassLinkRow):
    """An unrevoked pass as a reissue reads it: its label and end date too."""

    label: str | None
    valid_until: str


class StaffRow(TypedDict):
    """A staff member (staff table), with the PIN's argon2 hash."""

    id: int
    name: str
    role: str
    pin_hash: str
    failed_attempts: int
    last_failed_at: str | None
    locked_at: str | None
    active: int
    created_at: str


class CheckinRow(TypedDict):
    """One check-in decision (checkins table), refusals included."""

    id: int
    event_id: str
    family_id: str | None
    pass_id: int | None
    kiosk_id: str
    at: str
    party_size: int | None
    method: str
    result: str
    code: str
    staff_id: int | None
    reason: str | None
    nonce: str
    undone_at: str | None
    undone_by: int | None
    undo_reason: str | None


class ListedCheckinRow(CheckinRow):
    """A check-in with its family's name and pass reference (staff lists)."""

    family_name: str | None
    pass_ref: str | None


class ViolationRow(TypedDict):
    """A violation of the recording policy (violations table)."""

    id: int
    event_id: str
    at: str
    item_id: int | None
    kind: str
    family_id: str | None
    pass_id: int | None
    description: str | None
    action_taken: str | None
    notes: str | None
    reported_by: int
    status: str
    outcome: str | None
    closed_at: str | None
    nonce: str | None


class CountedViolationRow(ViolationRow):
    """A violation with how many children are linked to it (and which, as a JSON list)."""

    children_count: int
    children_ids: NotRequired[str]


class ListedViolationRow(CountedViolationRow):
    """A violation with its item, event, reporter, family and pass names."""

    item_title: str | None
    item_position: int | None
    event_name: str
    event_date: str
    reporter_name: str | None
    family_name: str | None
    pass_ref: str | None


class ViolationHistoryRow(TypedDict):
    """One append-only step of a violation (violation_history table)."""

    id: int
    violation_id: int
    at: str
    staff_id: int | None
    action: str
    detail: str | None


class NamedHistoryRow(ViolationHistoryRow):
    """A history step with the staff member's name."""

    staff_name: str | None


class AuditEntryRow(TypedDict):
    """One hash-chained audit entry (audit_log table)."""

    id: int
    kiosk_id: str
    seq: int
    at: str
    actor: str
    action: str
    subject: str | None
    detail: str
    personal_digest: str | None
    prev_hash: str
    hash: str
