"""`kiosk settings set smtp.*` and `kiosk notify test|send|list` against a local server."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.clock import system_clock
from kiosk.store import Store, open_store
from kiosk.violations.workflow import log_violation
from support.smtp_server import MailServer, free_port
from support.violations_school import KIOSK, build_school


def _run(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db)], input=input)


def _configure(db: Path, port: int) -> None:
    for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("security", "none"),
                       ("from", "kiosk@valence.example"),
                       ("headteacher", "head@valence.example")):
        result = _run(db, "settings", "set", f"smtp.{key}", value)
        assert result.exit_code == 0, result.output


def test_the_password_is_asked_or_read_from_a_file_never_argv(store: Store, db_path: Path,
                                                              tmp_path: Path) -> None:
    store.close()
    argv = _run(db_path, "settings", "set", "smtp.password", "hunter2")
    assert argv.exit_code == 2 and "Never put the password on the command line" in argv.output
    asked = _run(db_path, "settings", "set", "smtp.password", input="horse battery\n" * 2)
    assert asked.exit_code == 0, asked.output
    assert "horse" not in asked.output
    secret = db_path.with_name(db_path.name + ".smtp-password")
    assert secret.read_text() == "horse battery"
    assert os.stat(secret).st_mode & 0o777 == 0o600
    source = tmp_path / "pw.txt"
    source.write_text("from a file\n")
    assert _run(db_path, "settings", "set", "smtp.password", "--from-file",
                str(source)).exit_code == 0
    assert secret.read_text() == "from a file"
    shown = _run(db_path, "settings", "show")
    assert "set (in kiosk.db.smtp-password)" in shown.output and "from a file" not in shown.output


def test_bad_settings_are_refused_plainly(store: Store, db_path: Path) -> None:
    store.close()
    for key, value, words in (("smtp.headteacher", "a@b.example\r\nBcc: x@y", "not one e-mail"),
                              ("smtp.headteacher", "a@b.example, c@d.example", "not one e-mail"),
                              ("smtp.port", "99999", "1 to 65535"),
                              ("smtp.security", "ssl", "starttls, tls, none"),
                              ("smtp.colour", "red", "Unknown setting")):
        result = _run(db_path, "settings", "set", key, value)
        assert result.exit_code == 1 and words in result.output, result.output


def test_notify_test_and_send(store: Store, db_path: Path, now: datetime) -> None:
    school = build_school(store, now)
    log_violation(store, event_id="nativity", kind="filmed_staff",
                  reported_by=school.staff["steward"], now=system_clock(), kiosk_id=KIOSK)
    store.close()
    with MailServer() as server:
        _configure(db_path, server.port)
        tested = _run(db_path, "notify", "test")
        assert tested.exit_code == 0, tested.output
        assert "Test message sent to head@valence.example." in tested.output
        sent = _run(db_path, "notify", "send")
        assert sent.exit_code == 0 and "Sent 1; waiting 0." in sent.output
        again = _run(db_path, "notify", "send")
        assert "Sent 0; waiting 0." in again.output
    subjects = [m["Subject"] for _, m in server.messages]
    assert subjects[0] == "Kiosk test message"
    assert subjects[1].startswith("Recording violation no. 1")
    listed = _run(db_path, "notify", "list")
    assert "sent" in listed.output


def test_send_with_the_server_down_exits_1_keeps_the_message_and_a_fix_sends_it(
    store: Store, db_path: Path, now: datetime
) -> None:
    school = build_school(store, now)
    log_violation(store, event_id="nativity", kind="filmed_staff",
                  reported_by=school.staff["steward"], now=system_clock(), kiosk_id=KIOSK)
    store.close()
    _configure(db_path, free_port())
    down = _run(db_path, "notify", "send")
    assert down.exit_code == 1 and "cannot be reached" in down.output
    test = _run(db_path, "notify", "test")
    assert test.exit_code == 1 and "cannot be reached" in test.output
    reopened = open_store(db_path)
    assert [r["status"] for r in reopened.outbox.rows()] == ["pending"]
    reopened.close()
    with MailServer() as server:  # fixing the port makes the waiting message due at once
        assert _run(db_path, "settings", "set", "smtp.port", str(server.port)).exit_code == 0
        fixed = _run(db_path, "notify", "send")
    assert "Sent 1; waiting 0." in fixed.output and len(server.messages) == 1
