"""SQL for check-ins: decisions recorded, re-entry look-ups, seats, undo, staff lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.rows import CheckinRow, ListedCheckinRow

_LIVE = "undone_at IS NULL AND result IN ('admitted', 're_entry')"
ANY_PARTY = object()  # live_admission: any of the family's parties


class CheckinTable(Area):
    """Queries for check-ins: decisions recorded, re-entry look-ups, seats, undo."""

    def by_nonce(self, nonce: str) -> CheckinRow | None:
        """The check-in already recorded under this nonce (a repeated request), or None."""
        return cast(CheckinRow | None, self.query_one(
            "SELECT * FROM checkins WHERE nonce = ?", (nonce,)
        ))

    def get(self, checkin_id: int) -> CheckinRow | None:
        """One check-in row by id, or None."""
        return cast(CheckinRow | None, self.query_one(
            "SELECT * FROM checkins WHERE id = ?", (checkin_id,)
        ))

    def live_admission(
        self, event_id: str, family_id: str, pass_id: int | object | None = ANY_PARTY
    ) -> CheckinRow | None:
        """The party's admission to the event that has not been undone, or None.

        A party is one pass of the family (`pass_id`; None is the party checked in by
        hand without a pass); left out, the family's first admission of any party.
        """
        if pass_id is ANY_PARTY:
            return cast(CheckinRow | None, self.query_one(
                "SELECT * FROM checkins WHERE event_id = ? AND family_id = ?"
                " AND result = 'admitted' AND undone_at IS NULL ORDER BY id LIMIT 1",
                (event_id, family_id),
            ))
        return cast(CheckinRow | None, self.query_one(
            "SELECT * FROM checkins WHERE event_id = ? AND family_id = ?"
            " AND COALESCE(pass_id, 0) = COALESCE(?, 0)"
            " AND result = 'admitted' AND undone_at IS NULL",
            (event_id, family_id, pass_id),
        ))

    def live_admissions(self, event_id: str) -> list[dict[str, Any]]:
        """Every party's live admission with its latest entry and check-out (roll call).

        `last_in_at`/`last_in_kiosk` are the newest admission or re-entry of the party;
        `last_out_at` the newest check-out (None if it never left).
        """
        return self.query(
            "SELECT c.id, c.family_id, c.pass_id, c.party_size, c.at AS admitted_at,"
            " c.kiosk_id AS admitted_kiosk, f.display_name AS family_name, p.ref AS pass_ref,"
            " p.label AS pass_label,"
            " (SELECT MAX(o.at) FROM checkouts o WHERE o.checkin_id = c.id) AS last_out_at,"
            " r.at AS last_in_at, r.kiosk_id AS last_in_kiosk"
            " FROM checkins c LEFT JOIN families f ON f.id = c.family_id"
            " LEFT JOIN passes p ON p.id = c.pass_id"
            " JOIN checkins r ON r.id = (SELECT MAX(x.id) FROM checkins x"
            "   WHERE x.event_id = c.event_id AND x.family_id = c.family_id"
            "   AND COALESCE(x.pass_id, 0) = COALESCE(c.pass_id, 0)"
            "   AND x.undone_at IS NULL AND x.result IN ('admitted', 're_entry'))"
            " WHERE c.event_id = ? AND c.result = 'admitted' AND c.undone_at IS NULL"
            " ORDER BY f.display_name COLLATE NOCASE, c.id",
            (event_id,),
        )

    def insert_checkout(self, row: dict[str, Any]) -> int:
        """Record one party leaving the hall; return its id."""
        return int(self.insert_row("checkouts", row))

    def checkout_by_nonce(self, nonce: str) -> dict[str, Any] | None:
        """The check-out already recorded under this nonce, or None."""
        return self.query_one("SELECT * FROM checkouts WHERE nonce = ?", (nonce,))

    def seats_taken(self, event_id: str, family_id: str) -> int:
        """People the family has brought in so far (admissions and re-entries not undone)."""
        row = self.query_one(
            f"SELECT COALESCE(SUM(party_size), 0) AS taken FROM checkins"
            f" WHERE event_id = ? AND family_id = ? AND {_LIVE}",
            (event_id, family_id),
        )
        return int(row["taken"]) if row else 0

    def insert(self, row: dict[str, Any]) -> int:
        """Record one decision; return its id (the partial unique index refuses a 2nd admission)."""
        columns = (
            "event_id", "family_id", "pass_id", "kiosk_id", "at", "party_size", "method",
            "result", "code", "staff_id", "reason", "nonce",
        )
        values = {column: row.get(column) for column in columns}
        cursor = self.execute(
            f"INSERT INTO checkins ({', '.join(columns)})"
            f" VALUES ({', '.join(':' + c for c in columns)})",
            values,
        )
        return int(cursor.lastrowid or 0)

    def mark_undone(
        self, checkin_id: int, *, at: str, staff_id: int, reason: str
    ) -> None:
        """Mark a check-in undone (the row stays, for the record)."""
        self.execute(
            "UPDATE checkins SET undone_at = ?, undone_by = ?, undo_reason = ?"
            " WHERE id = ? AND undone_at IS NULL",
            (at, staff_id, reason, checkin_id),
        )

    def of_event(
        self, event_id: str, *, include_refused: bool = True, limit: int | None = None
    ) -> list[ListedCheckinRow]:
        """An event's check-ins with family names (staff only), newest recorded first (by id)."""
        where = "" if include_refused else " AND c.result != 'refused'"
        tail = " LIMIT ?" if limit is not None else ""
        params: tuple[Any, ...] = (event_id, limit) if limit is not None else (event_id,)
        return cast(list[ListedCheckinRow], self.query(
            "SELECT c.*, f.display_name AS family_name, p.ref AS pass_ref FROM checkins c"
            " LEFT JOIN families f ON f.id = c.family_id"
            " LEFT JOIN passes p ON p.id = c.pass_id"
            f" WHERE c.event_id = ?{where} ORDER BY c.id DESC{tail}",
            params,
        ))

    def families_by_name(self, name: str, limit: int = 50) -> list[dict[str, Any]]:
        """Families whose name or a child's surname, first or preferred name begins `name`."""
        pattern = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self.query(
            "SELECT DISTINCT f.id, f.display_name FROM families f"
            " LEFT JOIN pupils p ON p.family_id = f.id AND p.on_roll = 1"
            " WHERE f.display_name LIKE :p ESCAPE '\\' OR p.surname LIKE :p ESCAPE '\\'"
            " OR p.first_name LIKE :p ESCAPE '\\' OR p.preferred_name LIKE :p ESCAPE '\\'"
            " ORDER BY f.display_name COLLATE NOCASE, f.id LIMIT :limit",
            {"p": pattern, "limit": limit},
        )

    def families_of_pupils(self, pupil_ids: Iterable[str]) -> set[str]:
        """Ids of the families of these pupils (on roll)."""
        ids = list(pupil_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found |= {
                row["family_id"]
                for row in self.query(
                    f"SELECT DISTINCT family_id FROM pupils WHERE on_roll = 1 AND id IN ({marks})",
                    tuple(chunk),
                )
            }
        return found

    def admitted_family_ids(self, event_id: str) -> set[str]:
        """Families with a live admission to the event (of any of their parties)."""
        return {
            row["family_id"]
            for row in self.query(
                "SELECT family_id FROM checkins WHERE event_id = ?"
                " AND result = 'admitted' AND undone_at IS NULL",
                (event_id,),
            )
        }

    def totals(self, event_id: str) -> dict[str, int]:
        """Counts for the dashboard: families, parties and people in, re-entries, refusals."""
        row = self.query_one(
            "SELECT"
            " COUNT(DISTINCT CASE WHEN result = 'admitted' AND undone_at IS NULL"
            "   THEN family_id END) AS families_in,"
            " COUNT(CASE WHEN result = 'admitted' AND undone_at IS NULL THEN 1 END)"
            "   AS parties_in,"
            f" COALESCE(SUM(CASE WHEN {_LIVE} THEN party_size END), 0) AS people_in,"
            " COUNT(CASE WHEN result = 're_entry' AND undone_at IS NULL THEN 1 END)"
            "   AS re_entries,"
            " COUNT(CASE WHEN result = 'refused' THEN 1 END) AS refusals"
            " FROM checkins WHERE event_id = ?",
            (event_id,),
        )
        return {key: int(row[key] or 0) for key in row} if row else {}

    def pass_ref_of(self, pass_id: int | None) -> str | None:
        """The staff reference of a pass by id (None for no pass)."""
        if pass_id is None:
            return None
        row = self.query_one("SELECT ref FROM passes WHERE id = ?", (pass_id,))
        return row["ref"] if row else None

    def for_report(self, event_id: str) -> list[dict[str, Any]]:
        """Every check-in decision of an event (admissions, re-entries, refusals), by time."""
        return self.query(
            "SELECT id, family_id, kiosk_id, at, party_size, method, result, code,"
            " undone_at FROM checkins WHERE event_id = ? ORDER BY at, id",
            (event_id,),
        )

    def per_door(self, event_id: str) -> list[dict[str, Any]]:
        """Each door's decisions for an event: admissions, re-entries, refusals, last answer."""
        return self.query(
            "SELECT kiosk_id,"
            " COUNT(CASE WHEN result = 'admitted' AND undone_at IS NULL THEN 1 END) AS admitted,"
            " COUNT(CASE WHEN result = 're_entry' AND undone_at IS NULL THEN 1 END)"
            "   AS re_entries,"
            " COUNT(CASE WHEN result = 'refused' THEN 1 END) AS refused,"
            " MAX(at) AS last_at"
            " FROM checkins WHERE event_id = ? GROUP BY kiosk_id ORDER BY kiosk_id",
            (event_id,),
        )

    def door_changes(self, event_id: str) -> list[dict[str, Any]]:
        """Every live re-entry of a pass whose use just before it was at another door.

        Each row holds the family (id, name), the pass ref, and both uses: `first_door`,
        `first_at` (the pass's previous live admission or re-entry) and `again_door`,
        `again_at`; the caller keeps those close enough in time to matter.
        """
        return self.query(
            "SELECT r.id, r.family_id, f.display_name AS family_name, p.ref AS pass_ref,"
            " b.kiosk_id AS first_door, b.at AS first_at,"
            " r.kiosk_id AS again_door, r.at AS again_at"
            " FROM checkins r"
            " JOIN checkins b ON b.id = (SELECT MAX(x.id) FROM checkins x"
            "   WHERE x.event_id = r.event_id AND x.pass_id = r.pass_id AND x.id < r.id"
            "   AND x.undone_at IS NULL AND x.result IN ('admitted', 're_entry'))"
            " LEFT JOIN families f ON f.id = r.family_id"
            " LEFT JOIN passes p ON p.id = r.pass_id"
            " WHERE r.event_id = ? AND r.result = 're_entry' AND r.undone_at IS NULL"
            " AND r.pass_id IS NOT NULL AND b.kiosk_id != r.kiosk_id ORDER BY r.id",
            (event_id,),
        )
