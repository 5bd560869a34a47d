"""Backups taken while another process writes; restores that refuse anything unsound."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXED_NOW

from kiosk.audit import verify as audit
from kiosk.cli import cli
from kiosk.privacy.backup import BackupError, backup, check_backup, restore
from kiosk.security.keys import key_path
from kiosk.store import Store, open_store
from kiosk.store.schema import MIGRATION_NAMES, latest_version, migrations
from kiosk.store.snapshots import FileInUse
from support.signers import add_signers, signed

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kiosk.store import open_store

    store = open_store(sys.argv[1])
    stop = Path(sys.argv[2])
    count = 0
    while count < 50 or not stop.exists():
        count += 1
        with store.immediate():
            store.checkins.insert({
                "event_id": "load", "kiosk_id": "writer", "at": f"2026-12-10T18:00:{count}",
                "method": "scanner", "result": "refused", "code": "unknown_pass",
                "nonce": f"writer-{count}",
            })
            store.settings.set("writer.count", str(count))
        if count == 50:
            print("ready", flush=True)
    print(count, flush=True)
    store.close()
""")


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _new_event(store: Store, event_id: str = "load") -> None:
    store.events.insert({"id": event_id, "name": "Load", "date": "2026-12-10",
                        "created_at": FIXED_NOW.isoformat()})


def test_backup_while_another_process_writes_is_a_consistent_prefix(
    store: Store, db_path: Path, tmp_path: Path,
) -> None:
    _new_event(store)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        made = backup(store, tmp_path / "copy.db", now=FIXED_NOW)
    finally:
        stop.touch()
        final = int(writer.stdout.readline())
        assert writer.wait(timeout=60) == 0
    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    ids = [r[0] for r in copy.execute(
        "SELECT CAST(substr(nonce, 8) AS INTEGER) FROM checkins ORDER BY id")]
    counter = int(copy.execute(
        "SELECT value FROM settings WHERE key = 'writer.count'").fetchone()[0])
    assert ids == list(range(1, counter + 1))
    assert 50 <= counter <= final
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    assert not Path(f"{made.path}-wal").exists()
    assert made.path.stat().st_mode & 0o077 == 0
    assert made.schema == latest_version()


def test_backup_into_a_folder_gets_a_dated_name_and_is_audited(
    store: Store, tmp_path: Path,
) -> None:
    made = backup(store, tmp_path, now=FIXED_NOW)
    assert made.path.name == "kiosk-backup-20261210-174500.db"
    assert store.query_one("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == {
        "action": "backup.made"}
    with pytest.raises(BackupError, match="already exists"):
        backup(store, made.path, now=FIXED_NOW)
    with pytest.raises(BackupError, match="live database"):
        backup(store, store.path, now=FIXED_NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [made.path.name, "kiosk.db", "kiosk.db-wal", "kiosk.db-shm", "kiosk.db.keys"])
    assert not key_path(made.path).exists()  # the key file is never in a backup


def test_restore_puts_the_backup_back_and_keeps_the_replaced_file(
    db_path: Path, tmp_path: Path,
) -> None:
    store = open_store(db_path)
    store.settings.set("school_name", "Before")
    saved = backup(store, tmp_path / "saved.db", now=FIXED_NOW)
    store.settings.set("school_name", "After")
    store.close()
    done = restore(saved.path, db_path, now=FIXED_NOW)
    restored = open_store(db_path)
    assert restored.settings.get("school_name") == "Before"
    assert restored.query_one("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == {
        "action": "backup.restored"}
    assert audit.verify(restored).ok
    restored.close()
    assert done.previous_copy is not None and done.previous_copy.parent == db_path.parent
    previous = sqlite3.connect(done.previous_copy)
    assert previous.execute(
        "SELECT value FROM settings WHERE key = 'school_name'").fetchone() == ("After",)
    previous.close()
    assert not list(tmp_path.glob(".kiosk.db.*"))


def _zero_root_page(path: Path, table: str) -> None:
    """Overwrite one table's root page with zeros (a damaged disk block)."""
    with sqlite3.connect(path) as conn:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(bytes(size))


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"INSERT INTO {migrations.migrations_table} (migration_set, name,"
                     " applied_at) VALUES ('kiosk', 'm999_from_the_future', '2030-01-01')")
    conn.close()


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda p: _zero_root_page(p, "settings"), "damaged"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(200)), "damaged"),
    (lambda p: p.write_text("name,class\nOphelia,2B\n"), "not an SQLite file"),
    (_foreign, "not a kiosk database"),
    (_newer, "newer version"),
])
def test_restore_refuses_an_unsound_file_and_changes_nothing(
    store: Store, db_path: Path, tmp_path: Path, spoil, message: str,
) -> None:
    store.settings.set("school_name", "Live")
    bad = backup(store, tmp_path / "bad.db", now=FIXED_NOW).path
    if message == "not a kiosk database":
        bad.unlink()
    spoil(bad)
    store.close()
    before = _dump(db_path)
    with pytest.raises(BackupError, match=message):
        restore(bad, db_path, now=FIXED_NOW)
    with pytest.raises(BackupError, match=message):
        check_backup(bad)
    assert _dump(db_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.db", "kiosk.db", "kiosk.db.keys"]


def test_restore_refuses_while_another_program_has_the_database_open(
    store: Store, db_path: Path, tmp_path: Path,
) -> None:
    saved = backup(store, tmp_path / "saved.db", now=FIXED_NOW)
    store.settings.set("school_name", "Live")
    with pytest.raises(FileInUse, match="in use"):
        restore(saved.path, db_path, now=FIXED_NOW)
    assert store.settings.get("school_name") == "Live"
    assert not list(tmp_path.glob("*before-restore*"))


def test_an_older_backup_is_brought_up_to_date(db_path: Path, tmp_path: Path) -> None:
    open_store(db_path).close()  # the live database and its key file
    old = tmp_path / "old.db"
    store = Store(old)
    migrations.apply(store.db, stop_before=MIGRATION_NAMES[-1])
    store.close()
    done = restore(old, db_path, now=FIXED_NOW)
    assert done.schema_restored == MIGRATION_NAMES[-2]
    assert done.schema_now == latest_version()
    assert check_backup(db_path) == latest_version()


def test_restore_names_families_erased_since_the_backup(
    db_path: Path, tmp_path: Path,
) -> None:
    from kiosk.privacy.erasure import erase_family

    store = open_store(db_path)
    store.families.upsert_family({"id": "F-GONE", "display_name": "Gone", "created_at": "x",
                         "updated_at": "x"})
    saved = backup(store, tmp_path / "saved.db", now=FIXED_NOW)
    erase_family(store, "F-GONE", now=FIXED_NOW)
    store.close()
    assert restore(saved.path, db_path, now=FIXED_NOW).families_back == ["F-GONE"]


def test_cli_backup_check_and_restore(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    add_signers(store, FIXED_NOW)
    store.close()
    runner = CliRunner()
    base = ["--db", str(db_path)]
    admin, pin = signed("Ada Admin")
    unsigned = runner.invoke(cli, [*base, "backup", str(tmp_path / "b.db")])
    assert unsigned.exit_code == 1 and not (tmp_path / "b.db").exists()
    made = runner.invoke(cli, [*base, "backup", str(tmp_path / "b.db"), *admin], input=pin)
    assert made.exit_code == 0 and "Backup written" in made.output, made.output
    checked = runner.invoke(cli, [*base, "restore", str(tmp_path / "b.db"), "--check"])
    assert checked.exit_code == 0 and "sound kiosk backup" in checked.output
    declined = runner.invoke(cli, [*base, "restore", str(tmp_path / "b.db"), *admin],
                             input=pin + "n\n")
    assert declined.exit_code == 1
    lead, lead_pin = signed("Lee Lead")
    not_admin = runner.invoke(cli, [*base, "restore", str(tmp_path / "b.db"), "--yes", *lead],
                              input=lead_pin)
    assert not_admin.exit_code == 1 and "Only an admin or above" in not_admin.output
    done = runner.invoke(cli, [*base, "restore", str(tmp_path / "b.db"), "--yes", *admin],
                         input=pin)
    assert done.exit_code == 0 and "Restored" in done.output, done.output
    (tmp_path / "notes.txt").write_text("hello")
    refused = runner.invoke(cli, [*base, "restore", str(tmp_path / "notes.txt"), "--yes",
                                  *admin], input=pin)
    assert refused.exit_code == 1 and "Error: notes.txt is not a kiosk database" in (
        refused.output)
    assert os.path.exists(db_path)


def test_a_destination_ending_in_a_slash_is_a_new_folder(tmp_path: Path) -> None:
    store = open_store(tmp_path / "live.db")
    made = backup(store, f"{tmp_path / 'backups'}/", now=FIXED_NOW)
    store.close()
    assert made.path.parent == tmp_path / "backups"
    assert made.path.name == f"kiosk-backup-{FIXED_NOW:%Y%m%d-%H%M%S}.db"
    store = open_store(tmp_path / "live.db")
    again = backup(store, tmp_path / "backups", now=FIXED_NOW)  # the same second
    store.close()
    assert again.path.name == f"kiosk-backup-{FIXED_NOW:%Y%m%d-%H%M%S}-2.db"
    assert made.path.exists() and again.path.exists()
