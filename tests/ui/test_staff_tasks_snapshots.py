"""Snapshots of the night-task screens at 80x24 and at tablet size (fixed school and pass)."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from kiosk.store import Store
from support.school import Family, Pupil, add_roster, fixed_pass
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

SIZES = pytest.mark.parametrize("size", [(80, 24), (128, 40)], ids=["80x24", "tablet"])
FIXED_REF = "RF07"


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    school = build_school(store, now)
    add_roster(store, [Family("lowe", "Lowe family", ("Ruth Lowe",))],
               [Pupil("p7", "lowe", "Maya", "Lowe", "R"), Pupil("p8", "lowe", "Sam", "Lowe", "2W")],
               stamp="2026-09-01T09:00:00+00:00")
    fixed_pass(store, "lowe", 7, now)
    return school


@pytest.fixture
def host(store: Store, school: School, now: datetime) -> StaffHost:
    return StaffHost(store, MutableClock(now))


async def _settle(pilot: Pilot) -> None:
    await settle(pilot)
    quiet_inputs(pilot.app)
    await pilot.pause()


async def _open(pilot: Pilot, who: str, task: str, family: str | None = "Lowe") -> None:
    await sign_in(pilot, who)
    pilot.app.staff_mode.show(task)
    await settle(pilot)
    if family:
        await fill(pilot, "#task-search", family)
        await settle(pilot)


async def _highlight(pilot: Pilot, selector: str, key: str) -> None:
    table = pilot.app.screen.query_one(selector, DataTable)
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


@SIZES
def test_consent_dialog(snap_compare, host: StaffHost, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open(pilot, "Lee Lead", "consent")
        await _highlight(pilot, "#consent-children", "p7")
        await pilot.click("#withdraw")
        await settle(pilot)
        pilot.app.screen.query_one("#consent-note", Input).value = "asked at the door"
        await _settle(pilot)

    assert snap_compare(host, terminal_size=size, run_before=run_before)


@SIZES
def test_consent_after_a_withdrawal(snap_compare, host: StaffHost, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open(pilot, "Lee Lead", "consent")
        await _highlight(pilot, "#consent-children", "p7")
        await pilot.click("#withdraw")
        await settle(pilot)
        pilot.app.screen.query_one("#consent-by", Select).value = "Ruth Lowe"
        await pilot.click("#consent-ok")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=size, run_before=run_before)


@SIZES
def test_lost_pass_offers_the_check_in(snap_compare, host: StaffHost,
                                       size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open(pilot, "Lee Lead", "lostpass")
        await _highlight(pilot, "#lostpass-passes", FIXED_REF)
        await pilot.click("#revoke")
        await settle(pilot)
        await pilot.click("#ask-ok")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=size, run_before=run_before)


@SIZES
def test_lost_pass_screen(snap_compare, host: StaffHost, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open(pilot, "Lee Lead", "lostpass")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=size, run_before=run_before)


@SIZES
def test_pin_reset(snap_compare, host: StaffHost, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _open(pilot, "Ada Admin", "pinreset", family=None)
        pilot.app.screen.query_one("#reset-name", Select).value = "Sam Steward"
        for digit in "975310":
            await pilot.click(f"#reset-key-{digit}")
        await _settle(pilot)

    assert snap_compare(host, terminal_size=size, run_before=run_before)
