"""A small school for the retention, subject access and erasure tests, built with services.

As of NOW (2026-12-10): the harvest festival (2026-09-20) is past the 30-day check-in
period, the nativity (today) is not. Violations: one closed in 2019 (past the 6-year
period), one logged in 2019 and still open, one closed in 2019 about a family on legal
hold, and one closed this week. Names are unusual so a search cannot match by chance.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from kiosk.checkin.service import check_in
from kiosk.events import create_event
from kiosk.passes.issuing import issue_pass
from kiosk.privacy.retention import set_legal_hold
from kiosk.staff import add_staff
from kiosk.store import Store
from kiosk.violations.workflow import close, log_violation

UTC = timezone(timedelta(0))
NOW = datetime(2026, 12, 10, 17, 45, tzinfo=UTC)
LONG_AGO = datetime(2019, 5, 14, 18, 30, tzinfo=UTC)

# family id -> (display name, [(pupil first name, surname, class)], [guardian names])
FAMILIES: dict[str, tuple[str, list[tuple[str, str, str]], list[str]]] = {
    "F-ROSE": ("Rosewood", [("Ophelia", "Rosewood", "2B"), ("Barnaby", "Rosewood", "4A")],
               ["Marigold Rosewood"]),
    "F-THORN": ("Thornbury", [("Ignatius", "Thornbury", "2B")], ["Cuthbert Thornbury"]),
    "F-HOLD": ("Quenby", [("Philippa", "Quenby", "3C")], ["Ottoline Quenby"]),
}
NAMES: dict[str, list[str]] = {
    family: [display, *(p[0] for p in pupils), *(g.split()[0] for g in guardians)]
    for family, (display, pupils, guardians) in FAMILIES.items()
}


@dataclass
class School:
    """Ids of what was built, by name, for the assertions."""

    staff_id: int
    tokens: dict[str, str] = field(default_factory=dict)
    checkins: dict[tuple[str, str], int] = field(default_factory=dict)
    violations: dict[str, int] = field(default_factory=dict)


_nonces = itertools.count(1)


def _add_families(store: Store) -> None:
    """Families, pupils, guardians and event-recording consents."""
    stamp = LONG_AGO.isoformat()
    with store.immediate():
        for family_id, (display, pupils, guardians) in FAMILIES.items():
            store.families.upsert_family({"id": family_id, "display_name": display,
                                 "created_at": stamp, "updated_at": stamp})
            guardian_ids = [
                store.families.upsert_guardian({"family_id": family_id, "name": name,
                                       "relationship": "parent",
                                       "email": f"{name.split()[0].lower()}@example.org"})
                for name in guardians
            ]
            for index, (first, surname, class_name) in enumerate(pupils):
                pupil_id = f"{family_id}-{index}"
                store.families.upsert_pupil({"id": pupil_id, "family_id": family_id,
                                    "first_name": first, "surname": surname,
                                    "class_name": class_name, "year_group": class_name[0],
                                    "updated_at": stamp})
                for guardian_id in guardian_ids:
                    store.families.link_guardian(pupil_id, guardian_id)
                store.families.upsert_consent({"pupil_id": pupil_id, "category": "event_recording",
                                      "value": "granted", "given_by": guardians[0],
                                      "recorded_at": stamp})


def _check_in(store: Store, school: School, family_id: str, event_id: str, at: datetime) -> None:
    """Admit a family with its pass at `at`."""
    decision = check_in(store, school.tokens[family_id], event_id, now=at, kiosk_id="door-1",
                        nonce=f"n{next(_nonces)}", party_size=2)
    school.checkins[(family_id, event_id)] = decision.checkin_id


def build_school(store: Store) -> School:
    """The whole fixture school (see the module docstring)."""
    _add_families(store)
    staff_id = add_staff(store, "Helen Head", "headteacher", "3333", now=LONG_AGO)
    school = School(staff_id)
    for event_id, name, day in (("spring-fair", "Spring fair", LONG_AGO.date()),
                                ("harvest", "Harvest festival", date(2026, 9, 20)),
                                ("nativity", "Nativity", NOW.date())):
        create_event(store, event_id, name, day, now=LONG_AGO, open_to_all=True)
    for family_id in FAMILIES:
        school.tokens[family_id] = issue_pass(
            store, family_id, now=LONG_AGO, valid_until=date(2027, 7, 31)
        ).token
    harvest = datetime(2026, 9, 20, 14, 0, tzinfo=UTC)
    for family_id in FAMILIES:
        _check_in(store, school, family_id, "harvest", harvest)
        _check_in(store, school, family_id, "nativity", NOW - timedelta(hours=1))

    def log(at: datetime, family_id: str, children: list[str], description: str) -> int:
        return log_violation(
            store, event_id="spring-fair" if at.year == 2019 else "nativity",
            kind="filmed_other_children", reported_by=staff_id, now=at, kiosk_id="door-1",
            family_id=family_id, children=children, description=description,
            action_taken="asked_to_stop", notes="Phone put away after a word.",
        )

    school.violations["old_closed"] = log(
        LONG_AGO, "F-THORN", ["F-ROSE-0"],
        "Cuthbert Thornbury filmed the class from the aisle.",
    )
    school.violations["old_open"] = log(LONG_AGO, "F-THORN", [], "Filmed the stage.")
    school.violations["old_held"] = log(LONG_AGO, "F-HOLD", [], "Filmed the choir.")
    school.violations["recent_closed"] = log(
        NOW - timedelta(hours=2), "F-THORN", ["F-ROSE-1"], "Filmed item 2."
    )
    for key, closed_at in (("old_closed", LONG_AGO + timedelta(days=2)),
                           ("old_held", LONG_AGO + timedelta(days=2)),
                           ("recent_closed", NOW - timedelta(minutes=30))):
        close(store, school.violations[key], "Spoke to the parent; footage deleted.",
              staff_id=staff_id, now=closed_at, kiosk_id="office")
    set_legal_hold(store, "F-HOLD", True, now=LONG_AGO)
    return school

