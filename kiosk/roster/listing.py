"""The pupil list for the office: who is on roll and who may be filmed on a given day."""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.events import filmable
from kiosk.store import Store

PUPIL_COLUMNS = (
    "id", "first_name", "preferred_name", "surname", "class", "year_group", "family_id",
    "may_film", "on_roll",
)


def list_pupils(store: Store, *, on: date, include_left: bool = False) -> list[dict[str, Any]]:
    """Each pupil in the documented JSON shape, with `may_film` for event recording on `on`."""
    rows = store.families.pupils(on_roll_only=not include_left)
    allowed = filmable(store, [row["id"] for row in rows], on)
    return [
        {
            "id": row["id"],
            "first_name": row["first_name"],
            "preferred_name": row["preferred_name"],
            "surname": row["surname"],
            "class": row["class_name"],
            "year_group": row["year_group"],
            "family_id": row["family_id"],
            "may_film": allowed[row["id"]],
            "on_roll": bool(row["on_roll"]),
        }
        for row in rows
    ]
