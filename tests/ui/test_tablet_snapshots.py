"""Snapshots at tablet sizes (the terminal of a page served by kiosk serve, font 16):
1024x768 is 77x34 cells, 768x1024 (portrait) 85x34. Fixed clock, fixed school, no toasts."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual import events
from textual.pilot import Pilot

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.party import PartySizeScreen
from support import checkin_school, staff_school
from support.door_helpers import make_app, type_code, wait_until
from support.staff_school import MutableClock, quiet_inputs, settle, sign_in

LANDSCAPE, PORTRAIT = (77, 34), (85, 34)


@pytest.fixture
def staff_app(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> KioskApp:
    staff_school.quick_hashes(monkeypatch)
    staff_school.build_school(store, now)
    return KioskApp(store, "nativity", clock=MutableClock(now), kiosk_id="door-1",
                    quiet=True, tablet=True)


async def _settle(pilot: Pilot) -> None:
    await settle(pilot)
    quiet_inputs(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("picked", [False, True], ids=["letters", "keypad"])
def test_tablet_pin_screen_portrait(snap_compare, staff_app: KioskApp, picked: bool) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.click("#staff-button")
        await settle(pilot)
        await pilot.click("#pin-letter-l")
        await settle(pilot)
        if picked:
            await pilot.click("#pin-names", offset=(3, 1))
        await _settle(pilot)

    assert snap_compare(staff_app, terminal_size=PORTRAIT, run_before=run_before)


def test_tablet_dashboard_with_its_buttons(snap_compare, staff_app: KioskApp) -> None:
    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Lee Lead")
        await _settle(pilot)

    assert snap_compare(staff_app, terminal_size=LANDSCAPE, run_before=run_before)


def test_tablet_more_for_a_headteacher_portrait(snap_compare, staff_app: KioskApp) -> None:
    async def run_before(pilot: Pilot) -> None:
        await sign_in(pilot, "Helen Head")
        await pilot.click("#nav-actions")
        await _settle(pilot)

    assert snap_compare(staff_app, terminal_size=PORTRAIT, run_before=run_before)


@pytest.fixture
def door_school(store: Store, now: datetime) -> checkin_school.School:
    return checkin_school.build_school(store, now)


def test_tablet_door_whose_camera_was_refused(snap_compare,
                                              door_school: checkin_school.School) -> None:
    app, _ = make_app(door_school.store, door_school.now, tablet=True)

    async def run_before(pilot: Pilot) -> None:
        pilot.app.post_message(events.Paste("kiosk-camera:off"))
        await _settle(pilot)

    assert snap_compare(app, terminal_size=PORTRAIT, run_before=run_before)


def test_tablet_party_size_question(snap_compare, door_school: checkin_school.School) -> None:
    app, _ = make_app(door_school.store, door_school.now, event_id="concert", tablet=True)

    async def run_before(pilot: Pilot) -> None:
        await type_code(pilot, door_school.tokens["F-GREEN"])
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PartySizeScreen),
                         "the question")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=LANDSCAPE, run_before=run_before)
