"""A tiny fictional school for the check-in tests: one family per door colour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.store import Store
from support.school import (
    Item,
    Pupil,
    add_event,
    add_roster,
    families_of,
    fixed_pass,
    insert_staff_rows,
    issue_passes,
)

__all__ = ["PUPILS", "School", "build_school", "fixed_pass"]

PUPILS = [
    Pupil("P1", "F-GREEN", "Leonard", "Greenwood", "R", preferred_name="Leo", year_group="R"),
    Pupil("P2", "F-GREEN", "Isla", "Greenwood", "R", year_group="R"),
    Pupil("P3", "F-AMBER", "Amara", "Ambleside", "2B", year_group="2B"),
    Pupil("P4", "F-NOCON", "Ben", "Nocton", "2B", "refused", year_group="2B"),
    Pupil("P5", "F-AWAY", "Dev", "Awayday", "6", year_group="6"),
]


@dataclass
class School:
    """A tiny school: one pass per family, a nativity and a seated concert."""

    store: Store
    now: datetime
    tokens: dict[str, str]
    refs: dict[str, str]
    steward: int
    lead: int


def build_school(store: Store, now: datetime, *, fixed: bool = False) -> School:
    """Families, pupils, consents, two events and a pass per family (fixed ones if asked)."""
    stamp = now.isoformat()
    families = families_of(PUPILS, {p.family: p.surname for p in PUPILS})
    add_roster(store, families, PUPILS, stamp=stamp)
    add_event(store, "nativity", "Nativity", now.date(), now=now,
              items=[Item("Little Donkey", ["R"]), Item("Away in a Manger", ["2B"])])
    add_event(store, "concert", "Concert", now.date(), now=now, open_to_all=True,
              seats_per_family=3, items=[Item("Recorders", ["R"])])
    passes = issue_passes(store, [f.id for f in families], now=now, fixed=fixed)
    # Rows straight in: these tests never check a PIN, and argon2 hashing is slow on purpose.
    staff = insert_staff_rows(store, [("Sam Steward", "steward"), ("Lee Lead", "lead")],
                              pin_hash="unused", created_at=stamp)
    return School(store, now, {f: t for f, (t, _) in passes.items()},
                  {f: r for f, (_, r) in passes.items()}, staff["Sam Steward"],
                  staff["Lee Lead"])
