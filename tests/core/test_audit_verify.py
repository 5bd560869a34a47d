"""Audit log verification: an intact log passes; edits made behind the program's back
(raw sqlite3 with the triggers dropped, or bytes changed in the file itself) are caught
and the first bad entry is named."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.audit import log as audit
from kiosk.audit.verify import AuditReport, verify
from kiosk.cli import cli
from kiosk.store import Store, open_store


def _fill(store: Store, now: datetime) -> None:
    """Two kiosks' chains, some entries with personal details."""
    for n in range(6):
        audit.append(store, kiosk_id="door-1", at=now + timedelta(minutes=n), actor="kiosk",
                     action="checkin.admitted", subject=f"test:{n}",
                     detail={"code": "admitted", "n": n},
                     personal={"note": f"family note {n}"} if n % 2 else None,
                     family_id=f"F{n}" if n % 2 else None)
    for n in range(3):
        audit.append(store, kiosk_id="door-2", at=now + timedelta(minutes=n), actor="staff:1",
                     action="checkin.refused", detail={"code": "revoked", "n": n})
    audit.append(store, kiosk_id="door-2", at=now, actor="staff:1", action="marker",
                 detail={"tag": "zqxjmarker"})


@pytest.fixture
def filled(store: Store, now: datetime, db_path: Path) -> Path:
    """A database with audit chains, closed so raw edits see everything on disk."""
    _fill(store, now)
    store.close()
    return db_path


def _verify(path: Path) -> AuditReport:
    store = open_store(path)
    try:
        return verify(store)
    finally:
        store.close()


def _tamper(path: Path, *statements: str) -> None:
    """Edit the file with a plain sqlite3 connection, dropping the guards first."""
    conn = sqlite3.connect(path, isolation_level=None)
    for trigger in ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_replace"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for sql in statements:
        conn.execute(sql)
    conn.close()


def _id_of(path: Path, kiosk: str, seq: int) -> int:
    conn = sqlite3.connect(path)
    (entry_id,) = conn.execute(
        "SELECT id FROM audit_log WHERE kiosk_id = ? AND seq = ?", (kiosk, seq)).fetchone()
    conn.close()
    return entry_id


def test_intact_log_verifies_with_counts(filled: Path) -> None:
    report = _verify(filled)
    assert report.ok and report.first_problem is None
    assert report.entries == {"door-1": 6, "door-2": 4}
    assert report.total == 10
    assert (report.personal_kept, report.personal_purged) == (3, 0)
    assert set(report.heads) == {"door-1", "door-2"}


def test_empty_log_verifies(store: Store) -> None:
    report = verify(store)
    assert report.ok and report.total == 0


def test_edited_entry_is_named(filled: Path) -> None:
    entry_id = _id_of(filled, "door-1", 3)
    _tamper(filled, f"UPDATE audit_log SET detail = '{{\"code\":\"refused\"}}' "
                    f"WHERE id = {entry_id}")
    report = _verify(filled)
    assert not report.ok
    problem = report.first_problem
    assert (problem.kiosk_id, problem.seq, problem.entry_id) == ("door-1", 3, entry_id)
    assert "changed after it was written" in problem.reason
    assert report.entries["door-2"] == 4 and len(report.problems) == 1


def test_rehashed_entry_breaks_the_next_link(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    row = dict(zip(("kiosk_id", "seq", "at", "actor", "action", "subject", "detail",
                    "personal_digest", "prev_hash"), conn.execute(
        "SELECT kiosk_id, seq, at, actor, action, subject, detail, personal_digest, prev_hash"
        " FROM audit_log WHERE kiosk_id = 'door-1' AND seq = 2").fetchone(), strict=True))
    conn.close()
    forged = {k: row[k] for k in audit.CHAINED_FIELDS} | {"actor": "someone-else"}
    store = open_store(filled)
    new_hash = audit.entry_hash(store.keys, row["prev_hash"], forged)
    store.close()
    _tamper(filled, f"UPDATE audit_log SET actor = 'someone-else', hash = '{new_hash}'"
                    " WHERE kiosk_id = 'door-1' AND seq = 2")
    problem = _verify(filled).first_problem
    assert (problem.kiosk_id, problem.seq) == ("door-1", 3)
    assert "link to the previous entry is broken" in problem.reason


def test_deleted_entry_leaves_a_named_gap(filled: Path) -> None:
    _tamper(filled, "DELETE FROM audit_personal WHERE entry_id IN (SELECT id FROM audit_log"
                    " WHERE kiosk_id = 'door-1' AND seq = 3)",
            "DELETE FROM audit_log WHERE kiosk_id = 'door-1' AND seq = 3")
    problem = _verify(filled).first_problem
    assert (problem.kiosk_id, problem.seq) == ("door-1", 4)
    assert "entries 3 to 3 are missing" in problem.reason


def test_bytes_flipped_in_the_file_are_caught(filled: Path) -> None:
    data = filled.read_bytes()
    assert data.count(b"zqxjmarker") == 1
    filled.write_bytes(data.replace(b"zqxjmarker", b"zqxkmarker"))
    report = _verify(filled)
    problem = report.first_problem
    assert (problem.kiosk_id, problem.seq) == ("door-2", 4)
    assert "changed after it was written" in problem.reason


def test_personal_details_deleted_by_hand_are_tampering(filled: Path) -> None:
    """Only a purge or an erasure (which list the entries in the chain) may remove them."""
    conn = sqlite3.connect(filled)
    conn.execute("DELETE FROM audit_personal WHERE family_id = 'F1'")
    conn.commit()
    conn.close()
    report = _verify(filled)
    assert report.chain_ok and not report.ok
    assert (report.personal_kept, report.personal_purged) == (2, 1)
    assert report.record_problems == [
        f"audit entry id {_id_of(filled, 'door-1', 2)}: its personal details are missing but"
        " no purge or erasure removed them"]


def test_altered_personal_details_are_tampering(filled: Path) -> None:
    entry_id = _id_of(filled, "door-1", 4)
    conn = sqlite3.connect(filled)
    (text,) = conn.execute("SELECT detail FROM audit_personal WHERE entry_id = ?",
                           (entry_id,)).fetchone()
    changed = json.dumps({**json.loads(text), "note": "nothing to see"})
    conn.execute("UPDATE audit_personal SET detail = ? WHERE entry_id = ?", (changed, entry_id))
    conn.commit()
    conn.close()
    problem = _verify(filled).first_problem
    assert (problem.kiosk_id, problem.seq, problem.entry_id) == ("door-1", 4, entry_id)
    assert "personal details were altered" in problem.reason


def test_personal_details_slipped_in_are_tampering(filled: Path) -> None:
    plain_entry = _id_of(filled, "door-1", 1)
    conn = sqlite3.connect(filled)
    conn.execute("INSERT INTO audit_personal (entry_id, family_id, detail) VALUES (?, 'F9', '{}')",
                 (plain_entry,))
    conn.execute("INSERT INTO audit_personal (entry_id, family_id, detail) VALUES (9999, 'F9',"
                 " '{}')")
    conn.commit()
    conn.close()
    problems = _verify(filled).problems
    assert problems[0].seq == 1
    assert "never committed to" in problems[0].reason
    assert problems[-1].entry_id == 9999 and problems[-1].kiosk_id is None
    assert "audit entry id 9999" in str(problems[-1])


def test_replace_into_audit_log_is_refused_from_a_raw_connection(filled: Path) -> None:
    conn = sqlite3.connect(filled, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("INSERT OR REPLACE INTO audit_log (id, kiosk_id, seq, at, actor, action,"
                     " detail, prev_hash, hash) SELECT id, kiosk_id, seq, at, 'x', action,"
                     " detail, prev_hash, hash FROM audit_log WHERE seq = 1 AND"
                     " kiosk_id = 'door-1'")
    for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()
    assert _verify(filled).ok


def test_cli_verify_says_ok_then_names_the_tampered_entry(filled: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify", "--db", str(filled)])
    assert ok.exit_code == 0, ok.output
    assert "OK: the audit log is intact. 2 kiosk chain(s), 10 entries" in ok.output
    assert "3 kept, 0 purged" in ok.output
    entry_id = _id_of(filled, "door-2", 2)
    _tamper(filled, f"UPDATE audit_log SET at = '2000-01-01T00:00:00' WHERE id = {entry_id}")
    bad = runner.invoke(cli, ["audit", "verify", "--db", str(filled)])
    assert bad.exit_code == 1
    assert f"TAMPERED: kiosk 'door-2', entry 2 (id {entry_id}): it was changed" in bad.output
    as_json = runner.invoke(cli, ["audit", "verify", "--db", str(filled), "--format", "json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)["problems"][0]["seq"] == 2


def test_cli_log_lists_newest_entries_without_personal_details(filled: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "log", "--db", str(filled), "--kiosk", "door-1",
                                      "--limit", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["seq"] for r in rows] == [6, 5]
    assert "family note" not in result.output
