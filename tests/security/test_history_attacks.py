"""Someone holding the database file rewrites history: `kiosk audit verify` must name it.

Every test is a raw sqlite3 edit of a real file, as an attacker with the file would make;
each passed unnoticed on the first release.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.audit import verify as audit
from kiosk.audit.log import CHAINED_FIELDS, GENESIS, canonical
from kiosk.cli import cli
from kiosk.passes.token import hash_secret
from kiosk.store import open_store
from support.data_protection_school import School

pytest_plugins = ("support.data_protection_fixtures",)


def _report(path: Path) -> audit.AuditReport:
    store = open_store(path)
    try:
        return audit.verify(store)
    finally:
        store.close()


def _raw(path: Path, *sql: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        conn.execute(statement, params if "?" in statement else ())
    conn.close()


def test_a_pass_inserted_by_hand_is_named(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    _raw(path, "INSERT INTO passes (family_id, ref, secret_hash, valid_from, valid_until,"
               " issued_at) VALUES ('F-ROSE', 'ZZZZ', ?, '2020-01-01', '2099-01-01',"
               " '2020-01-01T00:00:00+00:00')", params=(hash_secret(b"x" * 16),))
    report = _report(path)
    assert not report.ok
    assert any(p.startswith("pass ZZZZ") and "added by hand" in p
               for p in report.record_problems)


def test_a_pass_moved_to_another_family_is_named(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    _raw(path, "UPDATE passes SET family_id = 'F-THORN', valid_until = '2099-01-01'"
               " WHERE id = (SELECT MIN(id) FROM passes WHERE family_id = 'F-ROSE')")
    assert any("not the ones the audit log recorded" in p for p in _report(path).record_problems)


def test_a_checkin_moved_to_another_family_is_named_even_with_its_detail_purged(
        school_db: tuple[Path, School]) -> None:
    path, school = school_db
    checkin = school.checkins[("F-ROSE", "nativity")]
    _raw(path, "INSERT INTO families (id, display_name, created_at, updated_at)"
               " VALUES ('F-NEW', 'New', 'x', 'x')",
         f"UPDATE checkins SET family_id = 'F-NEW' WHERE id = {checkin}",
         "DELETE FROM audit_personal WHERE entry_id IN (SELECT id FROM audit_log"
         f" WHERE subject = 'checkin:{checkin}')")
    problems = _report(path).record_problems
    assert f"check-in {checkin}: family is not the one the audit log recorded (sealed)" in problems


def test_a_missing_personal_row_is_not_taken_as_purged(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    _raw(path, "DELETE FROM audit_personal WHERE entry_id = (SELECT MIN(entry_id)"
               " FROM audit_personal)")
    assert any("personal details are missing but no purge or erasure removed them" in p
               for p in _report(path).record_problems)


@pytest.mark.parametrize(("column", "value", "named"), [
    ("description", "Nothing.", "description or notes"),
    ("family_id", "F-ROSE", "family"),
    ("outcome", "Nothing was done.", "outcome"),
])
def test_a_violation_changed_after_its_detail_is_gone_is_named(
        school_db: tuple[Path, School], column: str, value: str, named: str) -> None:
    path, school = school_db
    vid = school.violations["recent_closed"]
    _raw(path, f"UPDATE violations SET {column} = ? WHERE id = {vid}",
         "DELETE FROM audit_personal WHERE entry_id IN (SELECT id FROM audit_log"
         f" WHERE subject = 'violation:{vid}')", params=(value,))
    assert any(p.startswith(f"violation {vid}: {named} is not the one")
               for p in _report(path).record_problems)


def test_linked_children_swapped_after_the_detail_is_gone_are_named(
        school_db: tuple[Path, School]) -> None:
    """Same number of children, another child: only the keyed digest of the links shows it."""
    path, school = school_db
    vid = school.violations["recent_closed"]
    _raw(path, f"UPDATE violation_children SET pupil_id = 'F-THORN-0' WHERE violation_id = {vid}",
         "DELETE FROM audit_personal WHERE entry_id IN (SELECT id FROM audit_log"
         f" WHERE subject = 'violation:{vid}')")
    assert (f"violation {vid}: children linked is not the one the audit log recorded (sealed)"
            in _report(path).record_problems)


def test_a_forged_purge_entry_cannot_be_appended_without_the_key(
        school_db: tuple[Path, School]) -> None:
    """The first release believed any retention.purged entry; its chain was plain SHA-256."""
    path, school = school_db
    vid = school.violations["recent_closed"]
    conn = sqlite3.connect(path, isolation_level=None)
    last = conn.execute("SELECT seq, hash FROM audit_log WHERE kiosk_id = 'admin'"
                        " ORDER BY seq DESC LIMIT 1").fetchone()
    entry = {"kiosk_id": "admin", "seq": last[0] + 1, "at": "2026-12-11T00:00:00+00:00",
             "actor": "cli", "action": "retention.purged", "subject": "retention",
             "detail": canonical({"violation_ids": [vid], "checkins": 0, "violations": 1,
                                  "audit_personal": 0, "personal_entries": [],
                                  "checkin_ids": []}), "personal_digest": None}
    forged = hashlib.sha256((last[1] + canonical(entry)).encode()).hexdigest()
    conn.execute("INSERT INTO audit_log (kiosk_id, seq, at, actor, action, subject, detail,"
                 " personal_digest, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                 (*(entry[f] for f in CHAINED_FIELDS), last[1], forged))
    conn.execute("DROP TRIGGER violations_no_delete_unless_marked")
    conn.execute("DROP TRIGGER violation_history_no_delete")
    conn.execute(f"DELETE FROM violation_history WHERE violation_id = {vid}")
    conn.execute(f"DELETE FROM violation_children WHERE violation_id = {vid}")
    conn.execute(f"DELETE FROM violations WHERE id = {vid}")
    conn.close()
    report = _report(path)
    assert report.first_problem is not None
    assert "changed after it was written" in report.first_problem.reason


def test_a_chain_recomputed_with_sha256_is_caught(school_db: tuple[Path, School]) -> None:
    """Without the audit key nobody can rebuild a chain after editing it."""
    path, _ = school_db
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    prev = GENESIS
    rows = conn.execute(f"SELECT id, {', '.join(CHAINED_FIELDS)} FROM audit_log"
                        " WHERE kiosk_id = 'door-1' ORDER BY seq").fetchall()
    for row in rows:
        entry = dict(zip(CHAINED_FIELDS, row[1:], strict=True))
        digest = hashlib.sha256((prev + canonical(entry)).encode()).hexdigest()
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, row[0]))
        prev = digest
    conn.close()
    problem = _report(path).first_problem
    assert problem is not None and (problem.kiosk_id, problem.seq) == ("door-1", 1)


def test_a_truncated_tail_is_caught_against_an_export(school_db: tuple[Path, School],
                                                      tmp_path: Path) -> None:
    path, _ = school_db
    out = tmp_path / "sar"
    done = CliRunner().invoke(cli, ["--db", str(path), "export", "family", "F-THORN", "--out",
                                    str(out), "--no-pdf", "--staff", "Ada Admin"],
                              input="444444\n")
    assert done.exit_code == 0, done.output
    exported = next(out.glob("*.json"))
    assert json.loads(exported.read_text())["audit_heads"]
    _raw(path, "DROP TRIGGER audit_log_no_delete",
         "DELETE FROM audit_log WHERE kiosk_id = 'admin' AND seq >="
         " (SELECT MAX(seq) - 1 FROM audit_log WHERE kiosk_id = 'admin')")
    alone = CliRunner().invoke(cli, ["--db", str(path), "audit", "verify"])
    assert alone.exit_code == 0  # the file alone cannot show a cut end...
    against = CliRunner().invoke(cli, ["--db", str(path), "audit", "verify", "--against",
                                       str(exported), "--against", str(out / exported.stem)
                                       + ".md"])
    assert against.exit_code == 1  # ...but any export made before it can
    assert "the end of the chain was cut off" in against.output


def test_no_mis_family_id_in_chained_detail(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    conn = sqlite3.connect(path)
    text = " ".join(f"{s} {d}" for s, d in conn.execute("SELECT subject, detail FROM audit_log"))
    conn.close()
    assert "F-ROSE" not in text and "F-THORN" not in text
