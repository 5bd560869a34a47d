"""Retention purge: removes exactly what the settings say, keeps open, recent and held records."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.audit import verify as audit
from kiosk.cli import cli
from kiosk.privacy.retention import (
    DEFAULT_CHECKIN_DAYS,
    DEFAULT_VIOLATION_YEARS,
    RetentionError,
    plan_purge,
    purge,
    retention_policy,
    set_retention,
    years_before,
)
from kiosk.store import Store
from support.data_protection_school import NAMES, NOW, School

pytest_plugins = ("support.data_protection_fixtures",)  # the fixture school


def _ids(store: Store, table: str) -> set[int]:
    return {r["id"] for r in store.query(f"SELECT id FROM {table}")}


def test_defaults_are_30_days_and_6_years(store: Store) -> None:
    policy = retention_policy(store)
    assert (policy.checkin_days, policy.violation_years) == (30, 6)
    assert (DEFAULT_CHECKIN_DAYS, DEFAULT_VIOLATION_YEARS) == (30, 6)


def test_purge_removes_exactly_what_it_should(school_store: tuple[Store, School]) -> None:
    store, school = school_store
    v = school.violations
    gone_checkins = {school.checkins[("F-ROSE", "harvest")],
                     school.checkins[("F-THORN", "harvest")]}
    checkins_before, violations_before = _ids(store, "checkins"), _ids(store, "violations")
    personal_before = store.query("SELECT entry_id FROM audit_personal")

    plan = purge(store, now=NOW)

    assert {r["id"] for r in plan.checkins} == gone_checkins
    assert _ids(store, "checkins") == checkins_before - gone_checkins
    assert {r["id"] for r in plan.violations} == {v["old_closed"]}
    assert _ids(store, "violations") == violations_before - {v["old_closed"]}
    for table in ("violation_children", "violation_history"):
        left = store.query(f"SELECT 1 FROM {table} WHERE violation_id = ?", (v["old_closed"],))
        assert left == []
    assert store.query("SELECT * FROM violation_purge_marks") == []
    # Kept on purpose: the open 2019 violation, the held family's, this week's.
    assert plan.unclosed_old_violations == [v["old_open"]]
    assert (plan.held_checkins, plan.held_violations) == (1, 1)
    assert school.checkins[("F-HOLD", "harvest")] in _ids(store, "checkins")
    # Personal audit details of the purged records went; the chain still verifies.
    purged_subjects = {f"checkin:{i}" for i in gone_checkins} | {f"violation:{v['old_closed']}"}
    subjects = {r["subject"] for r in store.query(
        "SELECT a.subject FROM audit_personal p JOIN audit_log a ON a.id = p.entry_id")}
    assert not subjects & purged_subjects
    assert len(plan.audit_personal) == len(personal_before) - len(
        store.query("SELECT entry_id FROM audit_personal"))
    assert audit.verify(store).ok


def test_the_purge_is_audited_with_counts_and_ids_only(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    purge(store, now=NOW, actor="staff:1", kiosk_id="office")
    entry = store.query_one("SELECT * FROM audit_log WHERE action = 'retention.purged'")
    detail = json.loads(entry["detail"])
    assert detail["checkins"] == 2 and detail["violations"] == 1
    assert detail["violation_ids"] == [school.violations["old_closed"]]
    assert entry["personal_digest"] is None
    text = json.dumps(entry)
    for names in NAMES.values():
        for name in names:
            assert name not in text


def test_dry_run_lists_but_changes_nothing(school_store: tuple[Store, School]) -> None:
    store, _ = school_store
    dump_before = list(store.conn.iterdump())
    plan = purge(store, now=NOW, dry_run=True)
    assert plan.counts()["checkins"] == 2 and plan.counts()["violations"] == 1
    assert not plan.done
    assert list(store.conn.iterdump()) == dump_before
    assert purge(store, now=NOW).counts() == plan.counts()


def test_a_second_purge_finds_nothing(school_store: tuple[Store, School]) -> None:
    store, _ = school_store
    purge(store, now=NOW)
    assert plan_purge(store, now=NOW).counts() == {
        "checkins": 0, "violations": 0, "audit_personal": 0
    }


def test_open_violations_are_never_purged_however_old(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    set_retention(store, now=NOW, checkin_days=1, violation_years=1)
    plan = purge(store, now=NOW + timedelta(days=365 * 60))
    assert school.violations["old_open"] not in {r["id"] for r in plan.violations}
    assert school.violations["old_open"] in _ids(store, "violations")
    assert school.violations["recent_closed"] in {r["id"] for r in plan.violations}


def test_the_check_in_period_is_counted_from_the_event_date(
    school_store: tuple[Store, School],
) -> None:
    store, _ = school_store
    harvest_day = NOW.replace(month=9, day=20)
    on_the_last_day = plan_purge(store, now=harvest_day + timedelta(days=30))
    assert on_the_last_day.checkins == []
    next_day = plan_purge(store, now=harvest_day + timedelta(days=31))
    assert {r["event_id"] for r in next_day.checkins} == {"harvest"}


def test_violations_go_the_day_after_the_anniversary_of_closing(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    closed = store.query_one(
        "SELECT closed_at FROM violations WHERE id = ?", (school.violations["old_closed"],)
    )["closed_at"]
    anniversary = NOW.replace(year=int(closed[:4]) + 6, month=int(closed[5:7]),
                              day=int(closed[8:10]))
    assert school.violations["old_closed"] not in {
        r["id"] for r in plan_purge(store, now=anniversary).violations}
    assert school.violations["old_closed"] in {
        r["id"] for r in plan_purge(store, now=anniversary + timedelta(days=1)).violations}


def test_years_before_handles_29_february() -> None:
    assert years_before(NOW.date().replace(year=2028, month=2, day=29), 6).isoformat() == (
        "2022-02-28"
    )


@pytest.mark.parametrize("days", [0, -5, 100_000])
def test_absurd_periods_are_refused(store: Store, days: int) -> None:
    with pytest.raises(RetentionError):
        set_retention(store, now=NOW, checkin_days=days)
    assert retention_policy(store).checkin_days == 30


def test_a_garbled_stored_setting_is_an_error_not_a_purge(store: Store) -> None:
    store.settings.set("retention.checkin_days", "thirty")
    with pytest.raises(RetentionError, match="whole number"):
        plan_purge(store, now=NOW)


def test_the_database_refuses_to_delete_an_open_violation_or_its_history(
    school_store: tuple[Store, School],
) -> None:
    store, school = school_store
    conn = store.conn
    open_id, closed_id = school.violations["old_open"], school.violations["old_closed"]
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        conn.execute("INSERT INTO violation_purge_marks VALUES (?)", (open_id,))
    conn.rollback()
    for victim in (open_id, closed_id):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM violation_history WHERE violation_id = ?", (victim,))
        conn.rollback()
        with pytest.raises(sqlite3.IntegrityError, match="purged"):
            conn.execute("DELETE FROM violation_children WHERE violation_id = ?", (victim,))
            conn.execute("DELETE FROM violations WHERE id = ?", (victim,))
        conn.rollback()


def test_cli_dry_run_then_purge(school_db: tuple[Path, School]) -> None:
    path, _ = school_db
    runner = CliRunner()
    dry = runner.invoke(cli, ["--db", str(path), "purge", "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    listed = json.loads(dry.output)
    assert listed["counts"]["checkins"] == 2 and listed["done"] is False
    assert all(set(r) == {"id", "event_id", "event_date"} for r in listed["checkins"])
    real = runner.invoke(cli, ["--db", str(path), "purge"])
    assert real.exit_code == 0, real.output
    assert "Removed" in real.output
    shown = runner.invoke(cli, ["--db", str(path), "settings", "retention",
                                "--violation-years", "7", "--format", "json"])
    assert json.loads(shown.output) == {"checkin_days": 30, "violation_years": 7}
