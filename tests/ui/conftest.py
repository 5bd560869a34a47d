"""The staff-mode school and a door app over it: the default `school` and `app` of UI tests.

A module that needs another school (the door tests' check-in school) or another app (a
tablet's) defines its own fixture of the same name, which pytest uses instead.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from support.staff_school import MutableClock, School, build_school, quick_hashes


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    """The staff school (four staff, one of each role; fast PIN hashes for tests)."""
    quick_hashes(monkeypatch)
    return build_school(store, now)


@pytest.fixture
def clock(now: datetime) -> MutableClock:
    """The door's clock, moved on by tests that need time to pass."""
    return MutableClock(now)


@pytest.fixture
def app(store: Store, school: School, clock: MutableClock) -> KioskApp:
    """The door app on the staff school's nativity, as door-1."""
    return KioskApp(store, "nativity", clock=clock, kiosk_id="door-1", quiet=True)
