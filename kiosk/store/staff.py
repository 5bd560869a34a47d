"""SQL for staff members, their PIN hashes and failure counters."""

from __future__ import annotations

from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import StaffRow
from kiosk.store.upgrade import FIRST_RELEASE_PIN


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

    # --- wrong-PIN streaks, one per staff member and kiosk -----------------------------

    def attempts(self, staff_id: int, kiosk_id: str) -> dict[str, Any] | None:
        """This member's streak on this kiosk (failed_attempts, last_failed_at, locked_until)."""
        return self.query_one(
            "SELECT * FROM staff_attempts WHERE staff_id = ? AND kiosk_id = ?",
            (staff_id, kiosk_id),
        )

    def all_attempts(self, staff_id: int) -> list[dict[str, Any]]:
        """This member's streaks on every kiosk."""
        return self.query(
            "SELECT * FROM staff_attempts WHERE staff_id = ? ORDER BY kiosk_id", (staff_id,)
        )

    def record_failure(
        self, staff_id: int, kiosk_id: str, attempts: int, at: str, locked_until: str | None
    ) -> None:
        """Count a wrong PIN on one kiosk (and lock the name there until `locked_until`)."""
        self.execute(
            "INSERT INTO staff_attempts (staff_id, kiosk_id, failed_attempts, last_failed_at,"
            " locked_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (staff_id, kiosk_id) DO UPDATE"
            " SET failed_attempts = excluded.failed_attempts,"
            " last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until",
            (staff_id, kiosk_id, attempts, at, locked_until),
        )

    def clear_attempts(self, staff_id: int, kiosk_id: str | None = None) -> None:
        """Forget the streak on one kiosk (a right PIN), or on all of them (a new PIN)."""
        if kiosk_id is None:
            self.execute("DELETE FROM staff_attempts WHERE staff_id = ?", (staff_id,))
        else:
            self.execute("DELETE FROM staff_attempts WHERE staff_id = ? AND kiosk_id = ?",
                         (staff_id, kiosk_id))

    def set_active(self, staff_id: int, active: bool) -> None:
        """Deactivate a leaver (or bring them back)."""
        self.execute("UPDATE staff SET active = ? WHERE id = ?", (int(active), staff_id))

    def set_role(self, staff_id: int, role: str) -> None:
        """Change a member's role."""
        self.execute("UPDATE staff SET role = ? WHERE id = ?", (role, staff_id))

    def count_admins(self) -> int:
        """How many active admins there are (the last one cannot be removed)."""
        return int(self.scalar(
            "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1"
        ) or 0)

    def count(self) -> int:
        """How many staff members exist."""
        return int(self.scalar("SELECT count(*) FROM staff") or 0)

    def count_with_pins(self) -> int:
        """How many staff members have a PIN this release can check (not a first-release one).

        None in an empty database, or one just upgraded from the first release: then the
        first admin is free.
        """
        return int(self.scalar(
            "SELECT count(*) FROM staff WHERE substr(pin_hash, 1, ?) != ?",
            (len(FIRST_RELEASE_PIN), FIRST_RELEASE_PIN)) or 0)
