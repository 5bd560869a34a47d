"""SQL for families, pupils, guardians and consents."""

from __future__ import annotations

from typing import Any

from kiosk.store.base import StoreBase


class RosterQueries(StoreBase):
    """Reads and writes of the school roster (imported from the MIS)."""

    def family(self, family_id: str) -> dict[str, Any] | None:
        """One family row, or None."""
        return self.query_one("SELECT * FROM families WHERE id = ?", (family_id,))

    def families(self) -> list[dict[str, Any]]:
        """Every family, by id."""
        return self.query("SELECT * FROM families ORDER BY id")

    def pupil(self, pupil_id: str) -> dict[str, Any] | None:
        """One pupil row by MIS id, or None."""
        return self.query_one("SELECT * FROM pupils WHERE id = ?", (pupil_id,))

    def pupils(self, *, on_roll_only: bool = True) -> list[dict[str, Any]]:
        """Pupils ordered by class then surname then first name."""
        where = "WHERE on_roll = 1" if on_roll_only else ""
        return self.query(
            f"SELECT * FROM pupils {where} ORDER BY class_name, surname, first_name, id"
        )

    def pupils_of_family(self, family_id: str) -> list[dict[str, Any]]:
        """The family's pupils on roll, youngest class last (by class then first name)."""
        return self.query(
            "SELECT * FROM pupils WHERE family_id = ? AND on_roll = 1"
            " ORDER BY class_name, first_name",
            (family_id,),
        )

    def guardians_of_family(self, family_id: str) -> list[dict[str, Any]]:
        """The family's guardians."""
        return self.query(
            "SELECT * FROM guardians WHERE family_id = ? ORDER BY id", (family_id,)
        )

    def consent_rows(
        self, category: str, pupil_ids: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Consent answers for one category, for the given pupils (or all)."""
        if pupil_ids is None:
            return self.query("SELECT * FROM consents WHERE category = ?", (category,))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(pupil_ids), 500):
            chunk = pupil_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += self.query(
                f"SELECT * FROM consents WHERE category = ? AND pupil_id IN ({marks})",
                (category, *chunk),
            )
        return rows

    def upsert_family(self, row: dict[str, Any]) -> None:
        """Insert or update a family by id."""
        self.db["families"].upsert(row, pk="id")

    def upsert_pupil(self, row: dict[str, Any]) -> None:
        """Insert or update a pupil by id."""
        self.db["pupils"].upsert(row, pk="id")

    def upsert_guardian(self, row: dict[str, Any]) -> int:
        """Insert or update a guardian by (family, name); return its id."""
        existing = self.query_one(
            "SELECT id FROM guardians WHERE family_id = ? AND name = ?",
            (row["family_id"], row["name"]),
        )
        if existing:
            self.db["guardians"].update(existing["id"], row)
            return int(existing["id"])
        return int(self.db["guardians"].insert(row).last_pk)

    def link_guardian(self, pupil_id: str, guardian_id: int) -> None:
        """Record that a guardian is responsible for a pupil (idempotent)."""
        self.execute(
            "INSERT OR IGNORE INTO pupil_guardians (pupil_id, guardian_id) VALUES (?, ?)",
            (pupil_id, guardian_id),
        )

    def upsert_consent(self, row: dict[str, Any]) -> None:
        """Insert or update one answer keyed by (pupil, category, given_by)."""
        self.execute(
            "INSERT INTO consents (pupil_id, category, value, given_by, recorded_at,"
            " valid_until, withdrawn_at, source)"
            " VALUES (:pupil_id, :category, :value, :given_by, :recorded_at,"
            " :valid_until, :withdrawn_at, :source)"
            " ON CONFLICT (pupil_id, category, given_by) DO UPDATE SET"
            " value = excluded.value, recorded_at = excluded.recorded_at,"
            " valid_until = excluded.valid_until, withdrawn_at = excluded.withdrawn_at,"
            " source = excluded.source",
            {"valid_until": None, "withdrawn_at": None, "source": "import", **row},
        )
