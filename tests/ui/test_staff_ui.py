"""Staff mode in the real kiosk app (Pilot): PIN, back-off, lock-out, idle lock, roles, work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, SelectionList, Static

from kiosk.checkin.service import check_in
from kiosk.staff import SignInError, authenticate, reset_pin
from kiosk.store import Store, open_store
from kiosk.ui.app import KioskApp
from kiosk.ui.board import StageBoard
from kiosk.ui.messages import CodeScanned
from kiosk.ui.staff import StaffCommands
from kiosk.ui.staff.checkins import CheckinsScreen
from kiosk.ui.staff.dashboard import DashboardScreen
from kiosk.ui.staff.help import HelpScreen
from kiosk.ui.staff.inbox import InboxScreen, ViolationDetail
from kiosk.ui.staff.pin import PinScreen
from kiosk.ui.staff.violation import ViolationForm
from support.staff_school import (
    MutableClock,
    School,
    fill,
    settle,
    sign_in,
)


def screen_names(app: KioskApp) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


def text_of(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Let the app run until `condition` holds (bounded), for polling threads."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition not reached in time")


async def test_right_pin_opens_the_dashboard_and_lock_returns_to_the_door(
        app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead", type_pin=True)
        assert screen_names(app) == ["DoorScreen", "DashboardScreen"]
        assert app.staff_mode.session.name == "Lee Lead"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert screen_names(app) == ["DoorScreen"]
        assert app.staff_mode.session is None
    assert store.audit.chain("door-1")[-1]["action"] == "staff.sign_out"


async def test_wrong_pin_then_backoff_then_right(app: KioskApp, clock: MutableClock) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward", "0000")
        assert isinstance(app.screen, PinScreen)
        assert text_of(app, "#pin-message") == "That PIN is not right. Please try again."
        await sign_in(pilot, "Sam Steward", "0000")
        await sign_in(pilot, "Sam Steward", "0000")
        assert "wait 5 seconds" in text_of(app, "#pin-message")
        clock.advance(2)
        await sign_in(pilot, "Sam Steward", "111111")
        assert text_of(app, "#pin-message") == (
            "Too many wrong PINs: please wait 3 seconds before trying again.")
        assert app.screen.query_one("#pin-input", Input).value == ""
        clock.advance(3)
        await sign_in(pilot, "Sam Steward", "111111")
        assert screen_names(app) == ["DoorScreen", "DashboardScreen"]


async def test_lock_out_after_ten_then_admin_reset(app: KioskApp, store: Store,
                                                   school: School, clock: MutableClock) -> None:
    for kiosk in ("door-2", app.kiosk_id):
        for _ in range(9):
            with pytest.raises(SignInError):
                authenticate(store, "Sam Steward", "0000", now=clock(), kiosk_id=kiosk)
            clock.advance(600)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward", "0000")
        assert "locked on this kiosk for 15 minutes" in text_of(app, "#pin-message")
        await sign_in(pilot, "Sam Steward", "111111")
        assert "locked on this kiosk" in text_of(app, "#pin-message")
        reset_pin(store, "Sam Steward", "246802", now=clock(), admin_id=school.staff["Ada Admin"])
        await sign_in(pilot, "Sam Steward", "246802")
        assert screen_names(app) == ["DoorScreen", "DashboardScreen"]


async def test_cancel_returns_to_the_door(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert screen_names(app) == ["DoorScreen"]


async def test_idle_auto_lock_follows_the_injected_clock(store: Store, school: School,
                                                         clock: MutableClock) -> None:
    app = KioskApp(store, "nativity", clock=clock, kiosk_id="door-1", quiet=True, idle_lock=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("r")
        assert app.staff_mode.names_revealed
        clock.advance(59)
        assert not app.staff_mode.check_idle()
        await pilot.press("down")  # activity restarts the count
        clock.advance(59)
        assert not app.staff_mode.check_idle()
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("k", "h")  # typing in the search field counts too
        clock.advance(59)
        assert not app.staff_mode.check_idle()
        clock.advance(1)
        assert app.staff_mode.check_idle()
        await settle(pilot)
        assert screen_names(app) == ["DoorScreen"]
        assert not app.staff_mode.names_revealed
        await sign_in(pilot, "Lee Lead")
        assert "hidden" in text_of(app, "#names")


async def test_a_steward_cannot_see_names_or_undo(app: KioskApp, store: Store,
                                                  school: School, now: datetime) -> None:
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1", nonce="k1")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("r")
        await settle(pilot)
        assert not app.staff_mode.names_revealed
        assert "lead or above only" in text_of(app, "#names")
        await pilot.press("n")
        await settle(pilot)
        assert store.events.get("nativity")["now_on_stage"] is None
        await pilot.press("f4")
        await settle(pilot)
        app.screen.query_one("#checkins", DataTable).focus()
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, CheckinsScreen)
        assert not app.screen.allowed("undo")
        assert store.checkins.get(1)["undone_at"] is None
        svg = app.export_screenshot()
        assert "Jack" not in svg and "Isla" not in svg


async def test_lead_reveals_names_on_request_and_lock_hides_them(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        assert "Jack" not in app.export_screenshot()
        await pilot.press("r")
        await settle(pilot)
        assert "Shepherds' Song: Isla N. (1B), Jack O. (1B)" in text_of(app, "#names")
        await pilot.press("r")
        assert "hidden" in text_of(app, "#names")


async def test_lead_moves_now_on_stage(app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("n", "n", "n", "b")
        await settle(pilot)
        assert store.events.item(store.events.get("nativity")["now_on_stage"])["title"] == (
            "Away in a Manger")
        assert "Now on stage: 2. Away in a Manger" in text_of(app, "#on-stage")


async def test_manual_check_in(app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"pri", "enter", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AskScreen"
        await pilot.press("enter")  # a reason is required
        assert "fill this in" in text_of(app, "#ask-message")
        await fill(pilot, "#ask-text", "phone flat", submit=True)
        await settle(pilot)
        assert isinstance(app.screen, CheckinsScreen)
        rows = store.checkins.of_event("nativity", include_refused=True, limit=None)
        assert [(r["family_id"], r["method"], r["result"]) for r in rows] == [
            ("price", "manual", "admitted")]
        table = app.screen.query_one("#checkins", DataTable)
        assert [str(c) for c in table.get_row_at(0)][1:5] == ["Price family", "", "manual",
                                                              "admitted restricted"]


async def test_undo_a_check_in(app: KioskApp, store: Store, school: School,
                               now: datetime) -> None:
    check_in(store, school.tokens["khan"], "nativity", now=now, kiosk_id="door-1", nonce="k1")
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("f4")
        await settle(pilot)
        app.screen.query_one("#checkins", DataTable).focus()
        await pilot.press("u")
        await settle(pilot)
        await fill(pilot, "#ask-text", "wrong family", submit=True)
        await settle(pilot)
        row = store.checkins.get(1)
        assert row["undone_at"] is not None and row["undo_reason"] == "wrong family"
        table = app.screen.query_one("#checkins", DataTable)
        assert str(table.get_row_at(0)[4]) == "undone"


async def test_violation_form_is_one_key_from_every_staff_screen(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Helen Head")
        for go, key in (("dashboard", "v"), ("checkins", "f2"), ("inbox", "v")):
            app.staff_mode.show(go)
            await settle(pilot)
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, ViolationForm), go
            await pilot.press("escape")
            await settle(pilot)


async def test_violation_logged_then_acknowledged_and_closed_in_the_inbox(
        app: KioskApp, store: Store, school: School) -> None:
    async with app.run_test(size=(100, 34)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("ctrl+s")
        assert "Choose what happened" in text_of(app, "#violation-message")
        await pilot.press("2")
        await fill(pilot, "#pass", "hello", submit=True)
        assert text_of(app, "#pass-link") == "This is not a family pass from this school."
        app.post_message(CodeScanned(school.tokens["osei"]))  # the door camera sees a pass
        await settle(pilot)
        assert "Linked: Pass" in text_of(app, "#pass-link")
        assert "Osei family" in text_of(app, "#pass-link")
        await fill(pilot, "#description", "filming the teacher")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        [saved] = store.violations.rows()
        assert (saved["kind"], saved["family_id"], saved["reported_by"], saved["status"]) == (
            "filmed_staff", "osei", school.staff["Sam Steward"], "open")
        await pilot.press("i")  # a steward has no inbox
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+l")
        await sign_in(pilot, "Helen Head")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        table = app.screen.query_one("#inbox", DataTable)
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ViolationDetail)
        assert "Filmed a member of staff" in text_of(app, "#detail")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, "#ask-text", "spoke to dad", submit=True)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await fill(pilot, "#ask-text", "footage deleted", submit=True)
        await settle(pilot)
        detail = text_of(app, "#detail")
        assert "Violation 1 · Closed" in detail
        for line in ("Logged – Sam Steward", "Acknowledged – Helen Head",
                     "Note added – Helen Head: spoke to dad",
                     "Closed – Helen Head: footage deleted"):
            assert line in detail
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert app.screen.query_one("#inbox", DataTable).row_count == 0
        await pilot.press("ctrl+l")
        await settle(pilot)
        door = app.export_screenshot()
        assert "Osei" not in door and "violation" not in door.lower()


async def test_help_and_palette_only_while_unlocked(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert screen_names(app) == ["DoorScreen"]
        await sign_in(pilot, "Sam Steward")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "ctrl+l, F12, Lock      lock now" in text_of(app, "#help-keys")
        await pilot.press("escape")
        titles = [t for t, _, _ in StaffCommands(app.screen).available()]
        assert "Log a violation" in titles and "Headteacher inbox" not in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*"viol")
        results = app.screen.query_one(OptionList)
        await until(pilot, lambda: results.option_count == 1)
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ViolationForm))
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert StaffCommands(app.screen).available() == []


async def test_the_stage_board_follows_the_kiosk(app: KioskApp, db_path: Path) -> None:
    board_store = open_store(db_path)
    board = StageBoard(board_store, "nativity", poll_seconds=0.02)
    try:
        async with app.run_test(size=(100, 30)) as pilot, \
                board.run_test(size=(80, 24)) as board_pilot:
            await until(board_pilot, lambda: board.state is not None)
            assert board.state.item_title is None
            await sign_in(pilot, "Lee Lead")
            await pilot.press("n", "n")
            await settle(pilot)
            await until(board_pilot, lambda: board.state.item_title == "Away in a Manger")
            assert board.state.allowed
            await pilot.press("n")
            await until(board_pilot, lambda: board.state.item_title == "Shepherds' Song")
            assert not board.state.allowed
    finally:
        board_store.close()


async def test_manual_check_in_asks_party_size_when_seats_are_allocated(
        app: KioskApp, store: Store) -> None:
    store.db["events"].update("nativity", {"seats_per_family": 3})
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "#family-search", "kha", submit=True)
        await pilot.press("m")
        await settle(pilot)
        await fill(pilot, "#ask-text", "forgot pass", submit=True)
        await settle(pilot)
        assert "How many people? (3 seats left)" in app.export_screenshot().replace(
            "&#160;", " ")
        await fill(pilot, "#ask-number", "2")
        await fill(pilot, "#ask-text", "forgot pass", submit=True)
        await settle(pilot)
        [row] = store.checkins.of_event("nativity", include_refused=True, limit=None)
        assert (row["family_id"], row["party_size"], row["reason"]) == ("khan", 2, "forgot pass")
        await pilot.press("f3")
        await settle(pilot)
        assert "Checked in: 1 of 5 families · 2 of 15 people" in text_of(app, "#counts")


async def test_a_lead_links_children_only_on_request(app: KioskApp, store: Store,
                                                    school: School) -> None:
    async with app.run_test(size=(100, 34)) as pilot:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("n", "n", "n", "v")
        await settle(pilot)
        assert not app.screen.query("#children")
        assert "Jack" not in app.export_screenshot()
        await pilot.press("1", "k")
        await settle(pilot)
        picker = app.screen.query_one("#children", SelectionList)
        assert [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)
                ] == ["Isla N. (1B) – no filming", "Jack O. (1B) – no filming", "Noah K. (1B)"]
        picker.select("p4")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [saved] = store.violations.rows()
        assert [c["id"] for c in store.violations.children_rows(saved["id"])] == ["p4"]
        assert saved["item_id"] == school.items[2]


async def test_a_steward_cannot_pick_children(app: KioskApp) -> None:
    async with app.run_test(size=(100, 34)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("v", "k")
        await settle(pilot)
        assert not app.screen.query("#children")
        assert "a lead or the headteacher links children" in app.export_screenshot().replace(
            "&#160;", " ")
