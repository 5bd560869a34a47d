"""Families as services name them: one look-up that says plainly when a family is missing."""

from __future__ import annotations

from kiosk.errors import NotFound
from kiosk.store import Store
from kiosk.store.rows import FamilyRow


def get_family(store: Store, family_id: str) -> FamilyRow:
    """The family row, or NotFound with a plain message."""
    row = store.families.get(family_id)
    if row is None:
        raise NotFound(f"There is no family with id {family_id}.")
    return row
