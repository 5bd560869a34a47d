"""SQL for violations, their children and append-only history."""

from __future__ import annotations

from kiosk.store.base import StoreBase


class ViolationQueries(StoreBase):
    """Queries for violations, their children and append-only history."""
