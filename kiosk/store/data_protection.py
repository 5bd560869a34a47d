"""SQL for data protection: retention purge, subject access export, erasure, legal hold."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kiosk.store.base import Area
from kiosk.store.connection import translate_errors
from kiosk.store.snapshots import copy_database

_CHUNK = 500

# A family is "held" when the school has put it on legal hold; nothing of it is purged.
_HELD = "SELECT id FROM families WHERE legal_hold = 1"
_HELD_PASSES = f"SELECT id FROM passes WHERE family_id IN ({_HELD})"
_VIOLATION_HELD = f"""(
    COALESCE(v.family_id IN ({_HELD}), 0)
    OR COALESCE(v.pass_id IN ({_HELD_PASSES}), 0)
    OR EXISTS (SELECT 1 FROM violation_children c JOIN pupils p ON p.id = c.pupil_id
               WHERE c.violation_id = v.id AND p.family_id IN ({_HELD})))"""
_CONCERNS_FAMILY = """(
    v.family_id = :family
    OR v.pass_id IN (SELECT id FROM passes WHERE family_id = :family)
    OR v.id IN (SELECT c.violation_id FROM violation_children c
                JOIN pupils p ON p.id = c.pupil_id WHERE p.family_id = :family))"""
_FAMILY_CHECKINS = """(
    family_id = :family OR pass_id IN (SELECT id FROM passes WHERE family_id = :family))"""


def _chunks(ids: Sequence[Any]) -> Iterator[tuple[Sequence[Any], str]]:
    """Slices of `ids` small enough for one statement, each with its `?,?,...` marks."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        yield chunk, ",".join("?" * len(chunk))


class PrivacyTable(Area):
    """Queries behind `kiosk purge`, `kiosk export family` and `kiosk erase family`."""

    # --- retention -----------------------------------------------------------------

    def checkins_of_events_before(self, cutoff: str, *, held: bool) -> list[dict[str, Any]]:
        """Check-ins of events dated before `cutoff`: of held families, or of the rest."""
        test = "" if held else "NOT"
        return self.query(
            "SELECT c.id, c.event_id, e.date AS event_date FROM checkins c"
            " JOIN events e ON e.id = c.event_id WHERE e.date < ?"
            f" AND {test} (COALESCE(c.family_id IN ({_HELD}), 0)"
            f"  OR COALESCE(c.pass_id IN ({_HELD_PASSES}), 0))"
            " ORDER BY e.date, c.id",
            (cutoff,),
        )

    def violations_closed_before(self, cutoff: str, *, held: bool) -> list[dict[str, Any]]:
        """Closed violations whose closing date is before `cutoff`: held ones, or the rest."""
        test = "" if held else "NOT"
        return self.query(
            "SELECT v.id, v.event_id, substr(v.closed_at, 1, 10) AS closed_on"
            " FROM violations v WHERE v.status = 'closed' AND v.closed_at IS NOT NULL"
            f" AND substr(v.closed_at, 1, 10) < ? AND {test} {_VIOLATION_HELD}"
            " ORDER BY v.closed_at, v.id",
            (cutoff,),
        )

    def unclosed_violations_before(self, cutoff: str) -> list[dict[str, Any]]:
        """Violations logged before `cutoff` that are still not closed (never purged)."""
        return self.query(
            "SELECT v.id, v.event_id, v.status FROM violations v"
            " WHERE v.status != 'closed' AND substr(v.at, 1, 10) < ? ORDER BY v.at, v.id",
            (cutoff,),
        )

    def audit_personal_of_subjects(self, subjects: Sequence[str]) -> list[int]:
        """Entry ids of personal audit details whose entry names one of `subjects`."""
        found: list[int] = []
        for chunk, marks in _chunks(list(subjects)):
            found += [r["entry_id"] for r in self.query(
                "SELECT p.entry_id FROM audit_personal p JOIN audit_log a ON a.id = p.entry_id"
                f" WHERE a.subject IN ({marks})",
                chunk,
            )]
        return found

    def audit_personal_of_checkins_before(self, cutoff: str) -> list[int]:
        """Entry ids of personal details of check-in entries before `cutoff` (not held)."""
        return [r["entry_id"] for r in self.query(
            "SELECT p.entry_id FROM audit_personal p JOIN audit_log a ON a.id = p.entry_id"
            " WHERE a.action LIKE 'checkin.%' AND substr(a.at, 1, 10) < ?"
            f" AND NOT COALESCE(p.family_id IN ({_HELD}), 0)",
            (cutoff,),
        )]

    def delete_checkins(self, ids: Sequence[int]) -> int:
        """Delete check-in rows by id; return how many went."""
        gone = 0
        for chunk, marks in _chunks(list(ids)):
            self.execute(f"DELETE FROM checkouts WHERE checkin_id IN ({marks})", chunk)
            gone += self.execute(f"DELETE FROM checkins WHERE id IN ({marks})", chunk).rowcount
        return gone

    def delete_audit_personal(self, entry_ids: Sequence[int]) -> int:
        """Delete personal audit details (the chain keeps their digests and still verifies)."""
        gone = 0
        for chunk, marks in _chunks(sorted(set(entry_ids))):
            gone += self.execute(
                f"DELETE FROM audit_personal WHERE entry_id IN ({marks})", chunk
            ).rowcount
        return gone

    def delete_closed_violations(self, ids: Sequence[int]) -> int:
        """Delete closed violations with their children and history (marks, then rows).

        Call inside `immediate()`: the purge marks exist only within this transaction.
        Triggers refuse to mark a violation that is not closed.
        """
        gone = 0
        for chunk, marks in _chunks(list(ids)):
            self.execute(
                f"INSERT INTO violation_purge_marks (violation_id) SELECT id FROM violations"
                f" WHERE id IN ({marks})",
                chunk,
            )
            for table in ("violation_children", "violation_history"):
                self.execute(f"DELETE FROM {table} WHERE violation_id IN ({marks})", chunk)
            gone += self.execute(f"DELETE FROM violations WHERE id IN ({marks})", chunk).rowcount
            self.execute(
                f"DELETE FROM violation_purge_marks WHERE violation_id IN ({marks})", chunk
            )
        return gone

    # --- legal hold -----------------------------------------------------------------

    def set_legal_hold(self, family_id: str, held: bool, updated_at: str) -> None:
        """Put a family on legal hold (nothing of it is purged or erased) or release it."""
        self.execute(
            "UPDATE families SET legal_hold = ?, updated_at = ? WHERE id = ?",
            (int(held), updated_at, family_id),
        )

    # --- subject access -------------------------------------------------------------

    def family_pupils_all(self, family_id: str) -> list[dict[str, Any]]:
        """Every pupil of the family, on roll or not."""
        return self.query(
            "SELECT * FROM pupils WHERE family_id = ? ORDER BY class_name, first_name, id",
            (family_id,),
        )

    def family_guardian_links(self, family_id: str) -> list[dict[str, Any]]:
        """Which guardian is linked to which of the family's pupils."""
        return self.query(
            "SELECT l.pupil_id, l.guardian_id FROM pupil_guardians l"
            " JOIN pupils p ON p.id = l.pupil_id WHERE p.family_id = ?"
            " ORDER BY l.pupil_id, l.guardian_id",
            (family_id,),
        )

    def family_consents(self, family_id: str) -> list[dict[str, Any]]:
        """Every consent answer recorded for the family's pupils."""
        return self.query(
            "SELECT c.* FROM consents c JOIN pupils p ON p.id = c.pupil_id"
            " WHERE p.family_id = ? ORDER BY c.pupil_id, c.category, c.id",
            (family_id,),
        )

    def family_passes(self, family_id: str) -> list[dict[str, Any]]:
        """The family's passes: reference, validity and state, never the secret's hash."""
        return self.query(
            "SELECT id, ref, label, valid_from, valid_until, issued_at, revoked_at,"
            " revoked_reason FROM passes WHERE family_id = ? ORDER BY issued_at, id",
            (family_id,),
        )

    def family_checkins(self, family_id: str) -> list[dict[str, Any]]:
        """The family's check-ins (by family or by one of its passes), with the event."""
        return self.query(
            "SELECT c.id, c.event_id, e.name AS event_name, e.date AS event_date, c.at,"
            " c.kiosk_id, c.party_size, c.method, c.result, c.code, c.reason,"
            " (SELECT ref FROM passes WHERE id = c.pass_id) AS pass_ref,"
            " c.undone_at, c.undo_reason FROM checkins c JOIN events e ON e.id = c.event_id"
            " WHERE c.family_id = :family"
            " OR c.pass_id IN (SELECT id FROM passes WHERE family_id = :family)"
            " ORDER BY c.at, c.id",
            {"family": family_id},
        )

    def family_performances(self, family_id: str) -> list[dict[str, Any]]:
        """Running-order items that name one of the family's pupils individually."""
        return self.query(
            "SELECT ip.ref AS pupil_id, i.event_id, e.name AS event_name, e.date AS event_date,"
            " i.position, i.title FROM item_performers ip JOIN items i ON i.id = ip.item_id"
            " JOIN events e ON e.id = i.event_id WHERE ip.kind = 'pupil'"
            " AND ip.ref IN (SELECT id FROM pupils WHERE family_id = ?)"
            " ORDER BY e.date, i.position",
            (family_id,),
        )

    def family_violations(self, family_id: str) -> list[dict[str, Any]]:
        """Violations that concern the family: theirs, by their pass, or naming their child."""
        return self.query(
            "SELECT v.*, e.name AS event_name, e.date AS event_date, i.title AS item_title,"
            " (SELECT ref FROM passes WHERE id = v.pass_id) AS pass_ref"
            " FROM violations v JOIN events e ON e.id = v.event_id"
            f" LEFT JOIN items i ON i.id = v.item_id WHERE {_CONCERNS_FAMILY}"
            " ORDER BY v.at, v.id",
            {"family": family_id},
        )

    def children_of_violations(self, violation_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The pupils linked to these violations, with each pupil's family."""
        rows: list[dict[str, Any]] = []
        for chunk, marks in _chunks(list(violation_ids)):
            rows += self.query(
                "SELECT c.violation_id, p.id AS pupil_id, p.family_id, p.first_name,"
                " p.preferred_name, p.surname, p.class_name FROM violation_children c"
                f" JOIN pupils p ON p.id = c.pupil_id WHERE c.violation_id IN ({marks})"
                " ORDER BY c.violation_id, p.class_name, p.first_name",
                chunk,
            )
        return rows

    def history_of_violations(self, violation_ids: Sequence[int]) -> list[dict[str, Any]]:
        """History entries of these violations, oldest first (without staff identities)."""
        rows: list[dict[str, Any]] = []
        for chunk, marks in _chunks(list(violation_ids)):
            rows += self.query(
                "SELECT violation_id, at, action, detail FROM violation_history"
                f" WHERE violation_id IN ({marks}) ORDER BY at, id",
                chunk,
            )
        return rows

    def family_audit_personal(self, family_id: str) -> list[dict[str, Any]]:
        """Personal audit details tied to the family, with when and what the entry was."""
        return self.query(
            "SELECT a.id AS entry_id, a.at, a.action, a.subject, p.detail"
            " FROM audit_personal p JOIN audit_log a ON a.id = p.entry_id"
            " WHERE p.family_id = ? ORDER BY a.at, a.id",
            (family_id,),
        )

    def people_around(self, family_id: str, *, inside: bool) -> list[dict[str, Any]]:
        """Names and ids of the family's people (`inside`) or of everyone else.

        Pupils, guardians and family rows, as (id, family_id, first_name, preferred_name,
        surname, name), for redacting other people from free text in an export.
        """
        test = "=" if inside else "!="
        return self.query(
            "SELECT id, family_id, first_name, preferred_name, surname, NULL AS name"
            f" FROM pupils WHERE family_id {test} :family"
            " UNION ALL SELECT CAST(id AS TEXT), family_id, NULL, NULL, NULL, name"
            f" FROM guardians WHERE family_id {test} :family"
            " UNION ALL SELECT id, id, NULL, NULL, NULL, display_name"
            f" FROM families WHERE id {test} :family",
            {"family": family_id},
        )

    # --- erasure --------------------------------------------------------------------

    def unclosed_violations_of_family(self, family_id: str) -> list[int]:
        """Ids of violations concerning the family that are not closed yet."""
        return [r["id"] for r in self.query(
            f"SELECT v.id FROM violations v WHERE v.status != 'closed' AND {_CONCERNS_FAMILY}"
            " ORDER BY v.id",
            {"family": family_id},
        )]

    def erase_family_rows(self, family_id: str) -> dict[str, int]:
        """Delete everything held about a family; unlink it from kept violations.

        Call inside `immediate()`. Closed violations stay (the school's safeguarding
        record) without the family, its pass or its children; returns counts per table.
        """
        family = {"family": family_id}
        pupils = "(SELECT id FROM pupils WHERE family_id = :family)"
        passes = "(SELECT id FROM passes WHERE family_id = :family)"
        steps = (
            ("violation_children", f"DELETE FROM violation_children WHERE pupil_id IN {pupils}"),
            ("violations_unlinked", "UPDATE violations SET family_id = NULL, pass_id = NULL"
             f" WHERE family_id = :family OR pass_id IN {passes}"),
            ("checkouts", "DELETE FROM checkouts WHERE family_id = :family"
             f" OR pass_id IN {passes} OR checkin_id IN (SELECT id FROM checkins"
             f" WHERE {_FAMILY_CHECKINS})"),
            ("checkins", f"DELETE FROM checkins WHERE {_FAMILY_CHECKINS}"),
            ("performers", "DELETE FROM item_performers WHERE kind = 'pupil'"
             f" AND ref IN {pupils}"),
            ("consents", f"DELETE FROM consents WHERE pupil_id IN {pupils}"),
            ("guardian_links", f"DELETE FROM pupil_guardians WHERE pupil_id IN {pupils}"
             " OR guardian_id IN (SELECT id FROM guardians WHERE family_id = :family)"),
            ("passes", "DELETE FROM passes WHERE family_id = :family"),
            ("guardians", "DELETE FROM guardians WHERE family_id = :family"),
            ("pupils", "DELETE FROM pupils WHERE family_id = :family"),
            ("audit_personal", "DELETE FROM audit_personal WHERE family_id = :family"),
            ("flags", "DELETE FROM family_flags WHERE family_id = :family"),
            ("families", "DELETE FROM families WHERE id = :family"),
        )
        return {name: self.execute(sql, family).rowcount for name, sql in steps}

    def set_secure_delete(self, on: bool) -> bool:
        """Overwrite deleted content with zeros from now on (or stop); return the old value."""
        old = bool(self.scalar("PRAGMA secure_delete"))
        self.execute(f"PRAGMA secure_delete = {int(on)}")
        return old

    def copy_database_to(self, target: Path) -> None:
        """Copy the whole database into the empty file `target` (one consistent snapshot)."""
        with self._lock, translate_errors():
            copy_database(self.conn, target)

    def compact(self) -> None:
        """Rebuild the file (VACUUM) so no freed page still holds deleted content."""
        self.execute("VACUUM")

    def checkpoint_truncate(self) -> bool:
        """Copy the write-ahead log into the file and empty it; True when it fully did."""
        row = self.query_one("PRAGMA wal_checkpoint(TRUNCATE)")
        return row is not None and row["busy"] == 0
