"""A small fictional school on a real database file, built once and copied per test.

Built only through the services (events, staff, passes) and the store's roster mixin,
so the reliability tests exercise the same rows a real kiosk would hold. The pass
tokens are written beside the database (`school.json`) for child processes to read.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.passes.issuing import issue_pass, revoke_pass
from kiosk.security.keys import key_path
from kiosk.store import Store, open_store
from support.school import (
    DAY,
    UTC,
    Family,
    Item,
    Pupil,
    add_event,
    add_roster,
    add_staff_members,
)

EVENT_DAY = DAY
DOORS_OPEN = datetime(2026, 12, 10, 17, 30, tzinfo=UTC)
EVENT = "nativity"
OTHER_DAY_EVENT = "carol-service"
OTHER_DAY = EVENT_DAY + timedelta(days=7)
FAMILIES = 40
PERFORMING = ("Larks", "Robins", "Wrens")  # every Lark may be filmed: a green admission
NOT_PERFORMING = "Owls"
_SET_UP_AT = "2026-09-01T09:00:00+00:00"


@dataclass
class School:
    """Where the school's database is, and what the tests need to drive it."""

    db_path: Path
    event: str = EVENT
    other_day_event: str = OTHER_DAY_EVENT
    steward_id: int = 0
    lead_id: int = 0
    item_ids: list[int] = field(default_factory=list)
    passes: list[dict[str, Any]] = field(default_factory=list)

    def tokens(self, kind: str = "valid") -> list[str]:
        """Tokens of one kind: valid, not_expected, revoked, expired, not_yet_valid."""
        return [p["token"] for p in self.passes if p["kind"] == kind]

    def family_of(self, token: str) -> str:
        """The family id a token was issued to."""
        return next(p["family_id"] for p in self.passes if p["token"] == token)

    def save(self) -> Path:
        """Write the school's facts beside the database for child processes."""
        path = self.db_path.with_name("school.json")
        data = {
            "event": self.event, "other_day_event": self.other_day_event,
            "steward_id": self.steward_id, "lead_id": self.lead_id,
            "item_ids": self.item_ids, "passes": self.passes,
        }
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        return path

    def copy_to(self, folder: Path) -> School:
        """A copy of this school's database (closed, checkpointed) in another folder."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / self.db_path.name
        shutil.copyfile(self.db_path, target)
        shutil.copyfile(key_path(self.db_path), key_path(target))
        copied = School(
            target, self.event, self.other_day_event, self.steward_id, self.lead_id,
            list(self.item_ids), [dict(p) for p in self.passes],
        )
        copied.save()
        return copied


def load_school(db_path: Path) -> School:
    """Read `school.json` written beside a database by `School.save`."""
    data = json.loads(db_path.with_name("school.json").read_text(encoding="utf-8"))
    return School(db_path, **data)


def _pupils(index: int, class_name: str, consent: str | None) -> list[Pupil]:
    """Family `index`'s one or two children (every other family has two)."""
    return [Pupil(f"P{index:03d}{child}", f"F{index:03d}", f"Child{index}x{child}",
                  f"Surname{index}", class_name, consent, year_group="1")
            for child in range(1 + index % 2)]


def _issue(store: Store, school: School, family_id: str, kind: str, *, now: datetime,
           valid_until: date | None = None) -> dict[str, Any]:
    issued = issue_pass(store, family_id, now=now, valid_until=valid_until)
    row = {"family_id": family_id, "token": issued.token, "ref": issued.ref,
           "pass_id": issued.pass_id, "kind": kind}
    school.passes.append(row)
    return row


def build_school(db_path: Path, *, families: int = FAMILIES) -> School:
    """Create the fictional school, its nativity (on EVENT_DAY) and every kind of pass."""
    store = open_store(db_path)
    school = School(db_path)
    try:
        everyone = [Family(f"F{i:03d}", f"Family {i}") for i in range(1, families + 2)]
        pupils = [pupil for i in range(1, families + 1)
                  for pupil in _pupils(i, PERFORMING[i % 3], ("granted", "refused", None)[i % 3])]
        pupils += _pupils(families + 1, NOT_PERFORMING, "granted")  # a family not performing
        add_roster(store, everyone, pupils, stamp=_SET_UP_AT)
        ids, outsider = [f.id for f in everyone[:-1]], everyone[-1].id
        set_up = datetime(2026, 9, 1, 9, tzinfo=UTC)
        staff = add_staff_members(store, [("Sam Steward", "steward", "111111"),
                                          ("Lee Lead", "lead", "222222")], now=set_up)
        school.steward_id, school.lead_id = staff["Sam Steward"], staff["Lee Lead"]
        items = [Item(title, [cls]) for title, cls in
                 zip(("Star", "Away in a Manger", "Shepherds"), PERFORMING, strict=True)]
        school.item_ids += add_event(store, EVENT, "Nativity", EVENT_DAY, now=set_up,
                                     curtain="18:00", items=items)
        school.item_ids += add_event(store, OTHER_DAY_EVENT, "Carol service", OTHER_DAY,
                                     now=set_up, items=items)
        for family_id in ids:
            _issue(store, school, family_id, "valid", now=set_up)
        _issue(store, school, outsider, "not_expected", now=set_up)
        lost = _issue(store, school, ids[0], "revoked", now=set_up)
        revoke_pass(store, lost["ref"], reason="lost", now=set_up)
        _issue(store, school, ids[1], "expired", now=set_up,
               valid_until=EVENT_DAY - timedelta(days=1))
        _issue(store, school, ids[2], "not_yet_valid", now=DOORS_OPEN + timedelta(days=3))
    finally:
        store.close()
    school.save()
    return school
