"""Snapshots of each staff screen (fixed clock, fixed school, no cursor blink, no toasts)."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot

from kiosk.checkin.service import check_in, manual_check_in
from kiosk.events import move_now_on_stage
from kiosk.store import Store
from kiosk.ui.staff.header import StaffBar
from kiosk.violations.workflow import acknowledge, add_note, log_violation
from support.staff_school import (
    MutableClock,
    School,
    StaffHost,
    build_school,
    fill,
    quick_hashes,
    quiet_inputs,
    settle,
    sign_in,
)

SIZE = (100, 30)


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    school = build_school(store, now)
    move_now_on_stage(store, "nativity", 3, staff_id=school.staff["Lee Lead"], now=now,
                      kiosk_id="door-1")
    return school


@pytest.fixture
def host(store: Store, school: School, now: datetime) -> StaffHost:
    return StaffHost(store, MutableClock(now))


def _violations(store: Store, school: School, now: datetime) -> int:
    first = log_violation(store, event_id="nativity", kind="filmed_staff", now=now,
                          reported_by=school.staff["Sam Steward"], kiosk_id="door-1",
                          item_id=school.items[2], description="man in red coat, row F",
                          action_taken="asked_to_stop")
    log_violation(store, event_id="nativity", kind="filmed_child_without_permission",
                  reported_by=school.staff["Lee Lead"], now=now, kiosk_id="door-1",
                  item_id=school.items[2], children=["p4"], action_taken="refused_to_delete",
                  notes="left before the finale")
    return first


async def _settle(pilot: Pilot) -> None:
    await settle(pilot)
    quiet_inputs(pilot.app)
    await pilot.pause()


def test_pin_screen_after_a_wrong_pin(snap_compare, host: StaffHost) -> None:
    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Sam Steward", "0000")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (128, 40)], ids=["80x24", "tablet"])
def test_pin_screen_offers_names_only_after_a_letter(snap_compare, host: StaffHost,
                                                     size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("l")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=size, run_before=run_before)


def test_dashboard_with_names_revealed(snap_compare, host: StaffHost, store: Store,
                                       school: School, now: datetime) -> None:
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1", nonce="a")

    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("r")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


def test_checkins(snap_compare, host: StaffHost, store: Store, school: School,
                  now: datetime) -> None:
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1", nonce="a")
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-2", nonce="b")
    check_in(store, "not a pass", "nativity", now=now, kiosk_id="door-1", nonce="c")
    manual_check_in(store, "nativity", "price", reason="phone flat", now=now,
                    staff_id=school.staff["Sam Steward"], kiosk_id="door-1", nonce="d")

    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "#family-search", "o")
        await _settle(pilot)
        host.staff_mode.check_idle()  # the once-a-second check reads the door-change notice:
        await settle(pilot)  # run it now, so the picture never depends on how long this took
        for bar in pilot.app.screen.query(StaffBar):
            bar.show_notice()
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


def test_manual_check_in_dialog(snap_compare, host: StaffHost) -> None:
    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "#family-search", "Amelia", submit=True)
        await settle(pilot)
        await pilot.press("m")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


def test_violation_form(snap_compare, host: StaffHost) -> None:
    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("1")
        await fill(pilot, "#description", "man in red coat, row F")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


def test_inbox(snap_compare, host: StaffHost, store: Store, school: School,
               now: datetime) -> None:
    _violations(store, school, now)

    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Helen Head")
        await pilot.press("i")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


def test_violation_detail(snap_compare, host: StaffHost, store: Store, school: School,
                          now: datetime) -> None:
    first = _violations(store, school, now)
    acknowledge(store, first, staff_id=school.staff["Helen Head"], now=now, kiosk_id="door-1")
    add_note(store, first, "Spoke to the parent at the interval", now=now,
             staff_id=school.staff["Helen Head"], kiosk_id="door-1")

    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Helen Head")
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("down", "enter")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, host: StaffHost) -> None:
    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("f1")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=SIZE, run_before=run_before)
