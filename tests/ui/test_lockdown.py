"""Issue 14 (High): nobody at the door leaves the kiosk or the stage board without a PIN.

Every quit path Textual offers (Ctrl+Q, Ctrl+C, the command palette's "Quit", suspend),
the board's old `q`, Escape, and signals: none of them closes the app. A lead's PIN and
"Close the kiosk" in staff mode does, and the audit log says who.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from kiosk.staff import SignInError, authenticate, deactivate_staff
from kiosk.store import Store, open_store
from kiosk.ui.app import KioskApp
from kiosk.ui.board import StageBoard
from kiosk.ui.lockdown import guard_signals, release_signals
from kiosk.ui.staff import StaffCommands
from kiosk.ui.staff.pin import PinScreen
from support.staff_school import (
    PINS,
    MutableClock,
    School,
    settle,
    sign_in,
)

QUIT_KEYS = ("ctrl+q", "ctrl+c", "ctrl+backslash", "ctrl+z", "escape", "q", "ctrl+p")


def running(app: KioskApp | StageBoard) -> bool:
    """True while the app has not been told to exit."""
    return app.return_code is None


async def test_no_key_quits_the_door(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in QUIT_KEYS:
            await pilot.press(key)
            await settle(pilot)
            assert running(app), key
            assert [type(s).__name__ for s in app.screen_stack] == ["DoorScreen"], key
            assert not CommandPalette.is_open(app)
        assert not app._notifications, "no 'press ctrl+q to quit' notice"
        await app.run_action("quit")  # what the palette's built-in "Quit" would run
        await app.run_action("suspend_process")
        await settle(pilot)
        assert running(app)


async def test_quit_keys_do_nothing_on_the_pin_screen_and_in_staff_mode(app: KioskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        for key in ("ctrl+q", "ctrl+c"):
            await pilot.press(key)
            await settle(pilot)
            assert running(app) and isinstance(app.screen, PinScreen), key
        await sign_in(pilot, "Sam Steward")
        for key in ("ctrl+q", "ctrl+c", "ctrl+z"):
            await pilot.press(key)
            await settle(pilot)
            assert running(app), key
        titles = [t for t, _, _ in StaffCommands(app.screen).available()]
        assert "Close the kiosk" not in titles  # a steward cannot close it
        assert app.staff_mode.close_kiosk() is False  # and the service says no
        await settle(pilot)
        assert running(app)


async def test_a_lead_closes_the_kiosk_from_the_palette_and_it_is_recorded(
        app: KioskApp, store: Store) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*"quit")
        await settle(pilot)
        assert running(app)  # typing "quit" in the palette offers no Textual quit
        await pilot.press(*["backspace"] * 4, *"close the")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not running(app)
    last = store.audit.chain("door-1")[-1]
    assert last["action"] == "staff.sign_out"
    assert json.loads(last["detail"])["reason"] == "close_kiosk"


async def test_a_session_ends_when_its_member_is_deactivated_or_locked_meanwhile(
        app: KioskApp, store: Store, school: School, now: datetime) -> None:
    """The first release kept a signed-in member in staff mode whatever happened meanwhile."""
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Lee Lead")
        assert [type(s).__name__ for s in app.screen_stack] == ["DoorScreen", "DashboardScreen"]
        deactivate_staff(store, "Lee Lead", now=now, admin_id=school.staff["Ada Admin"])
        app.staff_mode.check_idle()  # what the one-second timer runs
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["DoorScreen"]
        assert app.staff_mode.session is None
        assert any("deactivated" in n.message for n in app._notifications)
        await sign_in(pilot, "Sam Steward")
        moment = now
        for _ in range(10):  # someone at another screen of this kiosk guesses Sam's PIN
            with pytest.raises(SignInError):
                authenticate(store, "Sam Steward", "000000", now=moment, kiosk_id="door-1")
            moment += timedelta(hours=1)
        app.staff_mode.check_idle()
        await settle(pilot)
        assert app.staff_mode.session is None
        assert [type(s).__name__ for s in app.screen_stack] == ["DoorScreen"]
    last = store.audit.chain("door-1")[-1]
    assert json.loads(last["detail"])["reason"] == "session_ended"


async def board_sign_in(pilot: Pilot, name: str) -> None:
    """F2 on the board, a name and its PIN; wait for the PIN check (the poller never ends)."""
    await pilot.press("f2")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PinScreen)
    for _ in range(300):
        if screen.names:
            break
        await pilot.pause(0.01)
    screen.query_one("#pin-name", Input).value = name
    screen.query_one("#pin-input", Input).value = PINS[name]
    screen.query_one("#pin-input", Input).focus()
    await pilot.press("enter")
    for _ in range(300):
        if pilot.app.screen is not screen:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_no_key_quits_the_board_and_a_lead_pin_closes_it(
        db_path: Path, school: School, now: datetime) -> None:
    board_store = open_store(db_path)
    board = StageBoard(board_store, "nativity", poll_seconds=0.05, clock=MutableClock(now))
    try:
        async with board.run_test(size=(80, 24)) as pilot:
            for key in QUIT_KEYS:
                await pilot.press(key)
                await pilot.pause()
                assert running(board), key
            await board_sign_in(pilot, "Sam Steward")
            assert running(board)  # a steward may not close it
            assert "lead" in str(list(board._notifications)[-1].message)
            await board_sign_in(pilot, "Lee Lead")
            assert not running(board)
        last = board_store.audit.chain("stage board")[-1]
        assert json.loads(last["detail"])["reason"] == "close_board"
    finally:
        board_store.close()


async def test_sigint_and_sigquit_are_ignored_and_sigterm_closes_cleanly() -> None:
    loop = asyncio.get_running_loop()
    closed = asyncio.Event()
    guard_signals(loop, closed.set)
    try:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGQUIT)
        await asyncio.sleep(0)  # let the loop run the (empty) handlers
        assert not closed.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(closed.wait(), 2)
    finally:
        release_signals(loop)
