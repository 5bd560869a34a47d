"""Violation workflow service: logging, nonce idempotency, roles, workflow, listing, audit."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.errors import NotFound, PermissionDenied
from kiosk.store import Store
from kiosk.violations.reads import list_violations, violation_detail
from kiosk.violations.vocabulary import ACTION_LABELS, KIND_LABELS, STATUS_LABELS, ViolationError
from kiosk.violations.workflow import acknowledge, add_note, close, log_violation
from support.violations_school import KIOSK, School, add_violations, build_school


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def _log(school: School, now: datetime, **extra) -> int:
    args = {"event_id": "nativity", "kind": "filmed_staff",
            "reported_by": school.staff["steward"], "now": now, "kiosk_id": KIOSK}
    return log_violation(school.store, **{**args, **extra})


def test_logged_violation_has_row_children_history_and_labels(school: School, now) -> None:
    vid = _log(school, now, kind="filmed_child_without_permission",
               reported_by=school.staff["lead"], item_id=school.items[1], family_id="F3",
               description="  Blue coat, front row  ", children=["p3", "p4"],
               action_taken="asked_to_stop", notes="Stopped at once.")
    detail = violation_detail(school.store, vid)
    assert detail["status"] == "open" and detail["status_label"] == "Open"
    assert detail["kind_label"] == "Filmed a child without permission"
    assert detail["action_label"] == "Asked to stop"
    assert detail["item_title"] == "The Shepherds"
    assert detail["reporter_name"] == "Lee Lead"
    assert detail["family_name"] == "The Demir family"
    assert detail["description"] == "Blue coat, front row"
    assert [(c["id"], c["name"], c["class_name"]) for c in detail["children"]] == [
        ("p4", "Yusuf Demir", "1B"), ("p3", "Zoë Łukasiewicz", "1B")]
    assert [(h["action"], h["staff_name"]) for h in detail["history"]] == [
        ("created", "Lee Lead")]
    assert detail["at"] == now.isoformat()


def test_labels_cover_every_value_the_schema_allows() -> None:
    assert set(KIND_LABELS) == {"filmed_child_without_permission", "filmed_staff",
                                "filmed_other_children", "posted_online", "other"}
    assert set(ACTION_LABELS) == {"asked_to_stop", "deleted_in_front_of_staff",
                                  "refused_to_delete", "left_event"}
    assert set(STATUS_LABELS) == {"open", "acknowledged", "closed"}


def test_same_nonce_twice_saves_one_violation(school: School, now) -> None:
    first = _log(school, now, nonce="tap-1")
    again = _log(school, now + timedelta(seconds=2), nonce="tap-1", kind="other")
    assert again == first
    assert len(list_violations(school.store)) == 1
    assert violation_detail(school.store, first)["kind"] == "filmed_staff"
    logged = [e for e in school.store.audit.entries(limit=500)
              if e["action"] == "violation.logged"]
    assert len(logged) == 1


def test_pass_links_its_family(school: School, now) -> None:
    pass_id = school.store.passes.insert({
        "family_id": "F1", "ref": "ABCD-1234", "secret_hash": "h" * 64, "label": None,
        "valid_from": "2026-09-01", "valid_until": "2027-08-31", "issued_at": "2026-09-01"})
    vid = _log(school, now, pass_id=pass_id)
    detail = violation_detail(school.store, vid)
    assert (detail["family_id"], detail["pass_ref"]) == ("F1", "ABCD-1234")
    with pytest.raises(ViolationError, match="different family"):
        _log(school, now, pass_id=pass_id, family_id="F2")


@pytest.mark.parametrize(("extra", "message"), [
    ({"kind": "waved"}, "Unknown kind"),
    ({"action_taken": "shouted"}, "Unknown action"),
    ({"family_id": "NOPE"}, "no family"),
    ({"pass_id": 999}, "no pass"),
    ({"description": "x" * 5000}, "too long"),
])
def test_bad_input_is_refused_with_a_plain_sentence(school: School, now, extra, message) -> None:
    with pytest.raises(ViolationError, match=message):
        _log(school, now, **extra)
    assert list_violations(school.store) == []


def test_item_must_belong_to_the_event_and_event_must_exist(school: School, now) -> None:
    with pytest.raises(ViolationError, match="not part of this event"):
        _log(school, now, item_id=9999)
    with pytest.raises(NotFound):
        _log(school, now, event_id="sports-day")


def test_linking_children_needs_lead_or_above(school: School, now) -> None:
    with pytest.raises(PermissionDenied, match="lead"):
        _log(school, now, children=["p3"])
    with pytest.raises(ViolationError, match="no pupil"):
        _log(school, now, reported_by=school.staff["lead"], children=["ghost"])
    assert list_violations(school.store) == []
    vid = _log(school, now, reported_by=school.staff["lead"], children=["p3"])
    assert [c["id"] for c in violation_detail(school.store, vid)["children"]] == ["p3"]


def test_only_active_staff_may_log(school: School, now) -> None:
    with pytest.raises(PermissionDenied):
        _log(school, now, reported_by=9999)


def test_workflow_open_acknowledged_closed_then_only_notes(school: School, now) -> None:
    store, head = school.store, school.staff["headteacher"]
    vid = _log(school, now)
    acknowledge(store, vid, staff_id=head, now=now, kiosk_id="office")
    with pytest.raises(ViolationError, match="already acknowledged"):
        acknowledge(store, vid, staff_id=head, now=now, kiosk_id="office")
    close(store, vid, "Family spoken to.", staff_id=head, now=now + timedelta(hours=1),
          kiosk_id="office")
    with pytest.raises(ViolationError, match="already closed"):
        close(store, vid, "Again", staff_id=head, now=now, kiosk_id="office")
    with pytest.raises(ViolationError, match="already closed"):
        acknowledge(store, vid, staff_id=head, now=now, kiosk_id="office")
    add_note(store, vid, "Parent wrote to apologise.", staff_id=head,
             now=now + timedelta(days=1), kiosk_id="office")
    detail = violation_detail(store, vid)
    assert detail["status"] == "closed" and detail["outcome"] == "Family spoken to."
    assert detail["closed_at"] == (now + timedelta(hours=1)).isoformat()
    assert [h["action"] for h in detail["history"]] == [
        "created", "acknowledged", "closed", "note"]
    assert detail["history"][-1]["detail"] == "Parent wrote to apologise."


def test_close_straight_from_open_needs_an_outcome(school: School, now) -> None:
    vid = _log(school, now)
    head = school.staff["headteacher"]
    with pytest.raises(ViolationError, match="outcome"):
        close(school.store, vid, "   ", staff_id=head, now=now, kiosk_id="office")
    close(school.store, vid, "No further action.", staff_id=head, now=now, kiosk_id="office")
    assert violation_detail(school.store, vid)["status"] == "closed"


@pytest.mark.parametrize("role", ["steward", "lead"])
def test_acknowledge_and_close_need_headteacher(school: School, now, role) -> None:
    vid = _log(school, now)
    staff_id = school.staff[role]
    with pytest.raises(PermissionDenied, match="headteacher"):
        acknowledge(school.store, vid, staff_id=staff_id, now=now, kiosk_id=KIOSK)
    with pytest.raises(PermissionDenied, match="headteacher"):
        close(school.store, vid, "done", staff_id=staff_id, now=now, kiosk_id=KIOSK)
    assert violation_detail(school.store, vid)["status"] == "open"


def test_admin_outranks_headteacher(school: School, now) -> None:
    vid = _log(school, now)
    close(school.store, vid, "Closed by admin.", staff_id=school.staff["admin"], now=now,
          kiosk_id="office")
    assert violation_detail(school.store, vid)["status"] == "closed"


def test_notes_by_the_reporter_or_headteacher_only(school: School, now) -> None:
    vid = _log(school, now, reported_by=school.staff["steward"])
    add_note(school.store, vid, "He left at the interval.", staff_id=school.staff["steward"],
             now=now, kiosk_id=KIOSK)
    with pytest.raises(PermissionDenied, match="logged it"):
        add_note(school.store, vid, "I saw it too.", staff_id=school.staff["lead"], now=now,
                 kiosk_id=KIOSK)
    with pytest.raises(ViolationError, match="note"):
        add_note(school.store, vid, "", staff_id=school.staff["steward"], now=now,
                 kiosk_id=KIOSK)
    assert [h["action"] for h in violation_detail(school.store, vid)["history"]] == [
        "created", "note"]


def test_missing_violation_is_not_found(school: School, now) -> None:
    with pytest.raises(NotFound, match="no violation number 42"):
        violation_detail(school.store, 42)
    with pytest.raises(NotFound):
        acknowledge(school.store, 42, staff_id=school.staff["headteacher"], now=now,
                    kiosk_id=KIOSK)


def test_list_filters_and_newest_first(school: School, now) -> None:
    first, second, third = add_violations(school, now)
    store = school.store
    assert [v["id"] for v in list_violations(store)] == [third, second, first]
    assert [v["id"] for v in list_violations(store, status="open")] == [second]
    assert [v["id"] for v in list_violations(store, event_id="nativity", status="closed")] == [
        first]
    assert [v["id"] for v in list_violations(store, since=now + timedelta(minutes=5))] == [
        third, second]
    assert [v["id"] for v in list_violations(store, until=now + timedelta(minutes=7))] == [first]
    assert len(list_violations(store, since=date(2026, 12, 10), until="2026-12-10")) == 3
    assert list_violations(store, since=date(2026, 12, 11)) == []
    row = list_violations(store, status="acknowledged")[0]
    assert (row["children_count"], row["kind_label"], row["family_name"]) == (
        2, "Posted online", "The 王 family")
    with pytest.raises(ViolationError, match="Status"):
        list_violations(store, status="pending")
    with pytest.raises(ViolationError, match="Dates"):
        list_violations(store, since="10/12/2026")


def test_every_step_is_audited_without_personal_text_in_the_chain(school: School, now) -> None:
    first, _, _ = add_violations(school, now)
    store = school.store
    entries = [e for e in store.audit.entries(limit=1000) if e["subject"] == f"violation:{first}"]
    assert sorted(e["action"] for e in entries) == [
        "violation.acknowledged", "violation.closed", "violation.logged", "violation.note"]
    chained = json.dumps(entries, ensure_ascii=False)
    for secret in ("blue coat", "apologised", "understood", "Resolved", "Łukasiewicz", "F3"):
        assert secret not in chained
    personal = store.audit.personal_details()
    texts = [personal[e["id"]] for e in entries if e["has_personal"]]
    assert any("blue coat" in t for t in texts)
    assert any("understood" in t for t in texts)
    logged = next(e for e in entries if e["action"] == "violation.logged")
    sealed = json.loads(logged["detail"])
    assert {k: v for k, v in sealed.items() if not k.endswith("_seal")} == {
        "event": "nativity", "kind": "filmed_child_without_permission",
        "item": school.items[1], "action_taken": "deleted_in_front_of_staff", "children": 1,
        "family_linked": True, "pass_linked": False}
    assert sorted(k for k in sealed if k.endswith("_seal")) == [
        "children_seal", "family_seal", "text_seal"]


def test_a_failed_step_saves_nothing(school: School, now) -> None:
    vid = _log(school, now)
    before = len(school.store.audit.entries(limit=1000))
    with pytest.raises(PermissionDenied):
        close(school.store, vid, "x", staff_id=school.staff["lead"], now=now, kiosk_id=KIOSK)
    assert len(school.store.audit.entries(limit=1000)) == before
    assert len(violation_detail(school.store, vid)["history"]) == 1


def _raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, as a curious person with the file would open it."""
    conn = sqlite3.connect(path, isolation_level=None)
    assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
    return conn


def test_history_is_append_only_even_from_a_raw_connection(
    school: School, now, db_path: Path
) -> None:
    vid = _log(school, now)
    school.store.close()
    conn = _raw(db_path)
    (hid,) = conn.execute("SELECT id FROM violation_history").fetchone()
    for sql in (
        "UPDATE violation_history SET detail = 'nothing happened'",
        "DELETE FROM violation_history",
        f"INSERT OR REPLACE INTO violation_history (id, violation_id, at, staff_id, action,"
        f" detail) VALUES ({hid}, {vid}, '2000-01-01', NULL, 'created', 'rewritten')",
        f"REPLACE INTO violation_history (id, violation_id, at, action)"
        f" VALUES ({hid}, {vid}, '2000-01-01', 'note')",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    assert conn.execute("SELECT detail FROM violation_history").fetchall() == [
        ("Filmed a member of staff",)]
    conn.close()


def test_history_is_append_only_through_the_store(school: School, now) -> None:
    vid = _log(school, now)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        school.store.violations.insert_history(
            {"id": 1, "violation_id": vid, "at": "x", "action": "note", "detail": "y"})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        school.store.db["violation_history"].upsert(
            {"id": 1, "violation_id": vid, "at": "x", "action": "note", "detail": "y"}, pk="id")
