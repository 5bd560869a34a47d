"""Check-in window (outside_hours) and per-pass parties (a family with two passes)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.checkin import service as checkin
from kiosk.checkin.hours import window
from kiosk.checkin.service import check_in, manual_check_in
from kiosk.passes.issuing import issue_pass
from kiosk.store import Store, open_store
from support.checkin_school import School, build_school
from support.school import add_event


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_school(store, now)


_counter = iter(range(1_000_000))


def scan(school: School, text: str, event: str = "nativity", **kwargs) -> checkin.Decision:
    kwargs.setdefault("now", school.now)
    kwargs.setdefault("nonce", f"w{next(_counter)}")
    kwargs.setdefault("kiosk_id", "Main door")
    return check_in(school.store, text, event, **kwargs)


def _evening(school: School) -> None:
    add_event(school.store, "evening", "Carols", school.now.date(), now=school.now,
              doors_open="18:30", curtain="19:00", open_to_all=True)
    school.store.execute("UPDATE events SET ends_at = '20:30' WHERE id = 'evening'")


def test_before_doors_open_minus_margin_is_outside_hours_saying_when(school: School) -> None:
    _evening(school)
    early = school.now.replace(hour=17, minute=59)
    decision = scan(school, school.tokens["F-GREEN"], "evening", now=early)
    assert (decision.code, decision.result, decision.colour) == ("outside_hours", "refused",
                                                                 "red")
    assert "Doors open at 18:30" in decision.message
    assert "check-in starts at 18:00" in decision.message
    row = school.store.checkins.get(decision.checkin_id)
    assert row["code"] == "outside_hours", "the refusal is recorded like any other"


def test_margin_start_and_end_are_inside_and_after_the_end_is_outside(school: School) -> None:
    _evening(school)
    at_margin = scan(school, school.tokens["F-GREEN"], "evening",
                     now=school.now.replace(hour=18, minute=0))
    assert at_margin.ok
    late = scan(school, school.tokens["F-AMBER"], "evening",
                now=school.now.replace(hour=20, minute=31))
    assert late.code == "outside_hours"
    assert "ended at 20:30" in late.message


def test_margin_is_a_setting_and_replay_keeps_the_message(school: School) -> None:
    _evening(school)
    school.store.settings.set("doors_margin_minutes", "60")
    moment = school.now.replace(hour=17, minute=29)
    first = scan(school, school.tokens["F-GREEN"], "evening", now=moment, nonce="same")
    assert "check-in starts at 17:30" in first.message
    again = scan(school, school.tokens["F-GREEN"], "evening", now=moment, nonce="same")
    assert again.replayed and again.message == first.message


def test_manual_check_in_is_held_to_the_window_too(school: School) -> None:
    _evening(school)
    decision = manual_check_in(school.store, "evening", "F-GREEN", reason="no phone",
                               staff_id=school.steward, now=school.now.replace(hour=12),
                               kiosk_id="Main door", nonce="m1")
    assert decision.code == "outside_hours"


def test_an_event_without_times_admits_all_day() -> None:
    row = {"date": "2026-12-10", "doors_open": None, "ends_at": None}
    span = window(row)  # type: ignore[arg-type]
    assert span.admits(datetime(2026, 12, 10, 0, 1)) and span.admits(datetime(2026, 12, 10,
                                                                             23, 59))


def _second_pass(school: School) -> str:
    return issue_pass(school.store, "F-GREEN", now=school.now, label="Grandparents").token


def test_two_passes_of_one_family_are_two_parties_each_welcomed(school: School) -> None:
    grandparents = _second_pass(school)
    parents = scan(school, school.tokens["F-GREEN"])
    grand = scan(school, grandparents)
    assert (parents.code, grand.code) == ("admitted", "admitted")
    assert grand.view is not None and grand.view.children
    back = scan(school, grandparents, now=school.now + timedelta(minutes=30),
                kiosk_id="Side door")
    assert back.code == "re_entry"
    assert back.first_kiosk == "Main door" and back.first_at == school.now
    counts = checkin.event_counts(school.store, "nativity")
    assert (counts.families_checked_in, counts.parties_checked_in) == (1, 2)
    assert counts.re_entries == 1


def test_people_count_by_party_only_where_the_event_counts_people(school: School) -> None:
    grandparents = _second_pass(school)
    scan(school, school.tokens["F-GREEN"], "concert", party_size=2)
    with pytest.raises(checkin.PartySizeNeeded):
        scan(school, grandparents, "concert")
    scan(school, grandparents, "concert", party_size=1)
    counts = checkin.event_counts(school.store, "concert")
    assert (counts.families_checked_in, counts.parties_checked_in,
            counts.people_checked_in) == (1, 2, 3)
    assert checkin.event_counts(school.store, "nativity").people_checked_in is None


def test_manual_check_in_is_one_party_of_its_own(school: School) -> None:
    scan(school, school.tokens["F-GREEN"])
    kwargs = {"reason": "phone flat", "staff_id": school.steward, "now": school.now,
              "kiosk_id": "Main door"}
    by_hand = manual_check_in(school.store, "nativity", "F-GREEN", nonce="h1", **kwargs)
    again = manual_check_in(school.store, "nativity", "F-GREEN", nonce="h2", **kwargs)
    assert (by_hand.code, again.code) == ("admitted", "re_entry")


def test_one_pass_at_two_doors_at_once_is_admitted_once(school: School, db_path: Path) -> None:
    grandparents = _second_pass(school)
    barrier = threading.Barrier(4)
    codes: list[tuple[str, str]] = []

    def door(name: str, token: str) -> None:
        store = open_store(db_path)
        try:
            barrier.wait()
            decision = check_in(store, token, "nativity", now=school.now, kiosk_id=name,
                                nonce=f"race-{name}")
            codes.append((token, decision.code))
        finally:
            store.close()

    tokens = [school.tokens["F-GREEN"], school.tokens["F-GREEN"], grandparents, grandparents]
    threads = [threading.Thread(target=door, args=(f"door{i}", t)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for token in (school.tokens["F-GREEN"], grandparents):
        assert sorted(c for t, c in codes if t == token) == ["admitted", "re_entry"]
