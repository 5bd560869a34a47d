"""A small fictional school for the staff-mode and stage-board tests (fixed data, fixed day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from argon2 import PasswordHasher

from kiosk import staff as staff_service
from kiosk.events import add_item, create_event
from kiosk.passes.issuing import issue_pass
from kiosk.staff import add_staff
from kiosk.store import Store

DAY = date(2026, 12, 10)
PINS = {"Sam Steward": "1111", "Lee Lead": "2222", "Helen Head": "3333", "Ada Admin": "4444"}
ROLES = {"Sam Steward": "steward", "Lee Lead": "lead", "Helen Head": "headteacher",
         "Ada Admin": "admin"}
# (pupil id, first name, surname, class, family, event-recording consent)
PUPILS = (
    ("p1", "Amelia", "Khan", "R", "khan", "granted"),
    ("p2", "Noah", "Khan", "1B", "khan", "granted"),
    ("p3", "Olivia", "Price", "R", "price", "granted"),
    ("p4", "Jack", "Osei", "1B", "osei", "refused"),
    ("p5", "Isla", "Novak", "1B", "novak", None),
    ("p6", "Leo", "Grant", "2W", "grant", "granted"),
)
ITEMS = (("Welcome", ()), ("Away in a Manger", ("R",)), ("Shepherds' Song", ("1B",)),
         ("Finale", ("R", "1B", "2W")))


@dataclass
class School:
    """Ids a test needs: staff by name, item ids in order, a live pass per family."""

    staff: dict[str, int] = field(default_factory=dict)
    items: list[int] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)


def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters so tests stay fast (the parameters live in each hash)."""
    monkeypatch.setattr(staff_service, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def build_school(store: Store, now: datetime) -> School:
    """Families, pupils, consents, the nativity with four items, four staff, passes."""
    school = School()
    stamp = "2026-09-01T09:00:00+00:00"
    for family in dict.fromkeys(row[4] for row in PUPILS):
        store.upsert_family({"id": family, "display_name": f"{family.title()} family",
                             "created_at": stamp, "updated_at": stamp})
    for pid, first, surname, cls, family, consent in PUPILS:
        store.upsert_pupil({"id": pid, "family_id": family, "first_name": first,
                            "surname": surname, "class_name": cls, "year_group": cls[0],
                            "updated_at": stamp})
        if consent:
            store.upsert_consent({"pupil_id": pid, "category": "event_recording",
                                  "value": consent, "given_by": "school record",
                                  "recorded_at": stamp})
    create_event(store, "nativity", "Infant Nativity", DAY, now=now, curtain="18:00")
    for title, classes in ITEMS:
        school.items.append(add_item(store, "nativity", title, now=now, classes=classes))
    for name, pin in PINS.items():
        school.staff[name] = add_staff(store, name, ROLES[name], pin, now=now)
    for family in dict.fromkeys(row[4] for row in PUPILS):
        school.tokens[family] = issue_pass(store, family, now=now).token
    return school
