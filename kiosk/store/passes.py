"""SQL for pass rows: look-up by secret hash, issue, revoke."""

from __future__ import annotations

from kiosk.store.base import StoreBase


class PassQueries(StoreBase):
    """Queries for pass rows: look-up by secret hash, issue, revoke."""
