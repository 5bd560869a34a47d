"""Role-checked reads behind staff mode: dashboard, check-in list, names on request, inbox.

The services these build on (check-in lists, running order, violations) read freely;
this module is where staff screens get their data, so every read checks the signed-in
member's role here, without the UI. Children who may not be filmed are named only to
lead and above, only when asked, as first name and surname initial, and each reveal is
audited (counts only). Flagged families give staff a quiet notice (`flag_notices`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.audit import log as audit
from kiosk.audit.terms import Actor, Subject
from kiosk.checkin.doorview import FamilyView
from kiosk.checkin.lists import (
    CheckinCounts,
    CheckinEntry,
    FamilyMatch,
    checkins_for_event,
    event_counts,
    family_door_view,
    find_families,
)
from kiosk.consent import ItemStatus
from kiosk.errors import NotFound
from kiosk.events import running_order
from kiosk.passes.token import REF_LENGTH
from kiosk.passes.verification import MESSAGES, PassCheck, pass_state, verify
from kiosk.staff import Role, has_role, require_role
from kiosk.store import Store
from kiosk.violations.reads import list_violations, violation_detail


@dataclass(frozen=True)
class ItemRow:
    """One item of the running order as staff see it: status and counts, never names."""

    id: int
    position: int
    title: str
    starts_at: str | None
    allowed: bool
    staff_marked: bool
    performers: int
    not_filmable: int
    on_stage: bool


@dataclass(frozen=True)
class Dashboard:
    """The event at a glance: check-in counts, running order, what is on stage."""

    event_id: str
    event_name: str
    event_date: str
    counts: CheckinCounts
    items: tuple[ItemRow, ...]

    @property
    def now_on_stage(self) -> ItemRow | None:
        """The item on stage now, or None before the first and after the last."""
        return next((row for row in self.items if row.on_stage), None)


@dataclass(frozen=True)
class NamedChild:
    """A child as staff may see them on request: first name and surname initial."""

    pupil_id: str
    name: str
    class_name: str
    filmable: bool


def short_name(pupil: Mapping[str, Any]) -> str:
    """'Amelia K.': preferred (or first) name and surname initial, enough for staff."""
    first = (pupil.get("preferred_name") or "").strip() or pupil["first_name"]
    initial = pupil["surname"].strip()[:1].upper()
    return f"{first} {initial}." if initial else first


def full_name(pupil: Mapping[str, Any]) -> str:
    """'Amelia Hughes': used only where two children would share a short name."""
    first = (pupil.get("preferred_name") or "").strip() or pupil["first_name"]
    return f"{first} {pupil['surname'].strip()}"


def event_dashboard(store: Store, event_id: str, *, staff_id: int) -> Dashboard:
    """Counts and running order for any signed-in staff member (no children's names)."""
    require_role(store, staff_id, Role.STEWARD)
    order = running_order(store, event_id)
    current = order.event["now_on_stage"]
    items = tuple(
        ItemRow(
            id=r.item.id, position=number, title=r.item.title, starts_at=r.item.starts_at,
            allowed=r.status is ItemStatus.ALLOWED, staff_marked=r.staff_marked,
            performers=r.performer_count, not_filmable=r.not_filmable_count,
            on_stage=r.item.id == current,
        )
        for number, r in enumerate(order.items, start=1)
    )
    return Dashboard(event_id=event_id, event_name=order.event["name"],
                     event_date=order.event["date"], counts=event_counts(store, event_id),
                     items=items)


def _named(store: Store, pupil_ids: set[str] | frozenset[str],
           blocked: set[str] | frozenset[str]) -> list[NamedChild]:
    """Children by class then name; two with the same short name get their full surname.

    Pupils no longer on the roll are skipped.
    """
    pupils = [p for p in (store.families.pupil(pid) for pid in pupil_ids) if p is not None]
    short = Counter(short_name(p) for p in pupils)
    children = [
        NamedChild(p["id"], short_name(p) if short[short_name(p)] == 1 else full_name(p),
                   p["class_name"], p["id"] not in blocked)
        for p in pupils
    ]
    return sorted(children, key=lambda c: (c.class_name, c.name, c.pupil_id))


def not_filmable_names(
    store: Store, event_id: str, *, staff_id: int, now: datetime, kiosk_id: str
) -> dict[int, list[NamedChild]]:
    """Per item, the children who may not be filmed; lead and above, audited (counts only)."""
    staff = require_role(store, staff_id, Role.LEAD)
    order = running_order(store, event_id)
    names = {r.item.id: _named(store, r.not_filmable, r.not_filmable) for r in order.items}
    with store.immediate():
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
                     action="children.names_shown", subject=Subject.of("event", event_id),
                     detail={"purpose": "no_filming_list",
                             "children": sum(len(v) for v in names.values())})
    return names


def item_performers(
    store: Store, event_id: str, item_id: int, *, staff_id: int, now: datetime, kiosk_id: str
) -> list[NamedChild]:
    """An item's performers by name, to link children to a violation; lead and above."""
    staff = require_role(store, staff_id, Role.LEAD)
    result = next((r for r in running_order(store, event_id).items if r.item.id == item_id),
                  None)
    if result is None:
        raise NotFound(f"Item {item_id} is not part of this event.")
    children = _named(store, result.performers, result.not_filmable)
    with store.immediate():
        audit.append(store, kiosk_id=kiosk_id, at=now, actor=Actor.staff(staff["id"]),
                     action="children.names_shown", subject=Subject.of("item", item_id),
                     detail={"purpose": "violation_children", "children": len(children)})
    return children


def staff_checkins(store: Store, event_id: str, *, staff_id: int,
                   limit: int | None = 200) -> list[CheckinEntry]:
    """The live check-in list, newest first; any signed-in staff member."""
    require_role(store, staff_id, Role.STEWARD)
    return checkins_for_event(store, event_id, limit=limit)


def staff_find_families(store: Store, name: str, event_id: str, *,
                        staff_id: int) -> list[FamilyMatch]:
    """Families by surname or a child's first name, for a manual check-in; any staff."""
    require_role(store, staff_id, Role.STEWARD)
    return find_families(store, name, event_id=event_id)


def staff_family_view(store: Store, event_id: str, family_id: str, *,
                      staff_id: int) -> FamilyView:
    """What the door would show the family (first names, items, filming): any staff."""
    require_role(store, staff_id, Role.STEWARD)
    return family_door_view(store, event_id, family_id)


@dataclass(frozen=True)
class PassLink:
    """A pass scanned in the violation form: whose it is (valid or not, it names a family)."""

    pass_id: int | None
    family_id: str | None
    ref: str | None
    family_name: str | None
    message: str


def identify_pass(store: Store, text: str, *, staff_id: int, today: date) -> PassLink:
    """Which family a scanned pass (or its 4-letter reference, typed) belongs to; any staff.

    A revoked or expired pass still names its family.
    """
    require_role(store, staff_id, Role.STEWARD)
    typed = text.strip().upper()
    row = store.passes.by_ref(typed) if len(typed) == REF_LENGTH and typed.isalnum() else None
    if row is not None:
        state = pass_state(row, today)
        check = PassCheck(state, MESSAGES[state], pass_id=row["id"],
                          family_id=row["family_id"], ref=row["ref"])
    else:
        check = verify(text.strip(), store, today)
    if check.family_id is None:
        return PassLink(None, None, None, None, check.message)
    family = store.families.get(check.family_id)
    name = family["display_name"] if family else None
    return PassLink(check.pass_id, check.family_id, check.ref, name,
                    f"Pass {check.ref} ({name})" + ("" if check.ok else f": {check.message}"))


def inbox(store: Store, *, staff_id: int, include_closed: bool = False) -> list[dict[str, Any]]:
    """Violations for the headteacher, newest first: open and acknowledged (or all)."""
    require_role(store, staff_id, Role.HEADTEACHER)
    rows = list_violations(store)
    return rows if include_closed else [r for r in rows if r["status"] != "closed"]


def inbox_detail(store: Store, violation_id: int, *, staff_id: int) -> dict[str, Any]:
    """One violation with children and history; headteacher and above."""
    require_role(store, staff_id, Role.HEADTEACHER)
    return violation_detail(store, violation_id)


@dataclass(frozen=True)
class FlagNotice:
    """A quiet staff notice: a flagged family is here (or expected). Never on the door card."""

    family_id: str
    family_name: str
    arrived_at: datetime | None  # first admission of any of its parties; None: not yet in
    door: str | None
    note: str | None  # the office's note: lead and above only
    text: str


def flag_notices(store: Store, event_id: str, staff_id: int) -> list[FlagNotice]:
    """Flagged families checked in to (or expected at) the event, arrived first; any staff.

    Stewards see that a family is flagged and are asked to tell the event lead; lead and
    above also see the office's note.
    """
    staff = require_role(store, staff_id, Role.STEWARD)
    with_note = has_role(staff["role"], Role.LEAD)
    order = running_order(store, event_id)
    performing = set().union(*(r.performers for r in order.items)) if order.items else set()
    expected = store.checkins.families_of_pupils(performing)
    first_in: dict[str, tuple[str, str]] = {}
    for party in store.checkins.live_admissions(event_id):
        seen = first_in.get(party["family_id"])
        if seen is None or party["admitted_at"] < seen[0]:
            first_in[party["family_id"]] = (party["admitted_at"], party["admitted_kiosk"])
    notices = []
    for flag in store.families.flagged():
        family_id = flag["family_id"]
        if family_id not in first_in and family_id not in expected:
            continue
        at, door = first_in.get(family_id, (None, None))
        where = f"checked in at {datetime.fromisoformat(at):%H:%M} at {door}" if at else "expected"
        tail = f" Office note: {flag['note']}" if with_note else " Please tell the event lead."
        notices.append(FlagNotice(
            family_id, flag["display_name"], datetime.fromisoformat(at) if at else None, door,
            flag["note"] if with_note else None,
            f"{flag['display_name']} family ({where}) is flagged by the office.{tail}",
        ))
    return sorted(notices, key=lambda n: (n.arrived_at is None, n.family_name))
