"""`kiosk violations ...` on the command line: list, show, ack, note, close with a PIN."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.store import Store, open_store
from kiosk.violations.reads import violation_detail
from support.violations_school import add_violations, build_school


@pytest.fixture
def ids(store: Store, now: datetime) -> list[int]:
    school = build_school(store, now)
    found = add_violations(school, now)
    store.close()
    return found


def _run(db: Path, *args: str, pin: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db)],
                              input=None if pin is None else pin + "\n")


def _head(db: Path, *args: str) -> Result:
    """A read with names, signed by the headteacher."""
    return _run(db, *args, "--staff", "Helen Head", pin="123456")


def test_names_are_not_shown_without_a_headteachers_pin(db_path: Path, ids: list[int]) -> None:
    nobody = _run(db_path, "violations", "show", str(ids[0]))
    assert nobody.exit_code == 1 and "--staff NAME (a headteacher or above)" in nobody.output
    steward = _run(db_path, "violations", "list", "--staff", "Sam Steward", pin="123456")
    assert steward.exit_code == 1 and "Only a headteacher or above" in steward.output
    assert "Demir" not in nobody.output + steward.output


def test_list_newest_first_with_filters(db_path: Path, ids: list[int]) -> None:
    result = _head(db_path, "violations", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ids[::-1]
    opened = _head(db_path, "violations", "list", "--status", "open", "--format", "json")
    assert [r["id"] for r in json.loads(opened.stdout)] == [ids[1]]
    table = _head(db_path, "violations", "list", "--event", "nativity")
    assert table.exit_code == 0 and "Violations" in table.output
    as_csv = _head(db_path, "violations", "list", "--format", "csv").stdout
    assert "Filmed a member of staff" in as_csv and "The Demir family" in as_csv


def test_show_prints_details_children_and_history(db_path: Path, ids: list[int]) -> None:
    result = _head(db_path, "violations", "show", str(ids[0]))
    assert result.exit_code == 0, result.output
    for text in ("Filmed a child without permission", "Zoë Łukasiewicz (1B)", "The Demir family",
                 "Acknowledged", "Spoke to the family", "Closed"):
        assert text in result.output
    as_json = json.loads(_head(db_path, "violations", "show", str(ids[0]), "--format",
                              "json").stdout)
    assert [h["action"] for h in as_json["history"]] == [
        "created", "acknowledged", "note", "closed"]


def test_ack_note_close_as_headteacher(db_path: Path, ids: list[int]) -> None:
    second = str(ids[1])
    ack = _run(db_path, "violations", "ack", second, "--staff", "Helen Head", pin="123456")
    assert ack.exit_code == 0, ack.output
    note = _run(db_path, "violations", "note", second, "Seen on the CCTV too.",
                "--staff", "helen head", pin="123456")
    assert note.exit_code == 0, note.output
    done = _run(db_path, "violations", "close", second, "Letter sent home.",
                "--staff", "Helen Head", "--kiosk-id", "office", pin="123456")
    assert done.exit_code == 0, done.output
    assert "closed" in done.output
    store = open_store(db_path)
    detail = violation_detail(store, ids[1])
    store.close()
    assert detail["status"] == "closed" and detail["outcome"] == "Letter sent home."
    assert [(h["action"], h["staff_name"]) for h in detail["history"][1:]] == [
        ("acknowledged", "Helen Head"), ("note", "Helen Head"), ("closed", "Helen Head")]


def test_wrong_pin_or_role_is_an_error_and_changes_nothing(db_path: Path, ids: list[int]) -> None:
    wrong = _run(db_path, "violations", "ack", str(ids[1]), "--staff", "Helen Head", pin="999999")
    assert wrong.exit_code == 1
    assert "Error: That PIN is not right" in wrong.output
    steward = _run(db_path, "violations", "close", str(ids[1]), "done", "--staff",
                   "Sam Steward", pin="123456")
    assert steward.exit_code == 1
    assert "Error: Only a headteacher or above can do this." in steward.output
    missing = _head(db_path, "violations", "show", "999")
    assert missing.exit_code == 1 and "no violation number 999" in missing.output
    store = open_store(db_path)
    assert violation_detail(store, ids[1])["status"] == "open"
    store.close()
