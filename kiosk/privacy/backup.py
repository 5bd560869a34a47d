"""Backups while the kiosk runs, and restores that check before they replace anything.

A backup is one consistent snapshot taken with SQLite's online backup API (the doors
keep admitting meanwhile), checked, and moved into place atomically. A restore copies
the chosen file beside the live database, checks it (integrity, foreign keys, that it is
a kiosk database no newer than this program, its whole schema with the append-only
triggers, its audit chains under the live key and its records), keeps a copy of the
current database, and only then swaps the file in with os.replace while no other program
has it open.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kiosk.audit import log as audit
from kiosk.audit import seals
from kiosk.audit.terms import Subject
from kiosk.audit.verify import verify
from kiosk.errors import KioskError
from kiosk.security.keys import Keys, load_keys
from kiosk.store import Store, open_store
from kiosk.store.schema import MIGRATION_NAMES, latest_version
from kiosk.store.snapshots import (
    FileCheck,
    copy_database,
    erased_families,
    held_alone,
    inspect,
    looks_like_sqlite,
    open_read_only,
    schema_differences,
)

SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(KioskError):
    """A backup could not be made or a file cannot be restored (one plain sentence)."""


@dataclass
class Backup:
    """A finished backup: where it is, how big, which schema it holds."""

    path: Path
    size: int
    schema: str


@dataclass
class Restore:
    """A finished restore: the schema restored, where the replaced database was kept."""

    schema_restored: str
    schema_now: str
    previous_copy: Path | None
    families_back: list[str] = field(default_factory=list)


def _fsync_file(path: Path) -> None:
    """Force a file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Force a folder's entries (a rename) to disk, where the platform allows it."""
    if os.name == "nt":
        return
    _fsync_file(folder)


@contextmanager
def _private_temp(beside: Path, tag: str) -> Iterator[Path]:
    """A new empty file readable by the owner only, next to `beside`; removed on failure."""
    temp = beside.parent / f".{beside.name}.{tag}-{secrets.token_hex(4)}"
    os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        yield temp
    finally:
        for suffix in ("", *SIDE_FILES):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)


def _unused_name(path: Path) -> Path:
    """`path`, or `path` with -2, -3... before its suffix when that name is taken."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def _backup_path(dest: Path, now: datetime) -> Path:
    """The file to write: `dest` itself, or a dated name inside `dest` if it is a folder."""
    if dest.is_dir():
        return _unused_name(dest / f"kiosk-backup-{now.strftime('%Y%m%d-%H%M%S')}.db")
    return dest


def _checked_schema(check: FileCheck, name: str) -> str:
    """The newest migration of a checked file, or a plain refusal naming what is wrong."""
    if not check.intact:
        problem = next((m for m in check.integrity if m != "ok"), "broken links between tables")
        raise BackupError(f"{name} is damaged ({problem}), so it was not used.")
    if check.migrations is None:
        raise BackupError(f"{name} is not a kiosk database.")
    unknown = [m for m in check.migrations if m not in MIGRATION_NAMES]
    if unknown:
        raise BackupError(
            f"{name} was made by a newer version of the kiosk program (schema {unknown[-1]});"
            " update the program before restoring it."
        )
    if check.migrations != MIGRATION_NAMES[: len(check.migrations)]:
        raise BackupError(f"{name} has a kiosk schema this program does not recognise.")
    return check.migrations[-1]


def backup(
    store: Store, dest: Path | str, *, now: datetime, actor: str = "cli",
    kiosk_id: str = "admin",
) -> Backup:
    """Copy the live database to `dest` (a file, or a folder for a dated name); audited.

    A `dest` ending in a slash names a folder, created if it does not exist yet.
    """
    wanted = Path(dest).expanduser()
    if str(dest).endswith(("/", os.sep)):
        wanted.mkdir(parents=True, exist_ok=True)
    target = _backup_path(wanted, now)
    if store.path is not None and target.resolve() == store.path.resolve():
        raise BackupError("A backup cannot overwrite the live database.")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new name or a folder.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    with _private_temp(target, "partial") as temp:
        store.privacy.copy_database_to(temp)
        schema = _inspected_schema(temp, "The copy")
        _fsync_file(temp)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    size = target.stat().st_size
    audit.append(
        store, kiosk_id=kiosk_id, at=now, actor=actor, action="backup.made",
        subject=Subject.of("database"),
        detail={"file": target.name, "bytes": size, "schema": schema},
    )
    return Backup(target, size, schema)


def _readable(source: Path) -> None:
    """Refuse a missing file or one that is not SQLite at all, before reading it."""
    if not source.is_file():
        raise BackupError(f"There is no file at {source}.")
    if not looks_like_sqlite(source):
        raise BackupError(f"{source.name} is not a kiosk database (not an SQLite file).")


def _inspected_schema(path: Path, name: str) -> str:
    """Inspect a file and return its schema; a file SQLite cannot read counts as damaged."""
    try:
        check = inspect(path)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{name} is damaged ({error}), so it was not used.") from error
    return _checked_schema(check, name)


def _check_contents(path: Path, name: str, keys: Keys) -> None:
    """Refuse a copy whose schema is not the kiosk's own, or whose history does not hold.

    The whole schema (tables, indexes, triggers) must be what its migrations make, so a
    backup with the append-only triggers dropped is refused; then the audit chains (under
    this database's key) and the records check must pass.
    """
    check = inspect(path)
    differences = schema_differences(path, check.migrations or [])
    if differences:
        raise BackupError(f"{name} does not have the kiosk's schema ({differences[0]}), so it"
                          " was not used.")
    copy = Store(path)
    copy._keys = keys
    try:
        report = verify(copy)
    finally:
        copy.close()
    if not report.ok:
        first = report.first_problem or (report.record_problems or ["?"])[0]
        raise BackupError(f"{name} does not pass the audit check ({first}), so it was not"
                          " used.")


def check_backup(src: Path | str) -> str:
    """Check a backup file without changing it; return its schema or raise BackupError."""
    source = Path(src).expanduser()
    _readable(source)
    return _inspected_schema(source, source.name)


def restore(
    src: Path | str, live: Path | str, *, now: datetime, actor: str = "cli",
    kiosk_id: str = "admin",
) -> Restore:
    """Replace the live database with the backup `src`, after checking the copy to install.

    Refuses a damaged, foreign or newer file, or a live file another program has open.
    The database being replaced is kept beside it as `<name>.before-restore-<time>.db`.
    An older schema is brought up to date after the swap.
    """
    source, live_path = Path(src).expanduser(), Path(live).expanduser()
    _readable(source)
    keys = load_keys(live_path)
    if live_path.exists() and source.resolve() == live_path.resolve():
        raise BackupError("That file is the live database itself.")
    live_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    with _private_temp(live_path, "restoring") as temp:
        try:
            with closing(open_read_only(source)) as conn:
                copy_database(conn, temp)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source.name} is damaged ({error}), so it was not used.") from error
        schema = _inspected_schema(temp, source.name)
        _check_contents(temp, source.name, keys)
        _fsync_file(temp)
        previous, erased = None, []
        if live_path.exists():
            with held_alone(live_path) as current:
                erased = erased_families(current)
                previous = _unused_name(live_path.with_name(
                    f"{live_path.stem}.before-restore-{stamp}{live_path.suffix or '.db'}"
                ))
                with _private_temp(previous, "partial") as kept:
                    # Held alone with a rollback journal and no write pending, the file by
                    # itself is the whole database (the backup API refuses a locked source).
                    shutil.copyfile(live_path, kept)
                    _fsync_file(kept)
                    os.replace(kept, previous)
                for suffix in SIDE_FILES:
                    Path(f"{live_path}{suffix}").unlink(missing_ok=True)
                os.replace(temp, live_path)
                _fsync_dir(live_path.parent)
        else:
            for suffix in SIDE_FILES:  # stale: a log left by a deleted file would be replayed
                Path(f"{live_path}{suffix}").unlink(missing_ok=True)
            os.replace(temp, live_path)
            _fsync_dir(live_path.parent)
    store = open_store(live_path)
    try:
        gone = set(erased)
        back = [row["id"] for row in store.families.all()
                if seals.family_subject(store, row["id"]).text in gone]
        audit.append(
            store, kiosk_id=kiosk_id, at=now, actor=actor, action="backup.restored",
            subject=Subject.of("database"),
            detail={"file": source.name, "schema_restored": schema,
                    "schema_now": latest_version(),
                    "previous_copy": previous.name if previous else None,
                    "erased_families_back": len(back)},
        )
    finally:
        store.close()
    return Restore(schema, latest_version(), previous, back)
