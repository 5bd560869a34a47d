"""A pass used again at another door within minutes: a quiet notice for staff, not the card."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kiosk.checkin.service import check_in
from kiosk.config import DOOR_CHANGE_MINUTES
from kiosk.errors import PermissionDenied
from kiosk.store import Store
from kiosk.views.door_changes import door_changes
from kiosk.views.notices import staff_notices
from support.checkin_school import School, build_school


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def _use(school: School, family: str, door: str, minutes: float, nonce: str) -> str:
    result = check_in(school.store, school.tokens[family], "nativity",
                      now=school.now + timedelta(minutes=minutes), kiosk_id=door, nonce=nonce)
    return result.code


def test_a_pass_in_again_at_another_door_within_minutes_names_family_doors_and_times(
        school: School) -> None:
    assert _use(school, "F-GREEN", "North door", 0, "a").startswith("admitted")
    assert _use(school, "F-GREEN", "South door", 3, "b") == "re_entry"
    changes = door_changes(school.store, "nativity", staff_id=school.steward)
    assert [(c.family_name, c.first_door, c.again_door) for c in changes] == [
        ("Greenwood", "North door", "South door")]
    text = changes[0].text
    start, again = school.now, school.now + timedelta(minutes=3)
    assert text == (f"Greenwood family: pass {school.refs['F-GREEN']} came in at North door"
                    f" at {start:%H:%M} and again at South door at {again:%H:%M}"
                    " (3 min later). Is the pass being shared?")
    assert text in staff_notices(school.store, "nativity", staff_id=school.steward,
                                 now=again)


def test_the_same_door_or_a_long_gap_or_an_undone_entry_is_no_notice(school: School) -> None:
    _use(school, "F-GREEN", "North door", 0, "a")
    assert _use(school, "F-GREEN", "North door", 2, "b") == "re_entry"  # out and back in
    _use(school, "F-AMBER", "North door", 0, "c")
    later = DOOR_CHANGE_MINUTES + 1
    assert _use(school, "F-AMBER", "South door", later, "d") == "re_entry"  # a long gap
    assert door_changes(school.store, "nativity", staff_id=school.steward) == []


def test_it_compares_with_the_use_just_before(school: School) -> None:
    """North, then North again at 30 min, then South at 33: the notice is 30 -> 33."""
    _use(school, "F-GREEN", "North door", 0, "a")
    _use(school, "F-GREEN", "North door", 30, "b")
    _use(school, "F-GREEN", "South door", 33, "c")
    (change,) = door_changes(school.store, "nativity", staff_id=school.steward)
    assert change.again_at - change.first_at == timedelta(minutes=3)


def test_only_signed_in_staff_read_door_changes(school: School) -> None:
    with pytest.raises(PermissionDenied):
        door_changes(school.store, "nativity", staff_id=99999)
