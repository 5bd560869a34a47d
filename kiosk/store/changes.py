"""Noticing commits made by other connections (another kiosk process on the same file)."""

from __future__ import annotations

from kiosk.store.base import StoreBase


class ChangeQueries(StoreBase):
    """A cheap "has anything changed?" for screens that follow the database."""

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the database.

        Commits made through this Store's own connection do not change it, so a screen
        refreshes itself after its own writes and polls this for everybody else's.
        """
        row = self.query_one("PRAGMA data_version")
        return int(row["data_version"]) if row else 0
