"""Signing in with a PIN: right, wrong, back-off, capped lock per kiosk, reset; counters survive
restarts."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk import pins
from kiosk import staff as staff_service
from kiosk.errors import NotFound, PermissionDenied
from kiosk.pins import PinError, backoff_seconds
from kiosk.security.keys import Keys
from kiosk.staff import (
    SignInError,
    add_staff,
    authenticate,
    reset_pin,
    sign_out,
    staff_overview,
)
from kiosk.store import Store, open_store


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters so tests stay fast (the parameters live in each hash)."""
    monkeypatch.setattr(pins, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def team(store: Store, now: datetime) -> dict[str, int]:
    return {
        "sam": add_staff(store, "Sam Steward", "steward", "111111", now=now),
        "ada": add_staff(store, "Ada Admin", "admin", "444444", now=now),
    }


def _fail(store: Store, now: datetime, pin: str = "000000", kiosk: str = "door-1"
          ) -> SignInError:
    with pytest.raises(SignInError) as caught:
        authenticate(store, "Sam Steward", pin, now=now, kiosk_id=kiosk)
    return caught.value


def _streak(store: Store, staff_id: int, kiosk: str = "door-1") -> int:
    found = store.staff.attempts(staff_id, kiosk)
    return found["failed_attempts"] if found else 0


def _sign_ins(store: Store) -> list[dict]:
    return [e for e in store.audit.chain("door-1") if e["action"] == "staff.sign_in"]


def test_right_pin_gives_a_session(store: Store, team: dict, now: datetime) -> None:
    session = authenticate(store, "sam steward", "111111", now=now, kiosk_id="door-1")
    assert (session.staff_id, session.name, session.role) == (team["sam"], "Sam Steward",
                                                              "steward")
    assert session.signed_in_at == now
    assert authenticate(store, team["sam"], "111111", now=now, kiosk_id="door-1").name == (
        "Sam Steward")


def test_wrong_pin_is_refused_plainly_and_counted(store: Store, team: dict,
                                                  now: datetime) -> None:
    error = _fail(store, now)
    assert str(error) == "That PIN is not right. Please try again."
    assert error.retry_after is None and not error.locked
    assert _streak(store, team["sam"]) == 1
    authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-1")
    assert _streak(store, team["sam"]) == 0


def test_backoff_grows_and_refuses_without_checking(store: Store, team: dict,
                                                    now: datetime) -> None:
    _fail(store, now)
    _fail(store, now)
    third = _fail(store, now)
    assert third.retry_after == 5
    assert "wait 5 seconds" in str(third)
    # Inside the delay even the right PIN is refused, and the count does not grow.
    early = _fail(store, now + timedelta(seconds=4), pin="111111")
    assert "please wait 1 second" in str(early)
    assert _streak(store, team["sam"]) == 3
    fourth = _fail(store, now + timedelta(seconds=5))
    assert fourth.retry_after == 10
    session = authenticate(store, "Sam Steward", "111111", now=now + timedelta(seconds=15),
                           kiosk_id="door-1")
    assert session.staff_id == team["sam"]
    assert [backoff_seconds(n) for n in range(2, 13)] == [0, 5, 10, 20, 40, 80, 160, 300,
                                                          900, 900, 900]


def test_tenth_wrong_pin_locks_the_name_on_that_kiosk_only_and_not_for_good(
        store: Store, team: dict, now: datetime) -> None:
    moment = now
    for _ in range(9):
        _fail(store, moment)
        moment += timedelta(minutes=10)
    tenth = _fail(store, moment)
    assert tenth.locked and tenth.retry_after == 900
    assert "locked on this kiosk for 15 minutes" in str(tenth)
    assert "other kiosks still work" in str(tenth)
    soon = _fail(store, moment + timedelta(minutes=14), pin="111111")
    assert soon.locked and "try again in 1 minute" in str(soon)
    # Another door is not affected, and the lock ends by itself (the cap).
    assert authenticate(store, "Sam Steward", "111111", now=moment, kiosk_id="door-2").name
    later = authenticate(store, "Sam Steward", "111111", now=moment + timedelta(minutes=15),
                         kiosk_id="door-1")
    assert later.staff_id == team["sam"] and _streak(store, team["sam"]) == 0


def test_an_admin_reset_clears_every_kiosk(store: Store, team: dict, now: datetime) -> None:
    for kiosk in ("door-1", "door-2"):
        for _ in range(3):
            _fail(store, now, kiosk=kiosk)
    with pytest.raises(PermissionDenied):
        reset_pin(store, "Sam Steward", "567890", now=now, admin_id=team["sam"])
    reset_pin(store, "Sam Steward", "567890", now=now, admin_id=team["ada"], kiosk_id="door-1")
    assert store.staff.all_attempts(team["sam"]) == []
    assert store.audit.chain("door-1")[-1]["actor"] == f"staff:{team['ada']}"
    _fail(store, now, pin="111111")
    assert authenticate(store, "Sam Steward", "567890", now=now, kiosk_id="door-1").name


def test_counters_survive_a_restart(db_path: Path, store: Store, team: dict,
                                    now: datetime) -> None:
    for _ in range(3):
        _fail(store, now)
    store.close()
    reopened = open_store(db_path)
    try:
        with pytest.raises(SignInError) as caught:
            authenticate(reopened, "Sam Steward", "111111", now=now + timedelta(seconds=1),
                         kiosk_id="door-1")
        assert caught.value.retry_after == pytest.approx(4)
    finally:
        reopened.close()


def test_every_attempt_is_audited_without_the_pin(store: Store, team: dict,
                                                  now: datetime) -> None:
    _fail(store, now, pin="987654")
    authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-1")
    with pytest.raises(SignInError, match="no active staff member"):
        authenticate(store, "654321", "654321", now=now, kiosk_id="door-1")
    entries = _sign_ins(store)
    assert [e["detail"] for e in entries] == [
        '{"failed_attempts":1,"result":"wrong_pin"}',
        '{"failed_attempts":0,"result":"ok"}',
        '{"result":"unknown_staff"}',
    ]
    text = " ".join(str(v) for e in store.audit.chain("door-1") for v in e.values())
    assert "987654" not in text and "111111" not in text and "654321" not in text
    assert all(e["personal_digest"] is None for e in entries)


def test_sign_out_and_overview(store: Store, team: dict, now: datetime) -> None:
    session = authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-1")
    sign_out(store, session, now=now, kiosk_id="door-1", reason="idle")
    assert store.audit.chain("door-1")[-1]["action"] == "staff.sign_out"
    for _ in range(3):
        _fail(store, now)
    overview = {row["name"]: row for row in staff_overview(store, now=now)}
    assert overview["Sam Steward"]["pin"] == "wait 5 seconds on door-1"
    assert overview["Ada Admin"]["pin"] == "ok"
    assert all("pin_hash" not in row for row in overview.values())


def test_reset_refuses_unknown_names_and_bad_pins(store: Store, team: dict,
                                                  now: datetime) -> None:
    with pytest.raises(NotFound, match="no staff member called Nobody"):
        reset_pin(store, "Nobody", "123456", now=now)
    with pytest.raises(PinError, match="6 to 12 digits"):
        reset_pin(store, "Sam Steward", "12ab56", now=now)
    with pytest.raises(PinError, match="6 to 12 digits"):
        reset_pin(store, "Sam Steward", "12345", now=now)


def test_the_slow_check_runs_outside_the_write_transaction(
        store: Store, team: dict, now: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other kiosks' check-ins never wait for argon2: it runs before BEGIN IMMEDIATE."""
    in_transaction = []
    real = staff_service.pin_matches

    def spy(keys: Keys, pin_hash: str, pin: str) -> bool:
        in_transaction.append(store.conn.in_transaction)
        return real(keys, pin_hash, pin)

    monkeypatch.setattr(staff_service, "pin_matches", spy)
    authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-1")
    _fail(store, now)
    assert in_transaction == [False, False]
