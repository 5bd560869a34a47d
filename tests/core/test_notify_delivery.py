"""Violations reach a real local SMTP server (aiosmtpd) once, without any child's name."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.notify.outbox import undelivered_line
from kiosk.notify.sender import CLAIM_STALE, send_due
from kiosk.notify.smtp import save_password
from kiosk.store import Store
from kiosk.violations.workflow import ViolationError, log_violation
from support.notify_school import DEPUTY, HEAD, StepClock, set_up_mail
from support.smtp_server import MailServer, free_port
from support.violations_school import KIOSK, PUPILS, School, build_school


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    school = build_school(store, now)
    store.families.upsert_guardian({"family_id": "F3", "name": "Kemal Demir",
                                    "relationship": "father", "email": "kemal@home.example",
                                    "phone": "07700 900123"})
    return school


def _log(school: School, now: datetime, **extra) -> int:
    args = {"event_id": "nativity", "kind": "filmed_child_without_permission",
            "reported_by": school.staff["lead"], "now": now, "kiosk_id": KIOSK,
            "item_id": school.items[1], "family_id": "F3", "children": ["p3", "p4"],
            "description": "Yusuf Demir's dad filmed Zoë", "notes": "Call Kemal Demir",
            "action_taken": "asked_to_stop"}
    return log_violation(school.store, **{**args, **extra})


def _text(message) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in message.items())
    return (headers + "\n" + message.get_content()).casefold()


FORBIDDEN = [w.casefold() for _, _, first, surname, _, _ in PUPILS for w in (first, surname)]
FORBIDDEN += ["kemal", "07700", "home.example", "okafor family", "demir", "F3".casefold()]


def test_a_logged_violation_is_one_message_without_names(school: School, now: datetime) -> None:
    clock = StepClock(now)
    with MailServer() as server:
        set_up_mail(school.store, server.port)
        violation = _log(school, now)
        report = send_due(school.store, clock)
        assert (report.sent, report.failed) == (1, 0)
        clock.advance(hours=1)
        send_due(school.store, clock)
    assert len(server.messages) == 1
    recipients, message = server.messages[0]
    assert sorted(recipients) == sorted([HEAD, DEPUTY])
    text = _text(message)
    assert f"violation no. {violation}" in text
    assert "filmed a child without permission" in text
    assert "item 2 – the shepherds" in text
    assert "open the kiosk inbox" in text
    assert "children involved: 2" in text
    assert [w for w in FORBIDDEN if w in text] == []
    assert "blue coat" not in text and "dad" not in text
    assert undelivered_line(school.store) is None


def test_the_outbox_row_is_written_with_the_violation_or_not_at_all(
    school: School, now: datetime
) -> None:
    with pytest.raises(ViolationError):
        _log(school, now, children=["p3", "nobody"])
    assert school.store.outbox.rows() == []
    first = _log(school, now, nonce="tap-1")
    again = _log(school, now, nonce="tap-1")
    assert first == again
    assert [r["dedupe_key"] for r in school.store.outbox.rows()] == [f"violation:{first}"]


def test_a_server_that_is_down_then_up_gets_the_message_once(
    school: School, now: datetime
) -> None:
    clock = StepClock(now)
    port = free_port()
    set_up_mail(school.store, port)
    _log(school, now)
    down = send_due(school.store, clock)
    assert (down.sent, down.failed, down.waiting) == (0, 1, 1)
    assert "cannot be reached" in down.errors[0]
    line = undelivered_line(school.store)
    assert line is not None and line.startswith("1 e-mail to the headteacher not yet delivered")
    clock.advance(seconds=10)
    assert send_due(school.store, clock).failed == 0  # not due yet: back-off
    with MailServer(port) as server:
        clock.advance(seconds=20)
        up = send_due(school.store, clock)
        clock.advance(minutes=40)
        send_due(school.store, clock)
    assert (up.sent, up.waiting) == (1, 0)
    assert len(server.messages) == 1
    row = school.store.outbox.rows()[0]
    assert (row["status"], row["attempts"]) == ("sent", 2)


def test_wrong_credentials_are_a_clear_message_then_delivery_once_fixed(
    school: School, now: datetime, tmp_path
) -> None:
    from support.smtp_server import tls_pair

    server_tls, client_tls = tls_pair(tmp_path)
    clock = StepClock(now)
    with MailServer(login=("kiosk", "right horse"), starttls=server_tls) as server:
        set_up_mail(school.store, server.port, security="starttls", username="kiosk")
        save_password(school.store, "wrong horse")
        _log(school, now)
        report = send_due(school.store, clock, tls_context=client_tls)
        assert report.failed == 1
        assert "refused the e-mail user name or password" in report.errors[0]
        assert "refused the e-mail user name or password" in (undelivered_line(school.store) or "")
        save_password(school.store, "right horse")
        clock.advance(minutes=5)
        fixed = send_due(school.store, clock, tls_context=client_tls)
    assert fixed.sent == 1
    assert len(server.messages) == 1
    assert server.logins[-1] == ("kiosk", True)
    assert not any(ok for _, ok in server.logins[:-1])


def test_implicit_tls_delivers(school: School, now: datetime, tmp_path) -> None:
    from support.smtp_server import tls_pair

    server_tls, client_tls = tls_pair(tmp_path)
    with MailServer(login=("kiosk", "pw"), implicit_tls=server_tls) as server:
        set_up_mail(school.store, server.port, security="tls", username="kiosk")
        save_password(school.store, "pw")
        _log(school, now)
        assert send_due(school.store, StepClock(now), tls_context=client_tls).sent == 1
    assert len(server.messages) == 1


def test_an_untrusted_certificate_is_refused(school: School, now: datetime, tmp_path) -> None:
    from support.smtp_server import tls_pair

    server_tls, _ = tls_pair(tmp_path)
    with MailServer(starttls=server_tls) as server:
        set_up_mail(school.store, server.port, security="starttls")
        _log(school, now)
        report = send_due(school.store, StepClock(now))
    assert "did not show a trusted certificate" in report.errors[0]
    assert server.messages == []


def test_two_senders_never_both_send_and_a_dead_claim_is_retried(
    school: School, now: datetime
) -> None:
    from kiosk.notify.outbox import utc

    _log(school, now)
    row = school.store.outbox.rows()[0]
    stale = utc(now - CLAIM_STALE)
    assert school.store.outbox.claim(row["id"], utc(now), stale) is True
    assert school.store.outbox.claim(row["id"], utc(now), stale) is False
    later = now + CLAIM_STALE * 2
    with MailServer() as server:
        set_up_mail(school.store, server.port)
        assert send_due(school.store, StepClock(later)).sent == 1
    assert len(server.messages) == 1
    assert school.store.outbox.claim(row["id"], utc(later), utc(later)) is False


def test_without_settings_messages_wait_and_the_dashboard_says_so(
    school: School, now: datetime
) -> None:
    _log(school, now)
    report = send_due(school.store, StepClock(now))
    assert (report.sent, report.waiting) == (0, 1)
    assert "e-mail is not set up" in (undelivered_line(school.store) or "")


def test_run_sender_delivers_in_its_thread_until_stopped(school: School, now: datetime) -> None:
    import threading

    from kiosk.notify.sender import run_sender

    stop = threading.Event()
    with MailServer() as server:
        set_up_mail(school.store, server.port)
        _log(school, now)
        worker = threading.Thread(target=run_sender, args=(school.store, StepClock(now), stop),
                                  kwargs={"interval": 0.01}, daemon=True)
        worker.start()
        assert server.inbox.arrived.wait(10)
        stop.set()
        worker.join(10)
    assert not worker.is_alive() and len(server.messages) == 1
