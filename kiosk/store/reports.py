"""SQL the headteacher's reports read: an event's check-ins, as the door screens wrote them."""

from __future__ import annotations

from typing import Any

from kiosk.store.base import StoreBase


class ReportQueries(StoreBase):
    """Read-only queries for reports (nothing here writes)."""

    def report_checkins(self, event_id: str) -> list[dict[str, Any]]:
        """Every check-in decision of an event (admissions, re-entries, refusals), by time."""
        return self.query(
            "SELECT id, family_id, kiosk_id, at, party_size, method, result, code,"
            " undone_at FROM checkins WHERE event_id = ? ORDER BY at, id",
            (event_id,),
        )
