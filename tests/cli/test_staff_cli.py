"""`kiosk staff add/list/reset-pin`: PINs asked twice and hidden, never echoed or in argv."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from kiosk import staff as staff_service
from kiosk.cli import cli
from kiosk.staff import SignInError, authenticate
from kiosk.store import open_store


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_service, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def _run(db: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--db", str(db), "staff", *args], input=input)


def test_add_asks_the_pin_twice_hidden(db_path: Path, now: datetime) -> None:
    result = _run(db_path, "add", "Lee Lead", "--role", "lead", input="12\n12\n2468\n2468\n")
    assert result.exit_code == 0, result.output
    assert "A PIN must be 4 to 8 digits." in result.output
    assert "2468" not in result.output
    assert "Repeat for confirmation" in result.output
    assert "Added Lee Lead as lead." in result.output
    store = open_store(db_path)
    try:
        assert authenticate(store, "Lee Lead", "2468", now=now, kiosk_id="t").role == "lead"
    finally:
        store.close()


def test_add_refuses_a_mismatch_and_a_duplicate(db_path: Path) -> None:
    result = _run(db_path, "add", "Lee Lead", "--role", "lead",
                  input="2468\n2469\n2468\n2468\n")
    assert "do not match" in result.output
    assert result.exit_code == 0
    again = _run(db_path, "add", "lee lead", "--role", "steward", input="1357\n1357\n")
    assert again.exit_code == 1
    assert "Error: There is already a staff member called lee lead." in again.output


def test_list_and_reset_pin_clear_a_lock(db_path: Path, now: datetime) -> None:
    _run(db_path, "add", "Sam Steward", "--role", "steward", input="1111\n1111\n")
    store = open_store(db_path)
    try:
        for attempt in range(10):
            with pytest.raises(SignInError):
                authenticate(store, "Sam Steward", "0000", now=now + timedelta(hours=attempt),
                             kiosk_id="t")
    finally:
        store.close()
    listed = json.loads(_run(db_path, "list", "--format", "json").output)
    assert [(r["name"], r["role"], r["pin"]) for r in listed] == [
        ("Sam Steward", "steward", "locked")]
    assert "pin_hash" not in listed[0]
    result = _run(db_path, "reset-pin", "Sam Steward", input="8642\n8642\n")
    assert result.exit_code == 0, result.output
    assert "8642" not in result.output
    store = open_store(db_path)
    try:
        assert authenticate(store, "Sam Steward", "8642", now=now, kiosk_id="t").name
    finally:
        store.close()
    table = _run(db_path, "list").output
    assert "Sam Steward" in table and "ok" in table


def test_reset_pin_of_an_unknown_name_fails_before_asking(db_path: Path) -> None:
    open_store(db_path).close()
    result = _run(db_path, "reset-pin", "Nobody")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: There is no staff member called Nobody."
