"""The dashboard's doors: each door's own counts and when it last answered."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kiosk.checkin.service import check_in
from kiosk.errors import PermissionDenied
from kiosk.store import Store
from kiosk.views.doors import door_lines
from support.checkin_school import School, build_school


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


def test_each_door_counts_its_own_decisions_and_its_last_answer(school: School) -> None:
    first, second = "F-GREEN", "F-AMBER"  # both have a child on stage
    at = school.now
    check_in(school.store, school.tokens[first], "nativity", now=at, kiosk_id="North door",
             nonce="a")
    check_in(school.store, school.tokens[first], "nativity", now=at + timedelta(minutes=1),
             kiosk_id="South door", nonce="b")  # the same pass again: a re-entry at South
    check_in(school.store, "not a pass", "nativity", now=at + timedelta(minutes=2),
             kiosk_id="South door", nonce="c")
    check_in(school.store, school.tokens[second], "nativity", now=at + timedelta(minutes=3),
             kiosk_id="North door", nonce="d")
    lines = door_lines(school.store, "nativity", staff_id=school.steward)
    assert [(d.door, d.admitted, d.re_entries, d.refused) for d in lines] == [
        ("North door", 2, 0, 0), ("South door", 0, 1, 1)]
    north = lines[0]
    assert north.last_at == at + timedelta(minutes=3)
    assert north.words(at + timedelta(minutes=10)) == (
        "North door: 2 in, 0 re-entries, 0 refused, last 7 min ago")
    assert lines[1].words(at + timedelta(minutes=2)) == (
        "South door: 0 in, 1 re-entry, 1 refused, last just now")


def test_no_door_has_answered_yet(school: School) -> None:
    assert door_lines(school.store, "nativity", staff_id=school.steward) == []


def test_only_signed_in_staff_read_the_doors(school: School) -> None:
    with pytest.raises(PermissionDenied):
        door_lines(school.store, "nativity", staff_id=99999)
