"""The outbox's texts, the daily digest, back-off and the password file."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest

from kiosk.events import add_item
from kiosk.notify.sender import queue_digest, retry_delay, send_due
from kiosk.notify.smtp import NotifyError, load_password, save_password, secret_path
from kiosk.store import Store
from kiosk.violations.workflow import close, log_violation
from support.notify_school import StepClock, set_up_mail
from support.smtp_server import MailServer
from support.violations_school import KIOSK, School, build_school


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def _log(school: School, now: datetime, **extra) -> int:
    args = {"event_id": "nativity", "kind": "filmed_staff",
            "reported_by": school.staff["lead"], "now": now, "kiosk_id": KIOSK}
    return log_violation(school.store, **{**args, **extra})


def _body(store: Store, violation_id: int) -> str:
    return next(r for r in store.query("SELECT * FROM outbox")
                if r["dedupe_key"] == f"violation:{violation_id}")["body"]


def test_an_item_title_holding_a_pupils_name_is_replaced_by_its_number(
    school: School, now: datetime
) -> None:
    solo = add_item(school.store, "nativity", "Zoe Lukasiewicz sings", now=now, pupils=["p3"])
    first = add_item(school.store, "nativity", "Amelia's poem", now=now, pupils=["p1"])
    by_full_name = _log(school, now, item_id=solo)
    by_first_name = _log(school, now, item_id=first, children=["p1"])
    assert "Item on stage: item 4\n" in _body(school.store, by_full_name)
    assert "Item on stage: item 5\n" in _body(school.store, by_first_name)
    assert "Item on stage: item 3 – Solo: Silent Night" in _body(
        school.store, _log(school, now, item_id=school.items[2]))


def test_the_digest_comes_once_a_morning_while_any_violation_is_open(
    school: School, now: datetime
) -> None:
    first = _log(school, now)
    assert queue_digest(school.store, now) is None  # logged this evening: e-mailed already
    morning = (now + timedelta(days=1)).replace(hour=7, minute=29)
    assert queue_digest(school.store, morning) is None
    digest = queue_digest(school.store, morning + timedelta(minutes=1))
    assert digest is not None
    assert queue_digest(school.store, morning + timedelta(hours=3)) is None
    body = school.store.outbox.get(digest)["body"]
    assert f"No. {first} ·" in body and "Filmed a member of staff" in body
    close(school.store, first, "Spoken to", staff_id=school.staff["headteacher"],
          now=morning + timedelta(hours=4), kiosk_id=KIOSK)
    assert queue_digest(school.store, morning + timedelta(days=1, minutes=5)) is None


def test_the_digest_is_delivered_with_the_alerts(school: School, now: datetime) -> None:
    _log(school, now)
    clock = StepClock((now + timedelta(days=1)).replace(hour=8))
    with MailServer() as server:
        set_up_mail(school.store, server.port)
        assert send_due(school.store, clock).sent == 2
    subjects = sorted(m["Subject"] for _, m in server.messages)
    assert subjects[0].startswith("Daily digest: 1 recording violation not yet closed")


def test_back_off_doubles_up_to_five_minutes() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 20)] == [
        30, 60, 120, 240, 300, 300]
    assert retry_delay(1, permanent=True) == timedelta(minutes=5)


def test_the_password_lives_beside_the_database_0600_never_in_it(store: Store) -> None:
    path = save_password(store, "s3cret horse")
    assert path == secret_path(store) and path.parent == store.path.parent
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert load_password(store) == "s3cret horse"
    assert b"s3cret" not in store.path.read_bytes()
    os.chmod(path, 0o644)
    with pytest.raises(NotifyError, match="can be read by others"):
        load_password(store)
