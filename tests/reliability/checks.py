"""What must hold of a database file after any crash: read with a fresh connection.

The checks read the file with plain `sqlite3` (an independent reader, not the code
under test) except the audit chain, which `kiosk.audit.verify.verify` recomputes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from kiosk.audit.verify import verify
from kiosk.store import open_store

from .workers import Confirmed


def read(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows of one query on a fresh connection (which also recovers a crashed WAL)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def assert_file_sound(db: Path) -> None:
    """integrity_check is ok, no foreign key is dangling, and every audit chain verifies."""
    assert [tuple(r) for r in read(db, "PRAGMA integrity_check")] == [("ok",)]
    assert read(db, "PRAGMA foreign_key_check") == []
    store = open_store(db)
    try:
        report = verify(store)
    finally:
        store.close()
    assert report.ok, str(report.first_problem)


def assert_checkins_kept(
    db: Path, confirmed: Iterable[Confirmed], in_flight: Collection[str], event: str
) -> int:
    """Every confirmed decision is stored once, as confirmed; nothing else but in-flight ones.

    Also: each stored decision has exactly one audit entry (row and entry commit together)
    and no family has two live admissions. Returns how many confirmed decisions were checked.
    """
    rows = {r["nonce"]: r for r in read(db, "SELECT * FROM checkins WHERE event_id = ?", (event,))}
    checked = 0
    for decision in confirmed:
        row = rows.get(decision.nonce)
        assert row is not None, f"confirmed check-in {decision.nonce} was lost"
        assert (row["id"], row["code"]) == (decision.record_id, decision.code), decision
        checked += 1
    unconfirmed = set(rows) - {d.nonce for d in confirmed}
    assert unconfirmed <= set(in_flight), f"recorded but never sent: {sorted(unconfirmed)[:5]}"
    audited = read(
        db, "SELECT subject, COUNT(*) AS n FROM audit_log WHERE action LIKE 'checkin.%'"
        " AND action != 'checkin.undone' GROUP BY subject",
    )
    entries = {r["subject"]: r["n"] for r in audited}
    assert entries == {f"checkin:{r['id']}": 1 for r in rows.values()}
    doubles = read(
        db, "SELECT family_id FROM checkins WHERE result = 'admitted' AND undone_at IS NULL"
        " GROUP BY event_id, family_id HAVING COUNT(*) > 1",
    )
    assert doubles == []
    return checked


def assert_violations_kept(
    db: Path, confirmed: Iterable[Confirmed], in_flight: Collection[str]
) -> int:
    """Every confirmed violation is stored once with its 'created' history and audit entry."""
    rows = {r["nonce"]: r for r in read(db, "SELECT * FROM violations")}
    checked = 0
    for logged in confirmed:
        row = rows.get(logged.nonce)
        assert row is not None, f"confirmed violation {logged.nonce} was lost"
        assert row["id"] == logged.record_id
        checked += 1
    unconfirmed = set(rows) - {d.nonce for d in confirmed}
    assert unconfirmed <= set(in_flight), f"recorded but never sent: {sorted(unconfirmed)[:5]}"
    history = read(
        db, "SELECT violation_id, COUNT(*) AS n FROM violation_history"
        " WHERE action = 'created' GROUP BY violation_id",
    )
    assert {r["violation_id"]: r["n"] for r in history} == {r["id"]: 1 for r in rows.values()}
    audited = read(
        db, "SELECT subject, COUNT(*) AS n FROM audit_log WHERE action = 'violation.logged'"
        " GROUP BY subject",
    )
    assert {r["subject"]: r["n"] for r in audited} == {
        f"violation:{r['id']}": 1 for r in rows.values()
    }
    return checked
