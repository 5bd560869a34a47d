"""A small school for the retention, subject access and erasure tests, built with services.

As of NOW (2026-12-10): the harvest festival (2026-09-20) is past the 30-day check-in
period, the nativity (today) is not. Violations: one closed in 2019 (past the 6-year
period), one logged in 2019 and still open, one closed in 2019 about a family on legal
hold, and one closed this week. Names are unusual so a search cannot match by chance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kiosk.privacy.retention import set_legal_hold
from kiosk.store import Store
from kiosk.violations.workflow import close, log_violation
from support.school import (
    NOW,
    UTC,
    Family,
    Pupil,
    add_event,
    add_roster,
    add_staff_members,
    admit,
    issue_passes,
)

__all__ = ["FAMILIES", "LONG_AGO", "NAMES", "NOW", "School", "build_school"]

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


def build_school(store: Store) -> School:
    """The whole fixture school (see the module docstring)."""
    add_roster(
        store, [Family(fid, display, tuple(guardians))
                for fid, (display, _, guardians) in FAMILIES.items()],
        [Pupil(f"{fid}-{index}", fid, first, surname, class_name)
         for fid, (_, pupils, _) in FAMILIES.items()
         for index, (first, surname, class_name) in enumerate(pupils)],
        stamp=LONG_AGO.isoformat(),
    )
    staff_id = add_staff_members(store, [("Helen Head", "headteacher", "333333"),
                                         ("Ada Admin", "admin", "444444")],
                                 now=LONG_AGO)["Helen Head"]
    school = School(staff_id)
    for event_id, name, day in (("spring-fair", "Spring fair", LONG_AGO.date()),
                                ("harvest", "Harvest festival", date(2026, 9, 20)),
                                ("nativity", "Nativity", NOW.date())):
        add_event(store, event_id, name, day, now=LONG_AGO, open_to_all=True)
    passes = issue_passes(store, FAMILIES, now=LONG_AGO, valid_until=date(2027, 7, 31))
    school.tokens = {family: token for family, (token, _) in passes.items()}
    harvest = datetime(2026, 9, 20, 14, 0, tzinfo=UTC)
    for family_id in FAMILIES:
        for event_id, at in (("harvest", harvest), ("nativity", NOW - timedelta(hours=1))):
            school.checkins[(family_id, event_id)] = admit(
                store, school.tokens[family_id], event_id, at=at, party_size=2)

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

