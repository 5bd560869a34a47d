"""SQL for staff members, their PIN hashes and failure counters."""

from __future__ import annotations

from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import StaffRow


class StaffTable(Area):
    """Staff rows; the PIN logic lives in kiosk.staff."""

    def get(self, staff_id: int) -> StaffRow | None:
        """One staff row by id, or None."""
        return cast(StaffRow | None, self.query_one(
            "SELECT * FROM staff WHERE id = ?", (staff_id,)
        ))

    def by_name(self, name: str) -> StaffRow | None:
        """One staff row by exact name (case-insensitive), or None."""
        return cast(StaffRow | None, self.query_one(
            "SELECT * FROM staff WHERE name = ? COLLATE NOCASE", (name,)
        ))

    def all(self) -> list[StaffRow]:
        """Every staff member, by name."""
        return cast(list[StaffRow], self.query("SELECT * FROM staff ORDER BY name"))

    def insert(self, row: dict[str, Any]) -> int:
        """Add a staff member; return the new id."""
        return self.insert_row("staff", row)

    def record_pin_failure(
        self, staff_id: int, attempts: int, at: str, *, locked: bool
    ) -> None:
        """Count a wrong PIN (and lock the PIN when `locked`)."""
        self.execute(
            "UPDATE staff SET failed_attempts = ?, last_failed_at = ?,"
            " locked_at = CASE WHEN ? THEN ? ELSE locked_at END WHERE id = ?",
            (attempts, at, int(locked), at, staff_id),
        )

    def record_sign_in(self, staff_id: int, new_hash: str | None = None) -> None:
        """Clear the wrong-PIN count after a right PIN (and upgrade the hash if given)."""
        self.execute(
            "UPDATE staff SET failed_attempts = 0, last_failed_at = NULL,"
            " pin_hash = COALESCE(?, pin_hash) WHERE id = ?",
            (new_hash, staff_id),
        )

    def set_pin_hash(self, staff_id: int, pin_hash: str) -> None:
        """Store a new PIN hash and clear the wrong-PIN count and lock."""
        self.execute(
            "UPDATE staff SET pin_hash = ?, failed_attempts = 0, last_failed_at = NULL,"
            " locked_at = NULL WHERE id = ?",
            (pin_hash, staff_id),
        )
