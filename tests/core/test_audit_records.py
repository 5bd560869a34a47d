"""Records cross-check: check-ins, violations and history edited behind the program's back
(raw sqlite3, triggers dropped) are caught and named; purge and erasure are not flagged."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXED_NOW

from kiosk.audit import verify as audit
from kiosk.checkin.service import check_in, undo_check_in
from kiosk.cli import cli
from kiosk.demo.school import build_demo, demo_passes
from kiosk.privacy.erasure import erase_family
from kiosk.privacy.retention import purge
from kiosk.store import open_store
from kiosk.violations.workflow import acknowledge, add_note, close, log_violation
from support.data_protection_school import NOW, School

pytest_plugins = ("support.data_protection_fixtures",)  # the fixture school

GUARDS = ("violation_history_no_update", "violation_history_no_delete",
          "violation_history_no_replace", "violations_no_delete_unless_marked")


@pytest.fixture
def worked(school_db: tuple[Path, School]) -> tuple[Path, School]:
    """The fixture school plus an acknowledged, noted violation, an undo and a refusal."""
    path, school = school_db
    store = open_store(path)
    head = school.staff_id
    open_id = school.violations["old_open"]
    acknowledge(store, open_id, staff_id=head, now=NOW, kiosk_id="office")
    add_note(store, open_id, "Parent phoned back.", staff_id=head,
             now=NOW + timedelta(minutes=1), kiosk_id="office")
    undo_check_in(store, school.checkins[("F-ROSE", "nativity")], reason="Wrong family",
                  staff_id=head, now=NOW, kiosk_id="door-1")
    check_in(store, "hello", "nativity", now=NOW, kiosk_id="door-2", nonce="junk")
    store.close()
    return path, school


def _report(path: Path) -> audit.AuditReport:
    store = open_store(path)
    try:
        return audit.verify(store)
    finally:
        store.close()


def _tamper(path: Path, sql: str, params: tuple = ()) -> None:
    """One raw edit with the append-only guards dropped first."""
    conn = sqlite3.connect(path, isolation_level=None)
    for trigger in GUARDS:
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute(sql, params)
    conn.close()


def _first(path: Path) -> str:
    report = _report(path)
    assert report.chain_ok, "the chains themselves were not touched"
    assert not report.ok and not report.records_ok
    return report.record_problems[0]


def test_worked_school_verifies_with_counts(worked: tuple[Path, School]) -> None:
    report = _report(worked[0])
    assert report.ok, report.record_problems
    assert report.records_checked == {"checkins": 7, "violations": 4, "violation_history": 9,
                                      "passes": 3}


def test_violation_kind_edit_is_named(worked: tuple[Path, School]) -> None:
    path, school = worked
    number = school.violations["recent_closed"]
    _tamper(path, "UPDATE violations SET kind = 'other' WHERE id = ?", (number,))
    assert _first(path) == (f"violation {number}: kind is 'other' but the audit log recorded"
                            " 'filmed_other_children'")


@pytest.mark.parametrize(("column", "value", "said"), [
    ("outcome", "Nothing happened.", "outcome"),
    ("description", "Filmed nobody.", "description"),
    ("status", "open", "status"),
    ("closed_at", "2026-12-11T09:00:00+00:00", "closing time"),
    ("action_taken", "left_event", "action taken"),
    ("family_id", "F-ROSE", "family id"),
])
def test_violation_column_edits_are_caught(
    worked: tuple[Path, School], column: str, value: str, said: str,
) -> None:
    path, school = worked
    number = school.violations["recent_closed"]
    _tamper(path, f"UPDATE violations SET {column} = ? WHERE id = ?", (value, number))
    assert _first(path).startswith(f"violation {number}: {said} is {value!r} but")


def test_deleted_children_links_are_caught(worked: tuple[Path, School]) -> None:
    path, school = worked
    number = school.violations["recent_closed"]
    _tamper(path, "DELETE FROM violation_children WHERE violation_id = ?", (number,))
    assert _first(path) == (f"violation {number}: number of children linked is 0 but the"
                            " audit log recorded 1")


def test_rewritten_history_is_caught(worked: tuple[Path, School]) -> None:
    path, school = worked
    number = school.violations["old_open"]
    _tamper(path, "UPDATE violation_history SET detail = 'Nobody phoned.'"
            " WHERE violation_id = ? AND action = 'note'", (number,))
    assert _first(path) == (f"violation {number}, history step 3: text is 'Nobody phoned.'"
                            " but the audit log recorded 'Parent phoned back.'")


def test_rewritten_history_action_and_deleted_step_are_caught(
    worked: tuple[Path, School],
) -> None:
    path, school = worked
    number = school.violations["old_open"]
    _tamper(path, "UPDATE violation_history SET action = 'closed'"
            " WHERE violation_id = ? AND action = 'acknowledged'", (number,))
    assert _first(path).startswith(f"violation {number}, history step 2: action is 'closed'")
    _tamper(path, "DELETE FROM violation_history WHERE violation_id = ? AND action = 'note'",
            (number,))
    assert _first(path) == (f"violation {number}: it has 2 history steps but the audit log"
                            " recorded 3")


def test_deleted_violation_is_caught(worked: tuple[Path, School]) -> None:
    path, school = worked
    number = school.violations["old_open"]
    _tamper(path, "DELETE FROM violation_history WHERE violation_id = ?", (number,))
    _tamper(path, "DELETE FROM violations WHERE id = ?", (number,))
    assert _first(path) == (f"violation {number}: it is in the audit log but its record"
                            " is missing")


@pytest.mark.parametrize(("sql", "said"), [
    ("UPDATE checkins SET result = 'refused', code = 'revoked' WHERE id = ?",
     "code is 'revoked' but the audit log recorded 'admitted"),
    ("UPDATE checkins SET family_id = 'F-ROSE' WHERE id = ?",
     "family is 'F-ROSE' but the audit log recorded 'F-THORN'"),
    ("UPDATE checkins SET at = '2026-12-10T16:00:00+00:00' WHERE id = ?",
     "time is '2026-12-10T16:00:00+00:00' but the audit log recorded"),
    ("UPDATE checkins SET kiosk_id = 'door-9' WHERE id = ?",
     "door is 'door-9' but the audit log recorded 'door-1'"),
    ("UPDATE checkins SET undone_at = '2026-12-10T18:00:00+00:00', undone_by = 1 WHERE id = ?",
     "it is marked undone but the audit log recorded no undo"),
    ("DELETE FROM checkins WHERE id = ?",
     "it is in the audit log but its record is missing"),
])
def test_checkin_edits_are_caught(worked: tuple[Path, School], sql: str, said: str) -> None:
    path, school = worked
    checkin_id = school.checkins[("F-THORN", "nativity")]
    _tamper(path, sql, (checkin_id,))
    assert _first(path).startswith(f"check-in {checkin_id}: {said}")


def test_undo_reason_edit_and_unaudited_checkin_are_caught(
    worked: tuple[Path, School],
) -> None:
    path, school = worked
    checkin_id = school.checkins[("F-ROSE", "nativity")]
    _tamper(path, "UPDATE checkins SET undo_reason = 'No reason' WHERE id = ?", (checkin_id,))
    assert _first(path) == (f"check-in {checkin_id}: undo reason is 'No reason' but the"
                            " audit log recorded 'Wrong family'")
    _tamper(path, "INSERT INTO checkins (event_id, kiosk_id, at, method, result, code, nonce)"
            " VALUES ('nativity', 'door-1', '2026-12-10T17:00:00+00:00', 'camera', 'admitted',"
            " 'admitted', 'forged')")
    assert _report(path).record_problems[-1].endswith(
        "the audit log has 0 entries for its decision, not 1")


def test_purge_and_erasure_are_not_flagged(worked: tuple[Path, School]) -> None:
    path, _ = worked
    store = open_store(path)
    try:
        done = purge(store, now=NOW)
        assert done.counts()["checkins"] and done.counts()["violations"]
        erase_family(store, "F-ROSE", now=NOW)
        report = audit.verify(store)
    finally:
        store.close()
    assert report.ok, report.record_problems
    assert report.records_checked["violations"] == 3


def test_cli_shows_both_parts_and_exits_1(worked: tuple[Path, School]) -> None:
    path, school = worked
    runner = CliRunner()
    ok = runner.invoke(cli, ["--db", str(path), "audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "OK: the audit log is intact." in ok.output
    assert "OK: the records match the audit log (7 checkins, 4 violations" in ok.output
    number = school.violations["recent_closed"]
    _tamper(path, "UPDATE violations SET kind = 'other' WHERE id = ?", (number,))
    bad = runner.invoke(cli, ["--db", str(path), "audit", "verify"])
    assert bad.exit_code == 1
    assert "OK: the audit log is intact." in bad.output
    assert (f"RECORDS CHANGED: violation {number}: kind is 'other' but the audit log"
            " recorded 'filmed_other_children'.") in bad.output
    as_json = runner.invoke(cli, ["--db", str(path), "audit", "verify", "--format", "json"])
    assert as_json.exit_code == 1 and '"records_ok": false' in as_json.output


@pytest.mark.slow
def test_demo_evening_worked_through_and_purged_verifies(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path, today=FIXED_NOW.date())
    store = open_store(path)
    try:
        at = FIXED_NOW - timedelta(hours=2)
        decisions = [
            check_in(store, demo_pass.token, "nativity", now=at + timedelta(seconds=n),
                     kiosk_id=f"door-{n % 2 + 1}", nonce=f"demo-{n}", party_size=2)
            for n, demo_pass in enumerate(demo_passes(path))
        ]
        lead = store.staff.by_name("Lee Lead")["id"]
        head = store.staff.by_name("Helen Head")["id"]
        admitted = next(d for d in decisions if d.result == "admitted")
        undo_check_in(store, admitted.checkin_id, reason="Wrong pass", staff_id=lead,
                      now=at + timedelta(minutes=5), kiosk_id="door-1")
        victim = store.families.pupils_of_family(admitted.family_id)[0]["id"]
        numbers = [
            log_violation(store, event_id="nativity", kind=kind, reported_by=lead,
                          now=at + timedelta(minutes=10 + n), kiosk_id="door-1",
                          family_id=admitted.family_id, children=[victim] if n == 0 else [],
                          description=f"Seen at item {n + 1}.", action_taken="asked_to_stop")
            for n, kind in enumerate(("filmed_child_without_permission", "filmed_staff",
                                      "posted_online"))
        ]
        later = at + timedelta(hours=1)
        acknowledge(store, numbers[0], staff_id=head, now=later, kiosk_id="office")
        add_note(store, numbers[0], "Parent phoned.", staff_id=lead, now=later,
                 kiosk_id="door-1")
        for number in numbers[:2]:
            close(store, number, "Clip deleted; letter sent.", staff_id=head, now=later,
                  kiosk_id="office")
        assert audit.verify(store).ok, audit.verify(store).record_problems
        for days_on in (40, 7 * 366):
            done = purge(store, now=FIXED_NOW + timedelta(days=days_on))
            assert done.done
            report = audit.verify(store)
            assert report.ok, report.record_problems
        assert report.records_checked == {
            "checkins": 0, "violations": 1, "violation_history": 1, "passes": 286}
    finally:
        store.close()
