"""SQL for the hash-chained audit log and its purgeable personal details."""

from __future__ import annotations

from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import AuditEntryRow, CheckinRow, CountedViolationRow, ViolationHistoryRow


class AuditTable(Area):
    """Append-only audit rows (triggers refuse UPDATE and DELETE)."""

    def last_entry(self, kiosk_id: str) -> AuditEntryRow | None:
        """The newest entry of one kiosk's chain, or None for a new chain."""
        return cast(AuditEntryRow | None, self.query_one(
            "SELECT * FROM audit_log WHERE kiosk_id = ? ORDER BY seq DESC LIMIT 1", (kiosk_id,)
        ))

    def insert_entry(self, row: dict[str, Any]) -> int:
        """Append one entry; return its id."""
        return self.insert_row("audit_log", row)

    def insert_personal(self, entry_id: int, family_id: str | None, detail: str) -> None:
        """Keep the personal part of an entry apart, so it can be purged later."""
        with self.immediate():
            self.table("audit_personal").insert(
                {"entry_id": entry_id, "family_id": family_id, "detail": detail}
            )

    def entry_at(self, kiosk_id: str, seq: int) -> AuditEntryRow | None:
        """One kiosk's entry number `seq`, or None."""
        return cast(AuditEntryRow | None, self.query_one(
            "SELECT * FROM audit_log WHERE kiosk_id = ? AND seq = ?", (kiosk_id, seq)
        ))

    def kiosks(self) -> list[str]:
        """Every kiosk id that has a chain."""
        return [r["kiosk_id"] for r in self.query(
            "SELECT DISTINCT kiosk_id FROM audit_log ORDER BY kiosk_id"
        )]

    def chain(self, kiosk_id: str) -> list[AuditEntryRow]:
        """One kiosk's entries in chain order."""
        return cast(list[AuditEntryRow], self.query(
            "SELECT * FROM audit_log WHERE kiosk_id = ? ORDER BY seq", (kiosk_id,)
        ))

    def personal_details(self) -> dict[int, str]:
        """Every kept personal detail by audit entry id (purged ones are absent)."""
        return {
            r["entry_id"]: r["detail"]
            for r in self.query("SELECT entry_id, detail FROM audit_personal")
        }

    def entry_ids(self) -> set[int]:
        """The id of every audit entry (to find personal rows that belong to none)."""
        return {r["id"] for r in self.query("SELECT id FROM audit_log")}

    def entries(
        self, *, kiosk_id: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The newest entries (of one kiosk, or all), newest first, without personal details."""
        where = "WHERE kiosk_id = ?" if kiosk_id is not None else ""
        params: tuple = (kiosk_id,) if kiosk_id is not None else ()
        return self.query(
            f"SELECT id, kiosk_id, seq, at, actor, action, subject, detail,"
            f" personal_digest IS NOT NULL AS has_personal FROM audit_log {where}"
            f" ORDER BY at DESC, id DESC LIMIT ?",
            (*params, limit),
        )

    # --- records cross-check (what the chain says against the rows it describes) -----

    def entries_about(self, prefix: str) -> list[AuditEntryRow]:
        """Every entry whose subject starts with `prefix` (e.g. 'checkin:'), in write order."""
        return cast(list[AuditEntryRow], self.query(
            "SELECT * FROM audit_log WHERE substr(subject, 1, ?) = ? ORDER BY id",
            (len(prefix), prefix),
        ))

    def entries_of_actions(self, actions: tuple[str, ...]) -> list[AuditEntryRow]:
        """Every entry recording one of `actions` (purges, erasures), in write order."""
        marks = ",".join("?" * len(actions))
        return cast(list[AuditEntryRow], self.query(
            f"SELECT * FROM audit_log WHERE action IN ({marks}) ORDER BY id", actions
        ))

    def personal_entry_ids(self) -> set[int]:
        """The id of every entry that committed to a personal detail (kept or not)."""
        return {r["id"] for r in self.query(
            "SELECT id FROM audit_log WHERE personal_digest IS NOT NULL")}

    def pass_rows(self) -> list[dict[str, Any]]:
        """Every pass row, by id (to compare with its `pass.issued` entry)."""
        return self.query("SELECT * FROM passes ORDER BY id")

    def checkin_rows(self) -> list[CheckinRow]:
        """Every check-in row, by id (to compare with its audit entries)."""
        return cast(list[CheckinRow], self.query("SELECT * FROM checkins ORDER BY id"))

    def violation_rows(self) -> list[CountedViolationRow]:
        """Every violation row with its linked-children count, by id."""
        return cast(list[CountedViolationRow], self.query(
            "SELECT v.*, (SELECT COUNT(*) FROM violation_children c"
            " WHERE c.violation_id = v.id) AS children_count,"
            " (SELECT json_group_array(pupil_id) FROM (SELECT pupil_id FROM violation_children c"
            "  WHERE c.violation_id = v.id ORDER BY pupil_id)) AS children_ids"
            " FROM violations v ORDER BY v.id"
        ))

    def violation_history(self) -> list[ViolationHistoryRow]:
        """Every violation history row, in the order written."""
        return cast(list[ViolationHistoryRow], self.query(
            "SELECT * FROM violation_history ORDER BY id"
        ))
