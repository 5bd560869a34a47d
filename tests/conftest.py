"""Shared fixtures: real SQLite files in a temporary folder, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.store import Store, open_store
from support.school import NOW as FIXED_NOW


@pytest.fixture
def now() -> datetime:
    """A fixed moment: the evening of the demo nativity."""
    return FIXED_NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh database file."""
    return tmp_path / "kiosk.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh, migrated kiosk database on disk."""
    opened = open_store(db_path)
    yield opened
    opened.close()
