"""SQL for staff members, their PIN hashes and failure counters."""

from __future__ import annotations

from typing import Any

from kiosk.store.base import StoreBase


class StaffQueries(StoreBase):
    """Staff rows; the PIN logic lives in kiosk.staff."""

    def staff_member(self, staff_id: int) -> dict[str, Any] | None:
        """One staff row by id, or None."""
        return self.query_one("SELECT * FROM staff WHERE id = ?", (staff_id,))

    def staff_by_name(self, name: str) -> dict[str, Any] | None:
        """One staff row by exact name (case-insensitive), or None."""
        return self.query_one("SELECT * FROM staff WHERE name = ? COLLATE NOCASE", (name,))

    def staff_members(self) -> list[dict[str, Any]]:
        """Every staff member, by name."""
        return self.query("SELECT * FROM staff ORDER BY name")

    def insert_staff(self, row: dict[str, Any]) -> int:
        """Add a staff member; return the new id."""
        return int(self.db["staff"].insert(row).last_pk)
