"""SQL for families, pupils, guardians and consents."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

from kiosk.store.base import Area
from kiosk.store.connection import translate_errors
from kiosk.store.rows import ConsentRow, FamilyRow, GuardianRow, PupilRow

_PUPIL_COLUMNS = (
    "id", "family_id", "first_name", "preferred_name", "surname", "class_name", "year_group",
    "on_roll", "left_at", "updated_at",
)
_UPSERT_PUPIL = (
    f"INSERT INTO pupils ({', '.join(_PUPIL_COLUMNS)})"
    f" VALUES ({', '.join(':' + c for c in _PUPIL_COLUMNS)})"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _PUPIL_COLUMNS[1:])
)
_UPSERT_CONSENT = (
    "INSERT INTO consents (pupil_id, category, value, given_by, recorded_at,"
    " valid_until, withdrawn_at, source)"
    " VALUES (:pupil_id, :category, :value, :given_by, :recorded_at,"
    " :valid_until, :withdrawn_at, :source)"
    " ON CONFLICT (pupil_id, category, given_by) DO UPDATE SET"
    " value = excluded.value, recorded_at = excluded.recorded_at,"
    " valid_until = excluded.valid_until, withdrawn_at = excluded.withdrawn_at,"
    " source = excluded.source"
)


class FamilyTable(Area):
    """Reads and writes of the school roster (imported from the MIS)."""

    def get(self, family_id: str) -> FamilyRow | None:
        """One family row, or None."""
        return cast(FamilyRow | None, self.query_one(
            "SELECT * FROM families WHERE id = ?", (family_id,)
        ))

    def all(self) -> list[FamilyRow]:
        """Every family, by id."""
        return cast(list[FamilyRow], self.query("SELECT * FROM families ORDER BY id"))

    def pupil(self, pupil_id: str) -> PupilRow | None:
        """One pupil row by MIS id, or None."""
        return cast(PupilRow | None, self.query_one(
            "SELECT * FROM pupils WHERE id = ?", (pupil_id,)
        ))

    def pupils(self, *, on_roll_only: bool = True) -> list[PupilRow]:
        """Pupils ordered by class then surname then first name."""
        where = "WHERE on_roll = 1" if on_roll_only else ""
        return cast(list[PupilRow], self.query(
            f"SELECT * FROM pupils {where} ORDER BY class_name, surname, first_name, id"
        ))

    def class_members(self, class_names: Iterable[str]) -> dict[str, list[str]]:
        """Ids of the on-roll pupils of each named class (only two columns read: fast)."""
        members: dict[str, list[str]] = {name: [] for name in class_names}
        if members:
            with self._lock, translate_errors():
                rows = self.conn.execute(
                    "SELECT class_name, id FROM pupils WHERE on_roll = 1 AND class_name IN"
                    " (SELECT value FROM json_each(?)) ORDER BY class_name, id",
                    (json.dumps(sorted(members)),),
                ).fetchall()
            for class_name, pupil_id in rows:
                members[class_name].append(pupil_id)
        return members

    def pupils_of_family(self, family_id: str) -> list[PupilRow]:
        """The family's pupils on roll, youngest class last (by class then first name)."""
        return cast(list[PupilRow], self.query(
            "SELECT * FROM pupils WHERE family_id = ? AND on_roll = 1"
            " ORDER BY class_name, first_name",
            (family_id,),
        ))

    def guardians_of_family(self, family_id: str) -> list[GuardianRow]:
        """The family's guardians."""
        return cast(list[GuardianRow], self.query(
            "SELECT * FROM guardians WHERE family_id = ? ORDER BY id", (family_id,)
        ))

    def consent_rows(
        self, category: str, pupil_ids: list[str] | None = None
    ) -> list[ConsentRow]:
        """Consent answers for one category, for the given pupils (or all)."""
        if pupil_ids is None:
            return cast(list[ConsentRow], self.query(
                "SELECT * FROM consents WHERE category = ?", (category,)
            ))
        rows: list[ConsentRow] = []
        for start in range(0, len(pupil_ids), 500):
            chunk = pupil_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += cast(list[ConsentRow], self.query(
                f"SELECT * FROM consents WHERE category = ? AND pupil_id IN ({marks})",
                (category, *chunk),
            ))
        return rows

    def upsert_family(self, row: dict[str, Any]) -> None:
        """Insert or update a family by id."""
        with self.immediate():
            self.table("families").upsert(row, pk="id")

    def upsert_pupil(self, row: dict[str, Any]) -> None:
        """Insert or update a pupil by id."""
        with self.immediate():
            self.table("pupils").upsert(row, pk="id")

    def upsert_guardian(self, row: dict[str, Any]) -> int:
        """Insert or update a guardian by (family, name); return its id."""
        with self.immediate():
            existing = self.query_one(
                "SELECT id FROM guardians WHERE family_id = ? AND name = ?",
                (row["family_id"], row["name"]),
            )
            if existing:
                self.table("guardians").update(existing["id"], row)
                return int(existing["id"])
            return self.insert_row("guardians", row)

    def link_guardian(self, pupil_id: str, guardian_id: int) -> None:
        """Record that a guardian is responsible for a pupil (idempotent)."""
        self.execute(
            "INSERT OR IGNORE INTO pupil_guardians (pupil_id, guardian_id) VALUES (?, ?)",
            (pupil_id, guardian_id),
        )

    def upsert_consent(self, row: dict[str, Any]) -> None:
        """Insert or update one answer keyed by (pupil, category, given_by)."""
        self.execute(
            _UPSERT_CONSENT,
            {"valid_until": None, "withdrawn_at": None, "source": "import", **row},
        )

    # Bulk reads and writes for the roster importer (one transaction per import).

    def guardians(self) -> list[GuardianRow]:
        """Every guardian row."""
        return cast(list[GuardianRow], self.query("SELECT * FROM guardians ORDER BY id"))

    def guardian_links(self) -> list[dict[str, Any]]:
        """Every (pupil_id, guardian_id) link."""
        return self.query("SELECT * FROM pupil_guardians")

    def guardians_of_pupil(self, pupil_id: str) -> list[GuardianRow]:
        """The guardians linked to one pupil."""
        return cast(list[GuardianRow], self.query(
            "SELECT g.* FROM guardians g JOIN pupil_guardians l ON l.guardian_id = g.id"
            " WHERE l.pupil_id = ? ORDER BY g.id",
            (pupil_id,),
        ))

    def consents_given_by(self, given_by: str) -> list[dict[str, Any]]:
        """Every consent answer recorded under one `given_by` (e.g. the school record)."""
        return self.query("SELECT * FROM consents WHERE given_by = ?", (given_by,))

    def consent_row(self, pupil_id: str, category: str, given_by: str) -> dict[str, Any] | None:
        """One answer by (pupil, category, given_by), or None."""
        return self.query_one(
            "SELECT * FROM consents WHERE pupil_id = ? AND category = ? AND given_by = ?",
            (pupil_id, category, given_by),
        )

    def consents_of_pupil(self, pupil_id: str) -> list[ConsentRow]:
        """Every answer about one pupil, by category then who gave it."""
        return cast(list[ConsentRow], self.query(
            "SELECT * FROM consents WHERE pupil_id = ? ORDER BY category, given_by", (pupil_id,)
        ))

    def _many(self, sql: str, rows: Sequence[dict[str, Any]] | Sequence[tuple]) -> None:
        if rows:
            with self.immediate():
                self.conn.executemany(sql, rows)

    def save_families(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert families, or update their display name (created_at is kept)."""
        self._many(
            "INSERT INTO families (id, display_name, created_at, updated_at)"
            " VALUES (:id, :display_name, :created_at, :updated_at)"
            " ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name,"
            " updated_at = excluded.updated_at",
            rows,
        )

    def save_pupils(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert or update pupils (every column given)."""
        self._many(_UPSERT_PUPIL, rows)

    def mark_pupils_left(self, pupil_ids: Iterable[str], at: str) -> None:
        """Take pupils off roll (kept, not deleted: consents and history stay findable)."""
        self._many(
            "UPDATE pupils SET on_roll = 0, left_at = ?, updated_at = ? WHERE id = ?",
            [(at, at, pid) for pid in pupil_ids],
        )

    def save_consents(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert or update answers keyed by (pupil, category, given_by)."""
        self._many(_UPSERT_CONSENT, rows)

    def insert_guardian(self, row: dict[str, Any]) -> int:
        """Add a guardian to a family; return its id."""
        cursor = self.execute(
            "INSERT INTO guardians (family_id, name, relationship, email, phone)"
            " VALUES (:family_id, :name, :relationship, :email, :phone)",
            row,
        )
        return int(cursor.lastrowid or 0)

    def update_guardians(self, rows: Sequence[dict[str, Any]]) -> None:
        """Update guardians' name and contact details by id."""
        self._many(
            "UPDATE guardians SET name = :name, relationship = :relationship, email = :email,"
            " phone = :phone WHERE id = :id",
            rows,
        )

    def set_guardian_links(self, links: dict[str, list[int]]) -> None:
        """Make exactly these guardians linked to each pupil named (others keep theirs)."""
        with self.immediate():
            self._many(
                "DELETE FROM pupil_guardians WHERE pupil_id = ?", [(pid,) for pid in links]
            )
            self._many(
                "INSERT OR IGNORE INTO pupil_guardians (pupil_id, guardian_id) VALUES (?, ?)",
                [(pid, gid) for pid, gids in links.items() for gid in gids],
            )

    def delete_unlinked_guardians(self, family_ids: Iterable[str]) -> int:
        """Remove guardians of these families who no longer belong to any pupil."""
        return self.execute(
            "DELETE FROM guardians WHERE family_id IN (SELECT value FROM json_each(?))"
            " AND id NOT IN (SELECT guardian_id FROM pupil_guardians)",
            (json.dumps(sorted(set(family_ids))),),
        ).rowcount

    def flag(self, family_id: str) -> dict[str, Any] | None:
        """The family's staff-only flag (note, when, by whom), or None."""
        return self.query_one("SELECT * FROM family_flags WHERE family_id = ?", (family_id,))

    def set_flag(self, family_id: str, note: str, at: str, by: str) -> None:
        """Flag a family (or replace its note)."""
        self.execute(
            "INSERT INTO family_flags (family_id, note, flagged_at, flagged_by)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (family_id) DO UPDATE SET note = excluded.note,"
            " flagged_at = excluded.flagged_at, flagged_by = excluded.flagged_by",
            (family_id, note, at, by),
        )

    def clear_flag(self, family_id: str) -> bool:
        """Remove a family's flag; True when there was one."""
        cursor = self.execute("DELETE FROM family_flags WHERE family_id = ?", (family_id,))
        return cursor.rowcount > 0

    def flagged(self) -> list[dict[str, Any]]:
        """Every flagged family with its name, by name."""
        return self.query(
            "SELECT g.*, f.display_name FROM family_flags g JOIN families f"
            " ON f.id = g.family_id ORDER BY f.display_name COLLATE NOCASE, g.family_id"
        )

    def count_named(self, display_name: str) -> int:
        """How many families carry this display name (case aside): two Smith households."""
        return int(self.scalar(
            "SELECT COUNT(*) FROM families WHERE display_name = ? COLLATE NOCASE",
            (display_name,),
        ) or 0)
