"""The shell and the file system: nobody changes staff, passes or records without a PIN,
short PINs and strangers' lock-outs are refused, files are private, restores are checked.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kiosk.cli import cli
from kiosk.errors import KioskError
from kiosk.pins import PinError
from kiosk.privacy.backup import BackupError, backup, restore
from kiosk.privacy.subject_access import export_family
from kiosk.security.files import private_umask
from kiosk.security.keys import key_path
from kiosk.staff import (
    SignInError,
    add_staff,
    authenticate,
    deactivate_staff,
    session_ended,
    set_role,
)
from kiosk.store import Store, open_store
from support.school import quick_hashes as _quick
from support.signers import add_signers

pytest_plugins = ("support.data_protection_fixtures",)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    _quick(monkeypatch)


@pytest.fixture
def staffed(db_path: Path, now: datetime) -> Path:
    store = open_store(db_path)
    add_signers(store, now)
    store.close()
    return db_path


def _run(db: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=stdin)


@pytest.mark.parametrize("args", [
    ("staff", "add", "Mallory", "--role", "admin"),
    ("staff", "reset-pin", "Helen Head"),
    ("staff", "set-role", "Sam Steward", "admin"),
    ("staff", "deactivate", "Ada Admin"),
])
def test_no_staff_change_without_an_admins_pin(staffed: Path, args: tuple[str, ...]) -> None:
    unsigned = _run(staffed, *args, stdin="999999\n999999\n")
    assert unsigned.exit_code == 1 and "--staff NAME (an admin or above)" in unsigned.output
    as_head = _run(staffed, *args, "--staff", "Helen Head", stdin="333333\n999999\n999999\n")
    assert as_head.exit_code == 1 and "Only an admin or above" in as_head.output
    wrong = _run(staffed, *args, "--staff", "Ada Admin", stdin="000000\n999999\n999999\n")
    assert wrong.exit_code == 1 and "That PIN is not right" in wrong.output
    store = open_store(staffed)
    try:
        assert store.staff.by_name("Mallory") is None
        assert {r["name"]: (r["role"], r["active"]) for r in store.staff.all()} == {
            "Ada Admin": ("admin", 1), "Helen Head": ("headteacher", 1),
            "Lee Lead": ("lead", 1), "Sam Steward": ("steward", 1)}
        with pytest.raises(SignInError):
            authenticate(store, "Helen Head", "999999", now=datetime.now().astimezone(),
                         kiosk_id="t")
    finally:
        store.close()


def test_only_the_first_admin_of_an_empty_database_is_free(db_path: Path) -> None:
    open_store(db_path).close()
    first = _run(db_path, "staff", "add", "Ada Admin", "--role", "admin",
                 stdin="444444\n444444\n")
    assert first.exit_code == 0, first.output
    second = _run(db_path, "staff", "add", "Eve", "--role", "admin", stdin="555555\n555555\n")
    assert second.exit_code == 1 and "--staff NAME" in second.output


def test_a_four_digit_pin_is_refused(store: Store, now: datetime) -> None:
    with pytest.raises(PinError, match="6 to 12 digits"):
        add_staff(store, "Sam", "steward", "1234", now=now)


def test_a_stranger_cannot_lock_a_name_for_good_or_everywhere(store: Store, now: datetime) -> None:
    add_staff(store, "Helen Head", "headteacher", "333333", now=now)
    moment = now
    for _ in range(30):
        try:
            authenticate(store, "Helen Head", "000000", now=moment, kiosk_id="door-1")
        except SignInError as error:
            moment += timedelta(seconds=error.retry_after or 0)
    assert authenticate(store, "Helen Head", "333333", now=moment, kiosk_id="office").name
    assert authenticate(store, "Helen Head", "333333", now=moment + timedelta(minutes=15),
                        kiosk_id="door-1").name


def test_a_session_ends_when_its_member_is_locked_deactivated_or_re_roled(
        store: Store, now: datetime) -> None:
    ids = add_signers(store, now)
    session = authenticate(store, "Lee Lead", "222222", now=now, kiosk_id="door-1")
    assert session_ended(store, session, now=now) is None
    set_role(store, "Lee Lead", "steward", now=now, admin_id=ids["Ada Admin"])
    assert "role was changed" in (session_ended(store, session, now=now) or "")
    session = authenticate(store, "Sam Steward", "111111", now=now, kiosk_id="door-1")
    later = now + timedelta(seconds=1)
    for step in range(10):
        with pytest.raises(SignInError):
            authenticate(store, "Sam Steward", "000000", now=later + timedelta(hours=step),
                         kiosk_id="door-1")
    assert "locked on this kiosk" in (session_ended(store, session,
                                                    now=later + timedelta(hours=9)) or "")
    head = authenticate(store, "Helen Head", "333333", now=now, kiosk_id="door-2")
    deactivate_staff(store, "Helen Head", now=now, admin_id=ids["Ada Admin"])
    assert "deactivated" in (session_ended(store, head, now=now) or "")


@pytest.mark.parametrize("args", [
    ("violations", "list"), ("violations", "show", "1"), ("passes", "revoke", "AAAA",
                                                          "--reason", "x"),
    ("backup", "b.db"), ("erase", "family", "F-ROSE", "--yes"),
    ("passes", "issue", "--family", "F-ROSE", "--out", "."),
    ("passes", "reissue", "F-ROSE", "--out", "."), ("export", "family", "F-ROSE", "--out", "x"),
    ("report", "violations", "--out", "r.md"), ("restore", "{db}"),
])
def test_reads_with_names_and_changes_need_a_pin(staffed: Path, args: tuple[str, ...]) -> None:
    result = _run(staffed, *(arg.format(db=staffed) for arg in args))
    assert result.exit_code == 1 and "--staff NAME" in result.output


def test_a_database_without_its_key_file_says_so(staffed: Path, now: datetime) -> None:
    key_path(staffed).unlink()
    store = open_store(staffed)
    try:
        with pytest.raises(KioskError, match=r"key file .* is missing"):
            authenticate(store, "Ada Admin", "444444", now=now, kiosk_id="t")
    finally:
        store.close()


@pytest.mark.parametrize(("sql", "said"), [
    ("DROP TRIGGER audit_log_no_delete", "the trigger audit_log_no_delete is missing"),
    ("DROP INDEX pupils_family", "the index pupils_family is missing"),
    ("CREATE TABLE shadow (x)", "the table shadow is not one the kiosk makes"),
    ("DROP TRIGGER audit_log_no_update; CREATE TRIGGER audit_log_no_update BEFORE UPDATE"
     " ON audit_log WHEN 0 BEGIN SELECT 1; END", "the trigger audit_log_no_update was changed"),
])
def test_a_backup_with_another_schema_is_refused(store: Store, db_path: Path, tmp_path: Path,
                                                 now: datetime, sql: str, said: str) -> None:
    """The first release restored a file whose append-only triggers had been dropped."""
    saved = backup(store, tmp_path / "saved.db", now=now)
    store.close()
    conn = sqlite3.connect(saved.path, isolation_level=None)
    conn.executescript(sql)
    conn.close()
    with pytest.raises(BackupError, match=said):
        restore(saved.path, db_path, now=now)


def test_a_backup_with_a_tampered_log_is_refused(store: Store, db_path: Path, tmp_path: Path,
                                                 now: datetime) -> None:
    add_signers(store, now)
    saved = backup(store, tmp_path / "saved.db", now=now)
    store.close()
    conn = sqlite3.connect(saved.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    conn.execute("""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""")
    conn.close()
    with pytest.raises(BackupError, match="does not pass the audit check"):
        restore(saved.path, db_path, now=now)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_keys_passes_and_exports_are_private(
        school_db: tuple[Path, object], tmp_path: Path) -> None:
    old = private_umask()
    os.umask(0o022)  # the first release's usual umask: files must be private anyway
    try:
        path, _ = school_db
        fresh = tmp_path / "new" / "kiosk.db"
        open_store(fresh).close()
        assert _mode(fresh.parent) == 0o700
        assert _mode(fresh) == 0o600 and _mode(key_path(fresh)) == 0o600
        (tmp_path / "passes").mkdir()  # --out must exist: the office's folder, left as made
        result = _run(path, "passes", "issue", "--family", "F-ROSE", "--out",
                      str(tmp_path / "passes"), "--staff", "Ada Admin", stdin="444444\n")
        assert result.exit_code == 0, result.output
        files = list((tmp_path / "passes").iterdir())
        assert {f.suffix for f in files} >= {".png", ".svg", ".pdf"}
        assert all(_mode(f) == 0o600 for f in files)
    finally:
        os.umask(old)


def test_the_export_never_writes_through_a_planted_symlink(
        school_db: tuple[Path, object], tmp_path: Path, now: datetime) -> None:
    path, _ = school_db
    out = tmp_path / "sar"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    store = open_store(path)
    try:
        for name in (f"subject-access-F-ROSE-{now.date().isoformat()}.json",
                     f"subject-access-F-ROSE-{now.date().isoformat()}.md"):
            (out / name).symlink_to(victim)
        written = export_family(store, "F-ROSE", out, now=now, pdf=False)
    finally:
        store.close()
    assert victim.read_text() == "keep me"
    assert all(not p.is_symlink() and _mode(p) == 0o600 for p in written)


def test_non_creating_commands_never_make_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for args in (("staff", "add", "Ada", "--role", "admin"), ("run", "--event", "nativity"),
                 ("staff", "list")):
        result = _run(missing, *args, stdin="444444\n444444\n")
        assert result.exit_code == 1 and "There is no kiosk database" in result.output
    assert not missing.exists() and not key_path(missing).exists()


def test_the_demo_is_not_rebuilt_under_a_running_kiosk(tmp_path: Path) -> None:
    from kiosk.demo.school import DemoError, build_demo

    path = tmp_path / "demo.db"
    build_demo(path, today=datetime(2026, 12, 10).date())
    running = open_store(path)
    try:
        running.settings.get("school_name")
        with pytest.raises(DemoError, match="open in a running kiosk"):
            build_demo(path, today=datetime(2026, 12, 10).date())
        assert running.staff.all()  # the kiosk's file is still there
    finally:
        running.close()


def test_a_pass_code_in_argv_is_refused_by_passes_verify(staffed: Path) -> None:
    result = _run(staffed, "passes", "verify", "K1.abcdefabcdefabcdefabcdef")
    assert result.exit_code == 1 and "shows in `ps` and the shell history" in result.output
