"""`kiosk event edit|edit-item|move-item|remove-item|delete`: changes, audited, plain errors."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.checkin.service import check_in
from kiosk.cli import cli
from kiosk.clock import fixed_clock
from kiosk.store import Store
from support.checkin_school import School, build_school
from support.school import NOW


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "event", *args],
                                obj={"clock": fixed_clock(NOW)})
    return result.exit_code, result.output


def titles(db_path: Path, event: str = "nativity") -> list[str]:
    code, out = run(db_path, "show", event, "--format", "json")
    assert code == 0, out
    return [item["title"] for item in json.loads(out)["items"]]


def actions(store: Store) -> list[str]:
    return [r["action"] for r in store.query("SELECT action FROM audit_log ORDER BY id")]


def test_edit_changes_the_named_fields_only_and_is_audited(school: School, db_path: Path) -> None:
    code, out = run(db_path, "edit", "nativity", "--name", "Infant Nativity", "--date",
                    "10/12/2026", "--doors-open", "17:30", "--ends", "20:00",
                    "--open-to-all", "--seats-per-family", "4")
    assert code == 0, out
    assert "doors open" in out and "ends at" in out
    row = school.store.events.get("nativity")
    assert (row["name"], row["date"], row["doors_open"], row["ends_at"], row["open_to_all"],
            row["seats_per_family"], row["curtain"]) == ("Infant Nativity", "2026-12-10",
                                                         "17:30", "20:00", 1, 4, None)
    assert actions(school.store)[-1] == "event.edited"
    code, out = run(db_path, "edit", "nativity", "--performers-only", "--seats-per-family", "0",
                    "--ends", "none")
    row = school.store.events.get("nativity")
    assert (code, row["open_to_all"], row["seats_per_family"], row["ends_at"]) == (0, 0, None,
                                                                                   None)


@pytest.mark.parametrize("typed", ["2026-12-31", "31/12/2026"])
def test_both_date_forms_are_accepted(school: School, db_path: Path, typed: str) -> None:
    code, out = run(db_path, "create", "carols", "--name", "Carols", "--date", typed)
    assert code == 0, out
    assert school.store.events.get("carols")["date"] == "2026-12-31"


@pytest.mark.parametrize("typed", ["12-10-2026", "31/13/2026", "tomorrow"])
def test_a_bad_date_gets_our_message_not_a_strptime_pattern(db_path: Path, school: School,
                                                            typed: str) -> None:
    code, out = run(db_path, "create", "carols", "--name", "Carols", "--date", typed)
    assert code == 2
    assert "2026-12-10 or 10/12/2026" in out and "%Y" not in out
    assert school.store.events.get("carols") is None


def test_class_names_match_case_insensitively(school: School, db_path: Path) -> None:
    code, out = run(db_path, "add-item", "nativity", "Jingle Bells", "--class", "2b")
    assert code == 0, out
    code, out = run(db_path, "show", "nativity", "--format", "json")
    assert json.loads(out)["items"][-1]["performers"] == 2
    code, out = run(db_path, "add-item", "nativity", "Solo", "--class", "9z")
    assert code == 1 and "No pupils are on roll in class '9z'" in out


def test_move_edit_and_remove_items(school: School, db_path: Path) -> None:
    assert titles(db_path) == ["Little Donkey", "Away in a Manger"]
    code, out = run(db_path, "move-item", "nativity", "Away in a Manger", "--to", "1")
    assert code == 0, out
    assert titles(db_path) == ["Away in a Manger", "Little Donkey"]
    code, out = run(db_path, "edit-item", "nativity", "2", "--title", "Little Donkey (all)",
                    "--class", "r", "--class", "2B", "--starts-at", "18:10")
    assert code == 0, out
    code, out = run(db_path, "show", "nativity", "--format", "json")
    last = json.loads(out)["items"][1]
    assert (last["title"], last["performers"], last["starts_at"]) == ("Little Donkey (all)", 4,
                                                                      "18:10")
    code, out = run(db_path, "remove-item", "nativity", "1")
    assert code == 0 and titles(db_path) == ["Little Donkey (all)"]
    code, out = run(db_path, "move-item", "nativity", "1", "--to", "5")
    assert code == 1 and "between 1 and 1" in out
    code, out = run(db_path, "remove-item", "nativity", "Nope")
    assert code == 1 and "no item called 'Nope'" in out
    assert {"event.item_moved", "event.item_edited", "event.item_removed"} <= set(
        actions(school.store))


def test_delete_is_refused_once_anyone_is_in_unless_forced(school: School,
                                                           db_path: Path) -> None:
    check_in(school.store, school.tokens["F-GREEN"], "nativity", now=NOW, kiosk_id="Main door",
             nonce="x1")
    code, out = run(db_path, "delete", "nativity")
    assert code == 1 and "--force" in out
    assert school.store.events.get("nativity") is not None
    code, out = run(db_path, "delete", "nativity", "--force")
    assert code == 0, out
    assert school.store.events.get("nativity") is None
    entry = school.store.query_one(
        "SELECT detail FROM audit_log WHERE action = 'event.deleted'")
    detail = json.loads(entry["detail"])
    assert (detail["forced"], detail["checkins"], len(detail["checkin_ids"])) == (True, 1, 1)
    verified = CliRunner().invoke(cli, ["--db", str(db_path), "audit", "verify"],
                                  obj={"clock": fixed_clock(NOW)})
    assert verified.exit_code == 0, verified.output
    code, out = run(db_path, "delete", "concert")
    assert code == 0 and school.store.events.get("concert") is None
