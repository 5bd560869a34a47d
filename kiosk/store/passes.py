"""SQL for pass rows: look-up by secret hash, issue, revoke."""

from __future__ import annotations

from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import LivePassRow, PassCheckRow, PassRow

_CHECK_COLUMNS = "id, family_id, ref, secret_hash, valid_from, valid_until, revoked_at"


class PassTable(Area):
    """Queries for pass rows: look-up by secret hash, issue, revoke."""

    def by_secret_hash(self, secret_hash: str) -> PassCheckRow | None:
        """The pass row whose secret hashes to `secret_hash` (unique-index look-up), or None."""
        return cast(PassCheckRow | None, self.query_one(
            f"SELECT {_CHECK_COLUMNS} FROM passes WHERE secret_hash = ?", (secret_hash,)
        ))

    def by_ref(self, ref: str) -> PassRow | None:
        """One pass row by its staff reference, or None."""
        return cast(PassRow | None, self.query_one("SELECT * FROM passes WHERE ref = ?", (ref,)))

    def ref_taken(self, ref: str) -> bool:
        """True when a pass (live or not) already uses this reference."""
        return self.query_one("SELECT 1 AS taken FROM passes WHERE ref = ?", (ref,)) is not None

    def all(self, family_id: str | None = None) -> list[dict[str, Any]]:
        """Pass rows (never secrets: the hash column is left out), newest first per family."""
        columns = (
            "id, family_id, ref, label, valid_from, valid_until, issued_at,"
            " revoked_at, revoked_reason"
        )
        if family_id is None:
            return self.query(f"SELECT {columns} FROM passes ORDER BY family_id, id DESC")
        return self.query(
            f"SELECT {columns} FROM passes WHERE family_id = ? ORDER BY id DESC", (family_id,)
        )

    def unrevoked_of_family(self, family_id: str) -> list[LivePassRow]:
        """The family's passes that have not been revoked (expired ones included), oldest first."""
        return cast(list[LivePassRow], self.query(
            "SELECT id, family_id, ref, label, valid_until FROM passes"
            " WHERE family_id = ? AND revoked_at IS NULL ORDER BY id",
            (family_id,),
        ))

    def families_with_pupils_on_roll(self) -> list[dict[str, Any]]:
        """Families with at least one pupil on roll (who should hold a pass), by name then id."""
        return self.query(
            "SELECT f.id, f.display_name FROM families f"
            " WHERE EXISTS (SELECT 1 FROM pupils p WHERE p.family_id = f.id AND p.on_roll = 1)"
            " ORDER BY f.display_name COLLATE NOCASE, f.id"
        )

    def family_ids_with_current_pass(self, today: str) -> set[str]:
        """Ids of families holding a pass that is neither revoked nor expired on `today`."""
        rows = self.query(
            "SELECT DISTINCT family_id FROM passes"
            " WHERE revoked_at IS NULL AND valid_until >= ?",
            (today,),
        )
        return {row["family_id"] for row in rows}

    def insert(self, row: dict[str, Any]) -> int:
        """Add a pass row (secret hash only, never the secret); return its id."""
        cursor = self.execute(
            "INSERT INTO passes (family_id, ref, secret_hash, label, valid_from, valid_until,"
            " issued_at) VALUES (:family_id, :ref, :secret_hash, :label, :valid_from,"
            " :valid_until, :issued_at)",
            row,
        )
        return int(cursor.lastrowid or 0)

    def mark_revoked(self, pass_id: int, at: str, reason: str) -> None:
        """Record that a pass was revoked (only the first revocation counts)."""
        self.execute(
            "UPDATE passes SET revoked_at = ?, revoked_reason = ?"
            " WHERE id = ? AND revoked_at IS NULL",
            (at, reason, pass_id),
        )

    def revoked_refs(self) -> set[str]:
        """Staff references of every revoked pass (to clear their files from a folder)."""
        return {r["ref"] for r in self.query(
            "SELECT ref FROM passes WHERE revoked_at IS NOT NULL")}
