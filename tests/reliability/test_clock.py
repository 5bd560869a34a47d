"""Clock trouble: an event on another day, a clock that jumps back, a pass expiring mid-event.

Time is always passed in. A pass is judged on the day it is scanned; an item's filming
status on the day of the event; re-entry by what was recorded (the admission row), never
by comparing times; and lists come newest-recorded first, whatever the clocks said.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.audit.verify import verify as verify_audit
from kiosk.checkin.service import Decision, check_in, checkins_for_event
from kiosk.events import running_order
from kiosk.passes.issuing import issue_pass
from kiosk.store import Store

from .checks import read
from .hostile import is_plain
from .school import DOORS_OPEN, EVENT_DAY, OTHER_DAY, School

LARK = "F003"  # a Lark: every Lark may be filmed, so the Larks' item is "filming allowed"


def _scan(store: Store, token: str, event: str, now: datetime, nonce: str,
          kiosk: str = "door-a") -> Decision:
    return check_in(store, token, event, now=now, kiosk_id=kiosk, nonce=nonce)


def _token(school: School, family: str) -> str:
    return next(p["token"] for p in school.passes
                if p["family_id"] == family and p["kind"] == "valid")


def test_event_on_another_day_judges_pass_today_and_filming_on_the_event_day(
    school: School, school_store: Store
) -> None:
    """The carol service is a week after the nativity; a Lark's consent ends in between."""
    short = issue_pass(school_store, LARK, now=DOORS_OPEN,
                       valid_until=EVENT_DAY + timedelta(days=3)).token
    school_store.families.upsert_consent({"pupil_id": "P0030", "category": "event_recording",
                                 "value": "granted", "given_by": "school record",
                                 "recorded_at": "2026-09-01", "valid_until": "2026-12-13"})
    tonight = _scan(school_store, short, school.event, DOORS_OPEN, "n1")
    assert tonight.code == "admitted"
    (lark_item,) = running_order(school_store, school.other_day_event).items_for_pupils(
        ["P0030"])
    assert lark_item.status == "no_filming", "filming is judged on the carol service's day"
    on_the_day = _scan(school_store, short, school.other_day_event,
                       DOORS_OPEN.replace(day=OTHER_DAY.day), "c2")
    assert (on_the_day.code, on_the_day.result) == ("expired", "refused")
    assert is_plain(on_the_day.message) and "expired" in on_the_day.message
    assert on_the_day.family_id == LARK, "staff can see whose expired pass it was"


def test_check_in_to_an_event_on_another_day_says_so(school: School, school_store: Store) -> None:
    decision = _scan(school_store, _token(school, LARK), school.other_day_event, DOORS_OPEN, "x")
    assert (decision.code, decision.result) == ("not_today", "refused")
    assert f"{OTHER_DAY:%-d %B %Y}" in decision.message and is_plain(decision.message)
    assert decision.family_id == LARK, "staff can see whose pass it was"
    (row,) = read(school_store.path, "SELECT code FROM checkins WHERE nonce = 'x'")
    assert row["code"] == "not_today", "the refusal is recorded like any other"


def test_clock_jumping_back_still_sees_the_re_entry(school: School, school_store: Store) -> None:
    token = _token(school, LARK)
    first = _scan(school_store, token, school.event, DOORS_OPEN + timedelta(minutes=30), "a")
    back = DOORS_OPEN - timedelta(minutes=30)  # the clock is corrected an hour backwards
    again = _scan(school_store, token, school.event, back, "b", kiosk="door-b")
    assert first.code == "admitted"
    assert (again.code, again.first_kiosk) == ("re_entry", "door-a")
    assert again.first_at == DOORS_OPEN + timedelta(minutes=30)
    assert "18:00" in again.message and "door-a" in again.message
    other = _scan(school_store, _token(school, "F006"), school.event, back, "c")
    assert other.code == "admitted", "another family is still admitted at the earlier time"
    listed = [entry.id for entry in checkins_for_event(school_store, school.event)]
    assert listed == sorted(listed, reverse=True), "the staff list is newest-recorded first"
    assert listed[0] == other.checkin_id
    assert verify_audit(school_store).ok


def test_two_doors_with_skewed_clocks_admit_once(school: School, school_store: Store) -> None:
    token = _token(school, "F009")
    door_a = _scan(school_store, token, school.event, DOORS_OPEN, "a", kiosk="door-a")
    door_b = _scan(school_store, token, school.event, DOORS_OPEN - timedelta(minutes=10), "b",
                   kiosk="door-b")
    assert (door_a.code, door_b.code, door_b.first_kiosk) == ("admitted", "re_entry", "door-a")


def test_pass_expiring_during_the_event(school: School, school_store: Store) -> None:
    """The nativity runs past midnight; the pass was valid to the end of the event day."""
    token = issue_pass(school_store, LARK, now=DOORS_OPEN, valid_until=EVENT_DAY).token
    late = DOORS_OPEN.replace(hour=23, minute=50)
    admitted = _scan(school_store, token, school.event, late, "in")
    last_second = _scan(school_store, token, school.event, late.replace(minute=59, second=59),
                        "still")
    after_midnight = _scan(school_store, token, school.event, late + timedelta(minutes=20),
                           "out")
    assert (admitted.code, last_second.code) == ("admitted", "re_entry")
    assert (after_midnight.code, after_midnight.result) == ("expired", "refused")
    assert is_plain(after_midnight.message) and "member of staff" in after_midnight.message
    assert after_midnight.family_id == LARK
    live = read(school.db_path, "SELECT COUNT(*) FROM checkins WHERE family_id = ?"
                " AND result = 'admitted' AND undone_at IS NULL", (LARK,))[0][0]
    assert live == 1, "the admission made before midnight still stands"
