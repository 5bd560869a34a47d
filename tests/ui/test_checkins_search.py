"""Issue 16 items 11-12 on the Check-ins screen: `/` focuses the search, which finds a family
by a child's first name too; a name typed in the table is a search, no match says so; the
manual check-in dialog names the family and shows its filming view; a steward's `u` is
answered; and the dashboard says "re-entry"."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static

from kiosk.checkin.lists import CheckinCounts
from kiosk.ui.app import KioskApp
from kiosk.ui.staff.ask import AskScreen
from kiosk.ui.staff.checkins import CheckinsScreen
from kiosk.ui.staff.dashboard import counts_text
from kiosk.views.staffdesk import Dashboard
from support.staff_school import (
    fill,
    settle,
    sign_in,
)


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


async def test_a_child_first_name_finds_the_family(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checkins(pilot)
        box = screen.query_one("#family-search", Input)
        families = screen.query_one("#families", DataTable)
        for typed, family in (("noah", "Khan family"), ("Oli", "Price family"),
                              ("Khan", "Khan family")):
            box.value = typed
            await settle(pilot)
            assert families.row_count == 1, typed
            assert str(families.get_row_at(0)[0]) == family
        box.value = "Noahx"
        await settle(pilot)
        assert families.row_count == 0
        assert "No family found for “Noahx”" in str(screen.query_one("#families-none").render())


async def test_the_manual_check_in_names_the_family_and_shows_its_filming_view(
        app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_checkins(pilot)
        screen.query_one("#family-search", Input).value = "Amelia"
        await settle(pilot)
        screen.query_one("#families", DataTable).focus()
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AskScreen)
        region = dialog.query_one("#ask-detail", Static).content_region
        strips = dialog._compositor.render_strips()
        lines = [text for y in range(region.y, region.bottom)
                 if (text := strips[y].text[region.x:region.right].strip())]
        assert lines[0] == "Khan family – Noah (1B), Amelia (R)"
        assert lines[1:] == [
            "! No filming during “Shepherds' Song” and", "“Finale”: please keep devices away then.",
            "✔  Away in a Manger · Amelia", "Filming allowed – your own child only",
            "✘  Shepherds' Song · Noah", "No filming – devices away",
            "✘  Finale · Noah and Amelia", "No filming – devices away",
        ]  # the dialog is narrow: each status sits under its item
        await fill(pilot, "#ask-text", "forgot pass", submit=True)
        await settle(pilot)
        assert app.screen is screen
        assert any(n.title.startswith("Welcome") for n in app._notifications)


@pytest.mark.parametrize(("re_entries", "words"), [(0, "0 re-entries"), (1, "1 re-entry"),
                                                   (2, "2 re-entries")])
def test_the_dashboard_counts_say_re_entry_in_words(re_entries: int, words: str) -> None:
    counts = CheckinCounts(families_expected=5, families_checked_in=2, parties_checked_in=2,
                           people_checked_in=None, people_expected=None,
                           re_entries=re_entries, refusals=1)
    line = counts_text(Dashboard("nativity", "Nativity", "2026-12-10", counts, ()))
    assert line.split(" · ")[2] == words
