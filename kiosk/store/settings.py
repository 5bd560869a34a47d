"""SQL for the small key/value settings table (school name, retention periods...)."""

from __future__ import annotations

from kiosk.store.base import Area
from kiosk.store.schema import schema_version


class SettingsTable(Area):
    """Named settings stored in the database so every kiosk on the file agrees."""

    def get(self, key: str, default: str | None = None) -> str | None:
        """The stored value for `key`, or `default`."""
        row = self.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else default

    def set(self, key: str, value: str) -> None:
        """Store a setting (one atomic statement)."""
        self.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def summary_counts(self) -> dict[str, int]:
        """Row counts for `kiosk status` (pupils on roll, families, events, passes...)."""
        sql = {
            "pupils_on_roll": "SELECT COUNT(*) AS n FROM pupils WHERE on_roll = 1",
            "families": "SELECT COUNT(*) AS n FROM families",
            "events": "SELECT COUNT(*) AS n FROM events",
            "live_passes": "SELECT COUNT(*) AS n FROM passes WHERE revoked_at IS NULL",
            "staff": "SELECT COUNT(*) AS n FROM staff WHERE active = 1",
            "checkins": "SELECT COUNT(*) AS n FROM checkins",
            "open_violations": "SELECT COUNT(*) AS n FROM violations WHERE status != 'closed'",
        }
        return {key: int(self.scalar(q) or 0) for key, q in sql.items()}

    def schema_applied(self) -> list[str]:
        """Names of the migrations applied to this file, oldest first."""
        with self._lock:
            return schema_version(self.db)
