"""SQL for check-ins: decisions recorded, re-entry look-ups, undo."""

from __future__ import annotations

from kiosk.store.base import StoreBase


class CheckinQueries(StoreBase):
    """Queries for check-ins: decisions recorded, re-entry look-ups, undo."""
