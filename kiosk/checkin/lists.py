"""Reads around check-ins: the live list, finding a family, dashboard counts, door views.

The lists carry family names (staff screens only, behind the PIN); the door never uses
them. `family_door_view` is what the door shows a family (first names only), read for the
door's decision and for the manual check-in dialog alike.
Re-exported by kiosk.checkin.service, the one import point for check-in services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.checkin.doorview import FamilyView, child_name, colour_of, family_view
from kiosk.events import get_event, running_order
from kiosk.passes.token import REF_LENGTH
from kiosk.store import Store

RESULT_WORDS = {"admitted": "admitted", "re_entry": "re-entry", "refused": "refused"}


def result_words(result: str) -> str:
    """A check-in result in words staff read: 'admitted', 're-entry', 'refused'."""
    return RESULT_WORDS.get(result, result.replace("_", " "))


@dataclass(frozen=True)
class CheckinEntry:
    """One recorded decision for staff lists (carries the family name: staff screens only)."""

    id: int
    at: datetime
    kiosk_id: str
    method: str
    result: str
    code: str
    colour: str
    family_id: str | None
    family_name: str | None
    pass_ref: str | None
    party_size: int | None
    staff_id: int | None
    undone: bool

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CheckinEntry:
        """Build from a checkins row (joined with the family name and pass ref if present)."""
        return cls(
            id=row["id"], at=datetime.fromisoformat(row["at"]), kiosk_id=row["kiosk_id"],
            method=row["method"], result=row["result"], code=row["code"],
            colour=colour_of(row["code"]), family_id=row["family_id"],
            family_name=row.get("family_name"), pass_ref=row.get("pass_ref"),
            party_size=row["party_size"], staff_id=row["staff_id"],
            undone=row["undone_at"] is not None,
        )


def checkins_for_event(
    store: Store, event_id: str, *, include_refused: bool = True, limit: int | None = 200
) -> list[CheckinEntry]:
    """The event's check-ins, newest first (staff screens: live list, undo)."""
    get_event(store, event_id)
    rows = store.checkins.of_event(event_id, include_refused=include_refused, limit=limit)
    return [CheckinEntry.from_row(row) for row in rows]


def family_door_view(store: Store, event_id: str, family_id: str) -> FamilyView:
    """The family's door view: its performing children, their items in running order."""
    pupils = store.families.pupils_of_family(family_id)
    order = running_order(store, event_id)
    return family_view(pupils, order.items_for_pupils(p["id"] for p in pupils))


@dataclass(frozen=True)
class FamilyMatch:
    """A family found by name, for manual check-in (staff screens only)."""

    family_id: str
    display_name: str
    children: tuple[tuple[str, str], ...]  # (first or preferred name, class)
    checked_in: bool | None  # None when no event was given


def find_families(store: Store, name: str, *, event_id: str | None = None,
                  limit: int = 50) -> list[FamilyMatch]:
    """Families by name (or a child's surname or first name), or by a pass's reference."""
    text = name.strip()
    if not text:
        return []
    admitted = store.checkins.admitted_family_ids(event_id) if event_id else set()
    rows = store.checkins.families_by_name(text, limit)
    ref = text.upper()
    card = store.passes.by_ref(ref) if len(ref) == REF_LENGTH and ref.isalnum() else None
    family = store.families.get(card["family_id"]) if card else None
    if family is not None:
        rows = [{"id": family["id"], "display_name": family["display_name"]},
                *(row for row in rows if row["id"] != family["id"])]
    return [
        FamilyMatch(
            family_id=row["id"],
            display_name=row["display_name"],
            children=tuple(
                (child_name(p), p["class_name"])
                for p in store.families.pupils_of_family(row["id"])
            ),
            checked_in=(row["id"] in admitted) if event_id else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CheckinCounts:
    """Dashboard figures: families, parties and people checked in against those expected."""

    families_expected: int
    families_checked_in: int
    parties_checked_in: int  # each pass's first use admits its party; a family may bring two
    people_checked_in: int | None  # None when the event does not ask party sizes
    people_expected: int | None  # seats per family x families expected, when allocated
    re_entries: int
    refusals: int


def event_counts(store: Store, event_id: str) -> CheckinCounts:
    """Families/people checked in vs expected (expected = families with a child performing)."""
    order = running_order(store, event_id)
    performing = set().union(*(r.performers for r in order.items)) if order.items else set()
    expected = len(store.checkins.families_of_pupils(performing))
    totals = store.checkins.totals(event_id)
    seats = order.event["seats_per_family"]
    return CheckinCounts(
        families_expected=expected,
        families_checked_in=totals.get("families_in", 0),
        parties_checked_in=totals.get("parties_in", 0),
        people_checked_in=totals.get("people_in", 0) if seats else None,
        people_expected=seats * expected if seats else None,
        re_entries=totals.get("re_entries", 0),
        refusals=totals.get("refusals", 0),
    )
