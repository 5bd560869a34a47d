"""The store core: one connection, a lock, BEGIN IMMEDIATE, and the base of each area."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import Table

from kiosk.errors import StoreUnavailable
from kiosk.store.connection import connect, translate_errors

Params = Sequence[Any] | Mapping[str, Any]
"""Query parameters: positional values, or named ones."""

FILE_GONE = (
    "The database file was deleted or moved away while the kiosk was running, so nothing"
    " can be saved; put it back, or restart the kiosk with a restored copy."
)
FILE_REPLACED = (
    "The database file was replaced while the kiosk was running, so nothing can be saved"
    " to it; restart the kiosk to use the new file."
)


class StoreCore:
    """Holds the connection and its lock; every write passes `_check_same_file` first."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self.conn: sqlite3.Connection = connect(path)
        self.db = Database(self.conn)
        self._lock = threading.RLock()
        self._identity = self._file_identity()

    def _file_identity(self) -> tuple[int, int] | None:
        """(device, inode) of the file at `path` now; None in memory or when it is gone."""
        if self.path is None:
            return None
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_dev, found.st_ino

    def _check_same_file(self) -> None:
        """Refuse to write when `path` no longer names the file this connection has open.

        SQLite keeps writing to a deleted or replaced file through its open handle, so a
        save confirmed there would vanish with that file. Moving the file back recovers.
        """
        if self.path is None:
            return
        now = self._file_identity()
        if now != self._identity:
            raise StoreUnavailable(FILE_GONE if now is None else FILE_REPLACED)

    def close(self) -> None:
        """Close the connection (checkpointing WAL when this is the last one)."""
        with self._lock:
            self.conn.close()

    @contextmanager
    def immediate(self) -> Iterator[StoreCore]:
        """A write transaction taken with BEGIN IMMEDIATE (nested calls use a savepoint).

        A deferred transaction that reads then writes fails at once with "database is
        locked" when another process writes; IMMEDIATE waits for the busy timeout.
        """
        with self._lock, translate_errors():
            if self.conn.in_transaction:
                with self.db.atomic():
                    yield self
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._check_same_file()
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            try:
                self._check_same_file()
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Run a read query and return rows as dicts."""
        with self._lock, translate_errors():
            values = params if isinstance(params, Sequence) else dict(params)
            return list(self.db.query(sql, values))

    def query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """Run a read query and return the first row, or None."""
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (a count, a pragma), or None when no row."""
        row = self.query_one(sql, params)
        return next(iter(row.values())) if row else None

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one statement (atomic by itself, or part of an open `immediate()`)."""
        with self._lock, translate_errors():
            outside = not self.conn.in_transaction
            if outside:
                self._check_same_file()
            cursor = self.conn.execute(sql, params)
            if outside and self.conn.in_transaction:
                self.conn.commit()
            return cursor

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the database.

        Commits made through this Store's own connection do not change it, so a screen
        refreshes itself after its own writes and polls this for everybody else's.
        """
        row = self.query_one("PRAGMA data_version")
        return int(row["data_version"]) if row else 0


class Area:
    """One area's queries (check-ins, violations, ...) over the shared core's connection.

    Reads use `query`/`query_one`; every write runs inside `immediate()` or through
    `execute`, so it passes the core's check that the file was not replaced.
    """

    def __init__(self, core: StoreCore) -> None:
        self._core = core
        self.db = core.db
        self.conn = core.conn
        self._lock = core._lock
        self.query = core.query
        self.query_one = core.query_one
        self.scalar = core.scalar
        self.execute = core.execute
        self.immediate = core.immediate

    def table(self, name: str) -> Table:
        """A sqlite-utils table of this database (always a table, never a view)."""
        return self.db.table(name)

    def insert_row(self, name: str, row: Mapping[str, Any]) -> int:
        """Insert one row into table `name` in a write transaction; return its primary key."""
        with self.immediate():
            last = self.table(name).insert(dict(row)).last_pk
        if not isinstance(last, int):
            raise TypeError(f"table {name} has no integer primary key")
        return last
