"""Whole-file SQLite work for backups and restores: copy, inspect, hold a file alone.

These run on plain sqlite3 connections (not a Store): a backup target or a file about to
be restored must not be migrated or given a WAL before it has been checked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from kiosk.errors import KioskError
from kiosk.store.schema import MIGRATION_NAMES, migrations

SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_TIMEOUT_S = 2.0


class FileInUse(KioskError):
    """Another program has the database open, so it cannot be replaced now."""


@dataclass
class FileCheck:
    """What a database file holds: integrity messages, kiosk migrations, broken links."""

    integrity: list[str] = field(default_factory=list)
    migrations: list[str] | None = None
    broken_links: int = 0

    @property
    def intact(self) -> bool:
        """True when SQLite's integrity check and foreign-key check both pass."""
        return self.integrity == ["ok"] and self.broken_links == 0


def looks_like_sqlite(path: Path) -> bool:
    """True when the file starts with SQLite's 16-byte header."""
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates or changes the file."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy a whole database into `target` in one step of the online backup API.

    One step copies every page under a single read transaction, so the copy is a
    consistent snapshot even while other processes write (WAL lets them carry on). The
    copy is switched to a rollback journal so it is one self-contained file.
    """
    with closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")


def inspect(path: Path) -> FileCheck:
    """Run the integrity and foreign-key checks and read the kiosk migrations applied."""
    with closing(open_read_only(path)) as conn:
        check = FileCheck(
            integrity=[row[0] for row in conn.execute("PRAGMA integrity_check")],
            broken_links=len(conn.execute("PRAGMA foreign_key_check").fetchall()),
        )
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (migrations.migrations_table,),
        ).fetchone()
        if has_table:
            rows = conn.execute(
                f"SELECT name FROM {migrations.migrations_table}"
                " WHERE migration_set = ? ORDER BY rowid",
                (migrations.name,),
            ).fetchall()
            check.migrations = [row[0] for row in rows] or None
    return check


def erased_families(conn: sqlite3.Connection) -> list[str]:
    """The subjects ('family:<seal>') of every erasure the audit log records.

    A restore compares them with the restored families' seals to warn that it brought
    an erased family back.
    """
    try:
        rows = conn.execute(
            "SELECT subject FROM audit_log WHERE action = 'family.erased' ORDER BY id"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [row[0] for row in rows if row[0]]


def chain_heads_in_file(path: Path) -> dict[str, tuple[int, str]]:
    """The newest entry of each audit chain in a database file (a backup), read-only."""
    with closing(open_read_only(path)) as conn:
        rows = conn.execute(
            "SELECT kiosk_id, seq, hash FROM audit_log a WHERE seq ="
            " (SELECT MAX(seq) FROM audit_log b WHERE b.kiosk_id = a.kiosk_id)"
        ).fetchall()
    return {kiosk: (seq, digest) for kiosk, seq, digest in rows}


def schema_objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every table, index, trigger and view with its SQL (spacing normalised), by (type, name).

    SQLite's own objects and automatic indexes are left out (they carry no SQL).
    """
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {(kind, name): " ".join(sql.split()) for kind, name, sql in rows}


def expected_schema(applied: list[str]) -> dict[tuple[str, str], str]:
    """The schema objects a database migrated exactly through `applied` has."""
    with closing(sqlite3.connect(":memory:")) as conn:
        db = Database(conn)
        names = MIGRATION_NAMES
        stop = names[len(applied)] if len(applied) < len(names) else None
        migrations.apply(db, stop_before=stop)
        return schema_objects(conn)


def schema_differences(path: Path, applied: list[str]) -> list[str]:
    """What in the file's schema differs from what its migrations should have made."""
    with closing(open_read_only(path)) as conn:
        found = schema_objects(conn)
    wanted = expected_schema(applied)
    problems = [f"the {kind} {name} is missing" for (kind, name) in sorted(wanted.keys()
                                                                           - found.keys())]
    problems += [f"the {kind} {name} is not one the kiosk makes"
                 for (kind, name) in sorted(found.keys() - wanted.keys())]
    problems += [f"the {kind} {name} was changed" for key in sorted(wanted.keys() & found.keys())
                 if wanted[key] != found[key] for kind, name in [key]]
    return problems


@contextmanager
def held_alone(path: Path) -> Iterator[sqlite3.Connection]:
    """Hold `path` exclusively: no other connection may be open, nor open it meanwhile.

    Leaving WAL mode needs every other connection closed (an idle kiosk counts), and it
    checkpoints and removes the -wal and -shm files; the exclusive lock then keeps anyone
    from opening the file until the caller has replaced it.
    """
    conn = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            raise FileInUse(
                "The kiosk database is in use by another program (a kiosk screen or"
                " command); close it and try again."
            ) from error
        if mode != "delete":
            raise FileInUse("The kiosk database could not be taken out of use; try again.")
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
