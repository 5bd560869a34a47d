"""Fixtures for the reliability suite: one school built per session, copied per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store import Store, open_store

from .school import School, build_school


@pytest.fixture(scope="session")
def school_template(tmp_path_factory: pytest.TempPathFactory) -> School:
    """The fictional school, built once (argon2 PINs and passes take a moment)."""
    return build_school(tmp_path_factory.mktemp("school-template") / "kiosk.db")


@pytest.fixture
def school(school_template: School, tmp_path: Path) -> School:
    """A private copy of the school's database file for one test."""
    return school_template.copy_to(tmp_path / "school")


@pytest.fixture
def school_store(school: School) -> Iterator[Store]:
    """The school's database, open in this process."""
    store = open_store(school.db_path)
    yield store
    store.close()
