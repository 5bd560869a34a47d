"""Staff mode and the door together: scanner bursts, scans while staff work, lock, touch."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import RadioSet, Static

from kiosk.store import Store
from kiosk.ui.app import KioskApp
from kiosk.ui.messages import CodeScanned
from kiosk.ui.staff.base import StaffScreen
from kiosk.ui.staff.checkins import CheckinsScreen
from kiosk.ui.staff.dashboard import DashboardScreen
from kiosk.ui.staff.help import HelpScreen
from kiosk.ui.staff.inbox import InboxScreen
from kiosk.ui.staff.pin import PinScreen
from kiosk.ui.staff.violation import ViolationForm
from support.door_helpers import type_code
from support.staff_school import MutableClock, School, settle, sign_in


def shown(app: KioskApp) -> str:
    """The terminal as a user sees it, toasts included (SVG text, spaces restored)."""
    return app.export_screenshot().replace("&#160;", " ")


def note_toasts(notes: list[str]) -> Callable[[Message], None]:
    """A message hook that keeps the text of every toast the app is asked to show."""
    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append(message.notification.message)
    return hook


def text_of(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_scanner_burst_on_the_violation_form_links_the_family_and_keeps_the_kind(
        app: KioskApp, school: School) -> None:
    token = school.tokens["osei"]
    assert any(c in "12345" for c in token)  # digits in the burst must not re-pick the kind
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ViolationForm)
        await pilot.press("2")
        await type_code(pilot, token)
        await settle(pilot)
        assert app.screen.query_one("#kind", RadioSet).pressed_index == 1
        assert "Osei family" in text_of(app, "#pass-link")
        assert app.screen.link is not None and app.screen.link.family_id == "osei"


@pytest.mark.parametrize("lock", ["ctrl+l", "f12", "idle"])
async def test_locking_clears_staff_toasts_from_the_door(app: KioskApp, clock: MutableClock,
                                                         lock: str) -> None:
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await sign_in(pilot, "Sam Steward")
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("2")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)  # the toast is mounted on the next refresh
        assert "Violation 1 saved" in shown(app)
        if lock == "idle":
            clock.advance(app.staff_mode.idle_lock)
            assert app.staff_mode.check_idle()
        else:
            await pilot.press(lock)
        await settle(pilot)
        assert app.screen is app.door
        await settle(pilot)
        door = shown(app)
        assert "saved" not in door and "Violation" not in door


@pytest.mark.parametrize("how", ["camera", "scanner"])
async def test_a_pass_shown_while_the_pin_screen_is_open_is_checked_in_at_the_door(
        app: KioskApp, store: Store, school: School, how: str) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PinScreen)
        if how == "camera":
            app.post_message(CodeScanned(school.tokens["khan"]))
            await settle(pilot)
        else:
            await type_code(pilot, school.tokens["khan"])
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is app.door
        assert store.checkins.live_admission("nativity", "khan") is not None


@pytest.mark.parametrize(("where", "how"), [
    ("dashboard", "camera"), ("dashboard", "scanner"), ("checkins", "camera"),
    ("checkins", "scanner"), ("help", "camera"), ("help", "scanner"), ("palette", "camera")])
async def test_a_pass_shown_while_staff_work_tells_staff_and_checks_nobody_in(
        app: KioskApp, store: Store, school: School, how: str, where: str) -> None:
    notes: list[str] = []
    hook = note_toasts(notes)
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await sign_in(pilot, "Lee Lead")
        if where == "palette":
            await pilot.press("ctrl+p")
        else:
            app.staff_mode.show(where)
        await settle(pilot)
        app.screen.set_focus(None)  # a scanner types into a focused field like a keyboard
        if how == "camera":
            app.post_message(CodeScanned(school.tokens["khan"]))
            await settle(pilot)
        else:
            await type_code(pilot, school.tokens["khan"])
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "A pass was shown: lock staff mode (Ctrl+L) to let families check in." in notes
        assert store.checkins.live_admission("nativity", "khan") is None
        expected = {"help": HelpScreen, "palette": CommandPalette}.get(where, StaffScreen)
        assert isinstance(app.screen, expected)


async def test_the_pin_screen_closes_itself_when_left_idle(store: Store, school: School,
                                                           clock: MutableClock) -> None:
    app = KioskApp(store, "nativity", clock=clock, kiosk_id="door-1", quiet=True, idle_lock=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        pin = app.screen
        assert isinstance(pin, PinScreen)
        clock.advance(59)
        await pilot.press("down")  # choosing a name is activity
        clock.advance(59)
        assert not pin.close_if_idle()
        clock.advance(1)
        assert pin.close_if_idle()
        await settle(pilot)
        assert app.screen is app.door


async def test_every_staff_screen_has_touch_buttons_that_fit_80_by_24(app: KioskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "Helen Head")
        for button, screen in (("#nav-checkins", CheckinsScreen), ("#nav-inbox", InboxScreen),
                               ("#nav-violation", ViolationForm),
                               ("#nav-dashboard", DashboardScreen)):
            for shown_button in ("#nav-dashboard", "#nav-checkins", "#nav-inbox",
                                 "#nav-violation", "#lock-button"):
                region = app.screen.query_one(shown_button).region
                assert region.width and region.right <= 80 and region.y < 24, shown_button
            assert await pilot.click(button)
            await settle(pilot)
            assert isinstance(app.screen, screen), button
        assert await pilot.click("#lock-button")
        await settle(pilot)
        assert app.screen is app.door
        await sign_in(pilot, "Sam Steward")
        assert not app.screen.query("#nav-inbox")  # a steward has no inbox
        assert await pilot.click("#nav-violation")
        await settle(pilot)
        assert isinstance(app.screen, ViolationForm)
