"""`kiosk staff ...`: an admin's PIN first, new PINs twice and hidden, never echoed or in argv."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.staff import SignInError, authenticate
from kiosk.store import open_store
from support.school import quick_hashes as _quick


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    _quick(monkeypatch)


def _run(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "staff", *args], input=input)


ADMIN = ["--staff", "Ada Admin"]
ADMIN_PIN = "444444\n"


@pytest.fixture
def with_admin(db_path: Path) -> Path:
    """A database whose first member, Ada Admin, was added free (nobody to ask yet)."""
    open_store(db_path).close()  # `kiosk init`
    result = _run(db_path, "add", "Ada Admin", "--role", "admin", input="444444\n444444\n")
    assert result.exit_code == 0, result.output
    return db_path


def test_add_asks_the_admins_pin_then_the_new_pin_twice_hidden(with_admin: Path,
                                                               now: datetime) -> None:
    result = _run(with_admin, "add", "Lee Lead", "--role", "lead", *ADMIN,
                  input=ADMIN_PIN + "246802\n246802\n")
    assert result.exit_code == 0, result.output
    assert result.output.index("PIN for Ada Admin") < result.output.index("New PIN for Lee")
    assert "246802" not in result.output and "444444" not in result.output
    assert "Repeat for confirmation" in result.output
    assert "Added Lee Lead as lead." in result.output
    store = open_store(with_admin)
    try:
        assert authenticate(store, "Lee Lead", "246802", now=now, kiosk_id="t").role == "lead"
        added = [e for e in store.audit.chain("admin") if e["action"] == "staff.added"]
        admin_id = store.staff.by_name("Ada Admin")["id"]
        assert [e["actor"] for e in added] == ["cli", f"staff:{admin_id}"]
    finally:
        store.close()


def test_a_short_pin_from_piped_input_is_refused_plainly(with_admin: Path) -> None:
    result = _run(with_admin, "add", "Lee Lead", "--role", "lead", *ADMIN,
                  input=ADMIN_PIN + "2468\n2468\n")
    assert result.exit_code == 1
    assert "Error: A PIN must be 6 to 12 digits (shorter ones are too easy to guess)." in (
        result.output)


def test_add_refuses_a_mismatch_and_a_duplicate(with_admin: Path) -> None:
    result = _run(with_admin, "add", "Lee Lead", "--role", "lead", *ADMIN,
                  input=ADMIN_PIN + "246802\n246902\n246802\n246802\n")
    assert "do not match" in result.output
    assert result.exit_code == 0
    again = _run(with_admin, "add", "lee lead", "--role", "steward", *ADMIN,
                 input=ADMIN_PIN + "135799\n135799\n")
    assert again.exit_code == 1
    assert "Error: There is already a staff member called lee lead." in again.output


def test_list_and_reset_pin_clear_a_lock(with_admin: Path, now: datetime) -> None:
    _run(with_admin, "add", "Sam Steward", "--role", "steward", *ADMIN,
         input=ADMIN_PIN + "111111\n111111\n")
    store = open_store(with_admin)
    try:
        for attempt in range(10):
            with pytest.raises(SignInError):
                authenticate(store, "Sam Steward", "000000",
                             now=now + timedelta(minutes=10 * attempt), kiosk_id="t")
    finally:
        store.close()
    later = now + timedelta(minutes=90)
    listed = json.loads(CliRunner().invoke(cli, ["--db", str(with_admin), "staff", "list",
                                                 "--format", "json"],
                                           obj={"clock": lambda: later}).output)
    sam = next(r for r in listed if r["name"] == "Sam Steward")
    assert sam["pin"] == "locked 15 minutes on t"
    assert "pin_hash" not in sam
    result = _run(with_admin, "reset-pin", "Sam Steward", *ADMIN,
                  input=ADMIN_PIN + "864200\n864200\n")
    assert result.exit_code == 0, result.output
    assert "864200" not in result.output
    store = open_store(with_admin)
    try:
        assert authenticate(store, "Sam Steward", "864200", now=now + timedelta(minutes=90),
                            kiosk_id="t").name
    finally:
        store.close()
    table = _run(with_admin, "list").output
    assert "Sam Steward" in table and "ok" in table


def test_reset_pin_of_an_unknown_name_fails_before_asking_a_new_pin(with_admin: Path) -> None:
    result = _run(with_admin, "reset-pin", "Nobody", *ADMIN, input=ADMIN_PIN)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: There is no staff member called Nobody."
    assert "New PIN" not in result.output


def test_deactivate_and_set_role(with_admin: Path, now: datetime) -> None:
    _run(with_admin, "add", "Lee Lead", "--role", "lead", *ADMIN,
         input=ADMIN_PIN + "222222\n222222\n")
    promoted = _run(with_admin, "set-role", "Lee Lead", "headteacher", *ADMIN, input=ADMIN_PIN)
    assert promoted.exit_code == 0, promoted.output
    assert "Lee Lead is now a headteacher." in promoted.output
    gone = _run(with_admin, "deactivate", "Lee Lead", *ADMIN, input=ADMIN_PIN)
    assert gone.exit_code == 0, gone.output
    store = open_store(with_admin)
    try:
        with pytest.raises(SignInError, match="no active staff member"):
            authenticate(store, "Lee Lead", "222222", now=now, kiosk_id="t")
        actions = [e["action"] for e in store.audit.chain("admin")
                   if e["action"] != "staff.sign_in"]
        assert actions[-2:] == ["staff.role_changed", "staff.deactivated"]
    finally:
        store.close()
    last = _run(with_admin, "deactivate", "Ada Admin", *ADMIN, input=ADMIN_PIN)
    assert last.exit_code == 1
    assert "Ada Admin is the only admin; make someone else an admin first." in last.output
