"""SQL for violations, their children and append-only history."""

from __future__ import annotations

from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import (
    ListedViolationRow,
    NamedHistoryRow,
    PassLinkRow,
    PupilRow,
    ViolationRow,
)

_LISTED = """
    SELECT v.*, i.title AS item_title, i.position AS item_position,
        e.name AS event_name, e.date AS event_date,
        s.name AS reporter_name, f.display_name AS family_name, p.ref AS pass_ref,
        (SELECT COUNT(*) FROM violation_children c WHERE c.violation_id = v.id)
            AS children_count
    FROM violations v
    JOIN events e ON e.id = v.event_id
    LEFT JOIN items i ON i.id = v.item_id
    LEFT JOIN staff s ON s.id = v.reported_by
    LEFT JOIN families f ON f.id = v.family_id
    LEFT JOIN passes p ON p.id = v.pass_id
"""


class ViolationTable(Area):
    """Queries for violations, their children and append-only history."""

    def by_nonce(self, nonce: str) -> ViolationRow | None:
        """The violation saved earlier with this nonce (a retried save), or None."""
        return cast(ViolationRow | None, self.query_one(
            "SELECT * FROM violations WHERE nonce = ?", (nonce,)
        ))

    def get(self, violation_id: int) -> ListedViolationRow | None:
        """One violation with its item, event, reporter, family and pass names, or None."""
        return cast(ListedViolationRow | None, self.query_one(
            _LISTED + " WHERE v.id = ?", (violation_id,)
        ))

    def rows(
        self,
        *,
        event_id: str | None = None,
        status: str | None = None,
        since: str | None = None,
        until: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[ListedViolationRow]:
        """Violations matching every given filter, newest first.

        `since`/`until` compare full ISO timestamps (until exclusive); `date_from`/`date_to`
        compare the local date the violation was logged on (both inclusive).
        """
        where: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("v.event_id = ?", event_id),
            ("v.status = ?", status),
            ("v.at >= ?", since),
            ("v.at < ?", until),
            ("substr(v.at, 1, 10) >= ?", date_from),
            ("substr(v.at, 1, 10) <= ?", date_to),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        sql = _LISTED + (" WHERE " + " AND ".join(where) if where else "")
        return cast(list[ListedViolationRow], self.query(
            sql + " ORDER BY v.at DESC, v.id DESC", params
        ))

    def insert(self, row: dict[str, Any]) -> int:
        """Save a new violation row; return its id."""
        return self.insert_row("violations", row)

    def insert_child(self, violation_id: int, pupil_id: str) -> None:
        """Link a pupil to a violation (staff-only, headteacher's record)."""
        self.execute(
            "INSERT OR IGNORE INTO violation_children (violation_id, pupil_id) VALUES (?, ?)",
            (violation_id, pupil_id),
        )

    def insert_history(self, row: dict[str, Any]) -> int:
        """Append one history entry (triggers refuse any change to earlier ones)."""
        return self.insert_row("violation_history", row)

    def set_status(
        self, violation_id: int, status: str, *, outcome: str | None = None,
        closed_at: str | None = None,
    ) -> None:
        """Move a violation along its workflow (the history row says who and when)."""
        self.execute(
            "UPDATE violations SET status = ?, outcome = COALESCE(?, outcome),"
            " closed_at = COALESCE(?, closed_at) WHERE id = ?",
            (status, outcome, closed_at, violation_id),
        )

    def children_rows(self, violation_id: int) -> list[dict[str, Any]]:
        """The pupils linked to a violation, by class then name."""
        return self.query(
            "SELECT p.id, p.first_name, p.preferred_name, p.surname, p.class_name,"
            " p.year_group, p.family_id FROM violation_children c"
            " JOIN pupils p ON p.id = c.pupil_id WHERE c.violation_id = ?"
            " ORDER BY p.class_name, p.surname, p.first_name",
            (violation_id,),
        )

    def history_rows(self, violation_id: int) -> list[NamedHistoryRow]:
        """A violation's history in the order it was written, with each staff member's name."""
        return cast(list[NamedHistoryRow], self.query(
            "SELECT h.*, s.name AS staff_name FROM violation_history h"
            " LEFT JOIN staff s ON s.id = h.staff_id"
            " WHERE h.violation_id = ? ORDER BY h.id",
            (violation_id,),
        ))

    def pupils(self, pupil_ids: list[str]) -> list[PupilRow]:
        """The pupil rows among these ids (to check children before linking them)."""
        if not pupil_ids:
            return []
        marks = ",".join("?" * len(pupil_ids))
        return cast(list[PupilRow], self.query(
            f"SELECT * FROM pupils WHERE id IN ({marks})", pupil_ids
        ))

    def pass_of(self, pass_id: int) -> PassLinkRow | None:
        """The pass a violation names (id, family and ref), or None."""
        return cast(PassLinkRow | None, self.query_one(
            "SELECT id, family_id, ref FROM passes WHERE id = ?", (pass_id,)
        ))

    def kind_counts(self, event_id: str) -> dict[str, int]:
        """How many violations of each kind an event has."""
        rows = self.query(
            "SELECT kind, COUNT(*) AS n FROM violations WHERE event_id = ? GROUP BY kind",
            (event_id,),
        )
        return {r["kind"]: r["n"] for r in rows}
