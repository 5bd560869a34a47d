"""The store: connection settings, migrations, transactions, plain errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.errors import StoreUnavailable
from kiosk.store import Store, open_store
from kiosk.store.schema import latest_version, schema_version


def test_every_connection_is_wal_full_sync_with_foreign_keys(store: Store) -> None:
    assert store.query_one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert store.query_one("PRAGMA synchronous")["synchronous"] == 2
    assert store.query_one("PRAGMA foreign_keys")["foreign_keys"] == 1
    assert store.query_one("PRAGMA busy_timeout")["timeout"] >= 5000


def test_migrations_are_idempotent(db_path: Path) -> None:
    open_store(db_path).close()
    again = open_store(db_path)
    assert schema_version(again.db)[-1] == latest_version()
    assert len(schema_version(again.db)) == len(set(schema_version(again.db)))
    again.close()


def test_immediate_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.immediate():
        store.settings.set("school_name", "Half written")
        raise RuntimeError("boom")
    assert store.settings.get("school_name") is None


def test_nested_immediate_uses_a_savepoint(store: Store) -> None:
    with store.immediate():
        store.settings.set("a", "1")
        with pytest.raises(RuntimeError), store.immediate():
            store.settings.set("b", "2")
            raise RuntimeError("inner")
    assert store.settings.get("a") == "1" and store.settings.get("b") is None


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.families.upsert_pupil({"id": "P1", "family_id": "nobody", "first_name": "A",
                            "surname": "B", "class_name": "1B", "year_group": "1",
                            "updated_at": "2026-01-01"})


def test_a_second_writer_waits_instead_of_failing(db_path: Path) -> None:
    first, second = open_store(db_path), open_store(db_path)
    with first.immediate():
        first.settings.set("x", "1")
        other = sqlite3.connect(db_path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with second.immediate():
        second.settings.set("x", "2")
    assert first.settings.get("x") == "2"
    first.close()
    second.close()


def test_a_read_only_database_gives_a_plain_message(store: Store) -> None:
    store.conn.execute("PRAGMA query_only = ON")  # root ignores file modes: refuse writes here
    with pytest.raises(StoreUnavailable, match="read-only"):
        store.settings.set("x", "1")
    store.conn.execute("PRAGMA query_only = OFF")
    store.settings.set("x", "1")
    assert store.settings.get("x") == "1"


def test_a_file_that_is_not_a_database_gives_a_plain_message(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable, match="not a kiosk database"):
        open_store(junk)
