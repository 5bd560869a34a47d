"""A small fixture school for the pass tests: families with awkward names, pupils on roll."""

from __future__ import annotations

from datetime import datetime

from kiosk.store import Store

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
    """Add the fixture families and pupils and the school name; return ids with pupils on roll."""
    stamp = now.isoformat()
    store.settings.set("school_name", SCHOOL_NAME)
    for family_id, display_name, children, on_roll in FAMILIES:
        store.families.upsert_family({"id": family_id, "display_name": display_name,
                             "created_at": stamp, "updated_at": stamp})
        for index, (first, surname, class_name) in enumerate(children):
            store.families.upsert_pupil({
                "id": f"{family_id}-{index}", "family_id": family_id, "first_name": first,
                "surname": surname, "class_name": class_name, "year_group": class_name[:1],
                "on_roll": 1 if on_roll else 0, "updated_at": stamp,
            })
    return [family[0] for family in FAMILIES if family[3]]
