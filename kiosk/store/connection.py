"""Opening the SQLite file safely and turning its failures into plain messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.errors import KioskError, StoreUnavailable
from kiosk.security.files import make_private, private_folder

BUSY_TIMEOUT_MS = 10_000

_PLAIN_REASONS = (
    ("disk is full", "The disk is full, so nothing more can be saved."),
    ("readonly", "The database file is read-only, so nothing can be saved."),
    ("read-only", "The database file is read-only, so nothing can be saved."),
    ("disk i/o error", "The database file could not be read or written (disk error)."),
    ("unable to open", "The database file could not be opened."),
    ("no such table", "The database file is missing or is not a kiosk database."),
    ("not a database", "The file is not a kiosk database (it may be damaged)."),
    ("malformed", "The database file is damaged."),
    ("locked", "The database is busy with another kiosk; please try again."),
    ("busy", "The database is busy with another kiosk; please try again."),
)


def plain_reason(error: sqlite3.Error) -> str:
    """One sentence a steward can act on, for an SQLite failure."""
    text = str(error).lower()
    for needle, sentence in _PLAIN_REASONS:
        if needle in text:
            return sentence
    return f"The database reported a problem: {error}."


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise SQLite operational failures as StoreUnavailable with a plain reason."""
    try:
        yield
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
        if isinstance(error, sqlite3.IntegrityError):
            raise
        raise StoreUnavailable(plain_reason(error)) from error


def _make_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    try:
        private_folder(folder)
    except KioskError as error:
        raise StoreUnavailable(str(error)) from error
    except OSError as error:
        raise StoreUnavailable(
            f"The folder {folder} for the database could not be created"
            f" ({error.strerror or error})."
        ) from error


def connect(path: Path | str) -> sqlite3.Connection:
    """Open the file with WAL, synchronous=FULL, foreign keys on and a busy timeout.

    FULL (not NORMAL) so a confirmed check-in survives a power cut; WAL so a stage
    board can read while a door writes. The connection may be used from the thread
    that owns the Store's lock (the Store serialises access).
    """
    with translate_errors():
        if str(path) != ":memory:":
            _make_folder(Path(path).parent)
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        for side in ("", "-wal", "-shm"):
            make_private(f"{path}{side}")
    return conn
