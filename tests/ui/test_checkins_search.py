"""Issue 16 items 11-12 on the Check-ins screen: `/` focuses the search, a name typed in
the table is a search, no match says so, a steward's `u` is answered, "re-entry"; and the
demo key is not advertised in staff mode."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.checkins import CheckinsScreen
from support.staff_school import MutableClock, School, build_school, quick_hashes, settle, sign_in


@pytest.fixture
def school(store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch) -> School:
    quick_hashes(monkeypatch)
    return build_school(store, now)


@pytest.fixture
def app(store: Store, school: School, now: datetime) -> KioskApp:
    return KioskApp(store, "nativity", clock=MutableClock(now), kiosk_id="door-1", quiet=True)


async def open_checkins(pilot, name: str = "Sam Steward") -> CheckinsScreen:
    await sign_in(pilot, name)
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CheckinsScreen)
    return screen


async def test_slash_focuses_the_search_and_no_match_says_so(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checkins(pilot)
        box = screen.query_one("#family-search", Input)
        screen.query_one("#checkins", DataTable).focus()
        await pilot.press("slash")
        assert app.focused is box and box.value == ""
        await pilot.press("slash")
        assert box.value == ""  # "/" is never typed into the search
        await pilot.press(*"Zed")
        await settle(pilot)
        none = screen.query_one("#families-none", Static)
        assert none.display and "No family found for “Zed”" in str(none.render())
        box.value = "Kh"
        await settle(pilot)
        assert not none.display
        assert screen.query_one("#families", DataTable).row_count == 1


async def test_a_name_typed_in_the_table_is_a_search_not_a_scan(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checkins(pilot)
        screen.query_one("#families", DataTable).focus()
        start = events.Key("a", "a").time
        for offset, char in ((0.0, "K"), (1.0, "h")):  # a person's pace
            key = events.Key(char, char)
            key.time = start + offset
            app.post_message(key)
        await settle(pilot)
        box = screen.query_one("#family-search", Input)
        assert box.value == "Kh" and app.focused is box
        screen.query_one("#families", DataTable).focus()
        screen.handle_scan("Price", "scanner")  # a quick typist, then Enter
        await settle(pilot)
        assert box.value == "KhPrice"
        assert not [n for n in app._notifications if "pass was shown" in n.message]


async def test_a_steward_pressing_u_is_told_undo_is_for_leads(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checkins(pilot)
        screen.query_one("#checkins", DataTable).focus()
        await pilot.press("u")
        await pilot.pause()
        assert any("lead" in n.message for n in app._notifications)
        assert app.screen is screen
