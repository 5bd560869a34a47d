"""A small fixture school for the pass tests: families with awkward names, pupils on roll."""

from __future__ import annotations

from datetime import datetime

from kiosk.store import Store
from support.school import Family, Pupil, add_roster

SCHOOL_NAME = "Hillside Church of England Primary School"

# (family id, display name, [(first name, surname, class)], on roll)
FAMILIES: list[tuple[str, str, list[tuple[str, str, str]], bool]] = [
    ("F-ADAMS", "Adams", [("Amelia", "Adams", "1A"), ("Zebedee", "Adams", "4B")], True),
    ("F-OBRIEN", "O\u2019Brien", [("Siobhan", "O\u2019Brien", "2A")], True),
    ("F-NOWAK", "\u0141ukasiewicz-Nowak", [("Wojciech", "\u0141ukasiewicz", "3C")], True),
    ("F-NGUYEN", "Nguy\u1ec5n", [("Thu", "Nguy\u1ec5n", "R")], True),
    ("F-LEFT", "Leftwood", [("Percival", "Leftwood", "6A")], False),
]
CHILD_NAMES = [child[0] for family in FAMILIES for child in family[2]]


def build_families(store: Store, now: datetime) -> list[str]:
    """Add the fixture families and pupils and the school name; return ids with pupils on roll.

    No consent answers: the pass tests never judge filming.
    """
    store.settings.set("school_name", SCHOOL_NAME)
    add_roster(
        store, [Family(fid, display) for fid, display, _, _ in FAMILIES],
        [Pupil(f"{fid}-{index}", fid, first, surname, class_name, consent=None,
               on_roll=on_roll)
         for fid, _, children, on_roll in FAMILIES
         for index, (first, surname, class_name) in enumerate(children)],
        stamp=now.isoformat(),
    )
    return [family[0] for family in FAMILIES if family[3]]
