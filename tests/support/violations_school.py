"""A small fictional school shared by the violations, audit and reports tests (no tests here).

Built through store methods and services, with check-ins written as the door screen
writes them; names include non-Latin-1 letters to prove the reports print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.store import Store
from kiosk.violations.workflow import acknowledge, add_note, close, log_violation
from support.school import (
    Item,
    Pupil,
    add_event,
    add_roster,
    families_of,
    insert_staff_rows,
    shared_pin_hash,
)

KIOSK = "door-1"
SET_UP = "2026-09-01"
PUPILS = (
    # id, family, first name, surname, class, event-recording consent
    ("p1", "F1", "Amelia", "Okafor", "1B", "granted"),
    ("p2", "F1", "Tobi", "Okafor", "2W", "granted"),
    ("p3", "F2", "Zoë", "Łukasiewicz", "1B", "refused"),
    ("p4", "F3", "Yusuf", "Demir", "1B", "granted"),
    ("p5", "F4", "Мария", "Иванова", "2W", None),
    ("p6", "F5", "Mei", "王", "2W", "granted"),
    ("p7", "F6", "=HYPERLINK(\"x\")", "Evans", "1B", "granted"),
)
STAFF = (("Sam Steward", "steward"), ("Lee Lead", "lead"), ("Helen Head", "headteacher"),
         ("Ada Admin", "admin"))


@dataclass(frozen=True)
class School:
    """Ids the tests need: staff by role, the event, its items."""

    store: Store
    staff: dict[str, int]
    event_id: str
    items: list[int]
    day: date


def build_school(store: Store, now: datetime) -> School:
    """Families, pupils, consents, four staff, the nativity with three items."""
    store.settings.set("school_name", "Valence Primary School")
    pupils = [Pupil(pid, family, first, surname, cls, consent)
              for pid, family, first, surname, cls, consent in PUPILS]
    add_roster(store, families_of(pupils, {p.family: f"The {p.surname} family" for p in pupils}),
               pupils, stamp=SET_UP)
    by_name = insert_staff_rows(store, STAFF, pin_hash=shared_pin_hash(store.keys, "123456"),
                                created_at=SET_UP)
    staff = {role: by_name[name] for name, role in STAFF}
    items = add_event(store, "nativity", "Nativity", now.date(), now=now, doors_open="17:30",
                      curtain="18:00", items=[
                          Item("Away in a Manger", ["2W"], starts_at="18:00"),
                          Item("The Shepherds", ["1B"], starts_at="18:10"),
                          Item("Solo: Silent Night", pupils=["p1"], starts_at="18:25"),
                      ])
    return School(store, staff, "nativity", items, now.date())


def add_checkins(school: School, start: datetime) -> None:
    """Admissions, a re-entry, refusals and an undone check-in across half an hour."""
    rows = [
        (0, "F1", "admitted", "admitted", 3, None),
        (4, "F2", "admitted", "admitted_restricted", 2, None),
        (12, "F3", "admitted", "admitted", None, None),
        (13, None, "refused", "unknown_pass", None, None),
        (14, None, "refused", "revoked", None, None),
        (21, "F1", "re_entry", "re_entry", None, None),
        (25, None, "refused", "unknown_pass", None, None),
        (33, "F4", "admitted", "admitted", 1, "2026-12-10T17:59:00+00:00"),
    ]
    for n, (minutes, family, result, code, size, undone) in enumerate(rows):
        checkin_id = school.store.checkins.insert({
            "event_id": school.event_id, "family_id": family, "kiosk_id": KIOSK,
            "at": (start + timedelta(minutes=minutes)).isoformat(), "party_size": size,
            "method": "camera", "result": result, "code": code, "nonce": f"n{n}",
        })
        if undone:
            school.store.checkins.mark_undone(checkin_id, at=undone, staff_id=school.staff["lead"],
                                             reason="Scanned the wrong pass")


def add_violations(school: School, now: datetime) -> list[int]:
    """Three violations: one closed with a note, one acknowledged, one open."""
    staff, store = school.staff, school.store
    first = log_violation(
        store, event_id="nativity", kind="filmed_child_without_permission",
        reported_by=staff["lead"], now=now, kiosk_id=KIOSK, item_id=school.items[1],
        family_id="F3", description="Man in a blue coat, front row, held a phone up",
        children=["p3"], action_taken="deleted_in_front_of_staff",
        notes="He deleted the clip and apologised.", nonce="v-1",
    )
    second = log_violation(
        store, event_id="nativity", kind="filmed_staff", reported_by=staff["steward"],
        now=now + timedelta(minutes=7), kiosk_id=KIOSK, item_id=school.items[0],
        description="=cmd|' /C calc'!A0 woman by the fire exit", action_taken="asked_to_stop",
    )
    third = log_violation(
        store, event_id="nativity", kind="posted_online", reported_by=staff["headteacher"],
        now=now + timedelta(minutes=20), kiosk_id=KIOSK, family_id="F5",
        description="A clip of the finale appeared on a parents' group.",
        children=["p5", "p6"], action_taken="refused_to_delete",
    )
    later = now + timedelta(hours=15)
    head = staff["headteacher"]
    acknowledge(store, first, staff_id=head, now=later, kiosk_id="office")
    add_note(store, first, "Spoke to the family; they understood.", staff_id=head,
             now=later + timedelta(minutes=5), kiosk_id="office")
    close(store, first, "Resolved: clip deleted, family reminded of the policy.",
          staff_id=head, now=later + timedelta(minutes=6), kiosk_id="office")
    acknowledge(store, third, staff_id=head, now=later + timedelta(minutes=9),
                kiosk_id="office")
    return [first, second, third]
