"""Fixtures over the data protection test school: built once, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.security.keys import key_path
from kiosk.store import Store, open_store
from support.data_protection_school import School, build_school


@pytest.fixture(scope="session")
def school_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, School]:
    """The fixture school built once per session (argon2 and passes take a moment)."""
    path = tmp_path_factory.mktemp("school") / "template.db"
    store = open_store(path)
    school = build_school(store)
    store.close()
    return path, school


@pytest.fixture
def school_db(school_template: tuple[Path, School], tmp_path: Path) -> tuple[Path, School]:
    """A private copy of the fixture school's database file for one test."""
    template, school = school_template
    path = tmp_path / "kiosk.db"
    shutil.copyfile(template, path)
    shutil.copyfile(key_path(template), key_path(path))
    return path, school


@pytest.fixture
def school_store(school_db: tuple[Path, School]) -> Iterator[tuple[Store, School]]:
    """The copied fixture school, open."""
    store = open_store(school_db[0])
    yield store, school_db[1]
    store.close()
