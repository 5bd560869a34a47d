"""A small fictional school on a real database file, built once and copied per test.

Built only through the services (events, staff, passes) and the store's roster mixin,
so the reliability tests exercise the same rows a real kiosk would hold. The pass
tokens are written beside the database (`school.json`) for child processes to read.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.events import add_item, create_event
from kiosk.passes.issuing import issue_pass, revoke_pass
from kiosk.staff import add_staff
from kiosk.store import Store, open_store

EVENT_DAY = date(2026, 12, 10)
DOORS_OPEN = datetime(2026, 12, 10, 17, 30, tzinfo=timezone(timedelta(0)))
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


def _family(store: Store, index: int, class_name: str, consent: str | None) -> str:
    family_id = f"F{index:03d}"
    store.families.upsert_family({"id": family_id, "display_name": f"Family {index}",
                         "created_at": _SET_UP_AT, "updated_at": _SET_UP_AT})
    for child in range(1 + index % 2):
        pupil_id = f"P{index:03d}{child}"
        store.families.upsert_pupil({"id": pupil_id, "family_id": family_id,
                            "first_name": f"Child{index}x{child}", "surname": f"Surname{index}",
                            "class_name": class_name, "year_group": "1",
                            "updated_at": _SET_UP_AT})
        if consent is not None:
            store.families.upsert_consent({"pupil_id": pupil_id, "category": "event_recording",
                                  "value": consent, "given_by": "school record",
                                  "recorded_at": _SET_UP_AT})
    return family_id


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
        with store.immediate():
            ids = [
                _family(store, i, PERFORMING[i % 3], ("granted", "refused", None)[i % 3])
                for i in range(1, families + 1)
            ]
            outsider = _family(store, families + 1, NOT_PERFORMING, "granted")
        set_up = datetime(2026, 9, 1, 9, tzinfo=timezone(timedelta(0)))
        school.steward_id = add_staff(store, "Sam Steward", "steward", "1111", now=set_up)
        school.lead_id = add_staff(store, "Lee Lead", "lead", "2222", now=set_up)
        create_event(store, EVENT, "Nativity", EVENT_DAY, now=set_up, curtain="18:00")
        create_event(store, OTHER_DAY_EVENT, "Carol service", OTHER_DAY, now=set_up)
        for event in (EVENT, OTHER_DAY_EVENT):
            for title, cls in zip(("Star", "Away in a Manger", "Shepherds"), PERFORMING,
                                  strict=True):
                school.item_ids.append(add_item(store, event, title, now=set_up, classes=[cls]))
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
